"""Shared materials: a link or a kept file, for one committee or (committee NULL) for all."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class Material(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    # None: a national material, shared by staff with every committee.
    committee_id: int | None
    title: str
    url: str | None
    blob_sha256: str | None
    filename: str | None
    tags: tuple[str, ...]
    search_key: str
    hidden: bool
    removed: bool
    shared_by: int | None
    created_at: datetime
    # From the kept file, when there is one.
    size: int | None
    content_type: str | None

    @property
    def national(self) -> bool:
        return self.committee_id is None


class NewMaterial(BaseModel):
    model_config = ConfigDict(frozen=True)

    committee_id: int | None
    title: str
    url: str | None
    blob_sha256: str | None
    filename: str | None
    tags: tuple[str, ...]
    search_key: str
    shared_by: int
    created_at: datetime


_SELECT = (
    "SELECT m.id, m.committee_id, m.title, m.url, m.blob_sha256, m.filename, m.tags,"
    " m.search_key, m.hidden, m.removed, m.shared_by, m.created_at, b.size, b.content_type"
    " FROM materials m LEFT JOIN blobs b ON b.sha256 = m.blob_sha256"
)


def _from_row(row: sqlite3.Row) -> Material:
    data = as_dict(row)
    data["tags"] = tuple(data["tags"].split())
    return Material.model_validate(data)


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class MaterialRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, material_id: int) -> Material | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE m.id = ?", (material_id,))
        return None if row is None else _from_row(row)

    async def create(self, new: NewMaterial) -> Material:
        data = new.model_dump()
        data["tags"] = " ".join(new.tags)
        data["created_at"] = to_db_time(new.created_at)
        material_id = await self.db.execute(
            "INSERT INTO materials (committee_id, title, url, blob_sha256, filename, tags,"
            " search_key, shared_by, created_at)"
            " VALUES (:committee_id, :title, :url, :blob_sha256, :filename, :tags,"
            " :search_key, :shared_by, :created_at)",
            data,
        )
        material = await self.get(material_id)
        assert material is not None
        return material

    async def files_shared_since(self, user_id: int, since: datetime) -> int:
        """How many files (not links) `user_id` has shared since `since`, removed ones too."""
        count = await self.db.fetchval(
            "SELECT COUNT(*) FROM materials WHERE shared_by = ? AND created_at >= ?"
            " AND blob_sha256 IS NOT NULL", (user_id, to_db_time(since)))
        return int(count)

    async def set_hidden(self, material_id: int, hidden: bool) -> None:
        await self.db.execute(
            "UPDATE materials SET hidden = ? WHERE id = ?", (int(hidden), material_id)
        )

    async def set_removed(self, material_id: int, removed: bool) -> None:
        await self.db.execute(
            "UPDATE materials SET removed = ? WHERE id = ?", (int(removed), material_id)
        )

    async def search(
        self,
        *,
        committee_ids: Sequence[int],
        national: bool,
        tag: str | None,
        words: Sequence[str],
        limit: int,
        offset: int,
    ) -> tuple[list[Material], int]:
        """Visible materials of these committees (and the national ones), newest first.

        `tag` is one normalised tag; every word of `words` must appear in the title or tags.
        """
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        scope: list[str] = []
        if committee_ids:
            names = [f":c{index}" for index in range(len(committee_ids))]
            params.update({name[1:]: value for name, value in zip(names, committee_ids,
                                                                  strict=True)})
            scope.append(f"m.committee_id IN ({', '.join(names)})")
        if national:
            scope.append("m.committee_id IS NULL")
        if not scope:
            return [], 0
        where = ["m.hidden = 0", "m.removed = 0", f"({' OR '.join(scope)})"]
        if tag:
            where.append("(' ' || m.tags || ' ') LIKE :tag ESCAPE '\\'")
            params["tag"] = f"% {_like(tag)} %"
        for index, word in enumerate(words):
            where.append(f"m.search_key LIKE :w{index} ESCAPE '\\'")
            params[f"w{index}"] = f"%{_like(word)}%"
        condition = " AND ".join(where)
        total = await self.db.fetchval(
            f"SELECT COUNT(*) FROM materials m WHERE {condition}", params
        )
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE {condition} ORDER BY m.created_at DESC, m.id DESC"
            " LIMIT :limit OFFSET :offset",
            params,
        )
        return [_from_row(row) for row in rows], int(total)
