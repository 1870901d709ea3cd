"""Local committees and the platform spaces they live in."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import Database, to_db_time


class CommitteeStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class Committee(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    slug: str
    name: str
    name_key: str
    place: str
    postal_code: str
    departement: str
    description: str
    search_key: str
    timezone: str
    locale: str | None
    status: CommitteeStatus
    hidden: bool
    status_reason: str | None
    created_by: int | None
    created_at: datetime


class NewCommittee(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    name: str
    name_key: str
    place: str
    postal_code: str
    departement: str
    description: str
    search_key: str
    timezone: str
    locale: str | None
    created_by: int
    created_at: datetime


class CommitteeListing(BaseModel):
    """A committee as `committee list` shows it."""

    model_config = ConfigDict(frozen=True)

    committee: Committee
    members: int


class SearchPage(BaseModel):
    """One page of `CommitteeRepository.search`."""

    model_config = ConfigDict(frozen=True)

    listings: list[CommitteeListing]
    # Whether a next page has more.
    more: bool
    # How many committees match in all: counted only when words were looked for.
    total: int | None
    # Whether anything matches at all, on this page or an earlier one.
    found_any: bool


_COLUMNS = (
    "id, slug, name, name_key, place, postal_code, departement, description, search_key,"
    " timezone, locale, status, hidden, status_reason, created_by, created_at"
)
_FIELDS = tuple(column.strip() for column in _COLUMNS.split(","))
_PREFIXED = ", ".join(f"c.{column}" for column in _FIELDS)
_PAGE = ", ".join(f"page.{column.strip()}" for column in _COLUMNS.split(","))

# Fields a lead may change with `committee edit`.
EDITABLE = frozenset({"name", "name_key", "place", "postal_code", "departement", "description",
                      "search_key", "locale"})


def _from_row(row: sqlite3.Row) -> Committee:
    # The committee's columns come first; a listing adds its counts after them.
    return Committee.model_validate(dict(zip(_FIELDS, row, strict=False)))


class CommitteeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, committee_id: int) -> Committee | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM committees WHERE id = ?", (committee_id,)
        )
        return None if row is None else _from_row(row)

    async def many(self, committee_ids: Sequence[int]) -> dict[int, Committee]:
        """Several committees in one query, by id (ids not found are left out)."""
        if not committee_ids:
            return {}
        marks = ", ".join("?" * len(committee_ids))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM committees WHERE id IN ({marks})", tuple(committee_ids)
        )
        return {row["id"]: _from_row(row) for row in rows}

    async def by_slug(self, slug: str) -> Committee | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM committees WHERE slug = ?", (slug,)
        )
        return None if row is None else _from_row(row)

    async def slug_taken(self, slug: str) -> bool:
        found = await self.db.fetchval("SELECT 1 FROM committees WHERE slug = ?", (slug,))
        return found is not None

    async def live_with_name(self, postal_code: str, name_key: str) -> Committee | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM committees"
            " WHERE postal_code = ? AND name_key = ? AND status <> 'archived'",
            (postal_code, name_key),
        )
        return None if row is None else _from_row(row)

    async def create(self, new: NewCommittee) -> Committee:
        data = new.model_dump()
        data["created_at"] = to_db_time(new.created_at)
        committee_id = await self.db.execute(
            "INSERT INTO committees (slug, name, name_key, place, postal_code, departement,"
            " description, search_key, timezone, locale, created_by, created_at)"
            " VALUES (:slug, :name, :name_key, :place, :postal_code, :departement,"
            " :description, :search_key, :timezone, :locale, :created_by, :created_at)",
            data,
        )
        committee = await self.get(committee_id)
        assert committee is not None
        return committee

    async def update(self, committee_id: int, **fields: str | None) -> Committee:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{name} = :{name}" for name in fields)
            await self.db.execute(
                f"UPDATE committees SET {assignments} WHERE id = :id",
                {**fields, "id": committee_id},
            )
        committee = await self.get(committee_id)
        assert committee is not None
        return committee

    async def set_status(
        self, committee_id: int, status: CommitteeStatus, reason: str | None
    ) -> None:
        await self.db.execute(
            "UPDATE committees SET status = ?, status_reason = ? WHERE id = ?",
            (status.value, reason, committee_id),
        )

    async def set_hidden(self, committee_id: int, hidden: bool) -> None:
        await self.db.execute(
            "UPDATE committees SET hidden = ? WHERE id = ?", (int(hidden), committee_id)
        )

    async def created_since(self, user_id: int, since: datetime) -> int:
        count = await self.db.fetchval(
            "SELECT COUNT(*) FROM committees WHERE created_by = ? AND created_at >= ?",
            (user_id, to_db_time(since)),
        )
        return int(count)

    async def search(
        self,
        *,
        postal_code: str | None,
        departement: str | None,
        query_key: str | None,
        limit: int,
        offset: int,
    ) -> SearchPage:
        """Visible committees: same postal code first, then same département, then the rest.

        Words to look for are counted (the count comes with the page, for a scan that reads
        every name anyway); the plain list is not, since counting every committee of the
        country costs more than reading the page.
        """
        where = ["c.status = 'active'", "c.hidden = 0"]
        params: dict[str, object] = {
            "postal_code": postal_code or "",
            "departement": departement or "",
            "limit": limit + 1,  # one more than shown: is there a next page?
            "offset": offset,
        }
        if query_key:
            where.append("c.search_key LIKE :query ESCAPE '\\'")
            escaped = query_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params["query"] = f"%{escaped}%"
        condition = " AND ".join(where)
        count = f"SELECT COUNT(*) FROM committees c WHERE {condition}"
        # Three parts (the postal code, the rest of the département, the rest of the
        # country), each read in name order from its index (migration 4) and cut at the
        # page's end; only the page is sorted, and only its members are counted.
        params["end"] = limit + 1 + offset
        parts = (
            "c.postal_code = :postal_code",
            "c.departement = :departement AND c.postal_code <> :postal_code",
            "c.departement <> :departement AND c.postal_code <> :postal_code",
        )
        union = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {rank} AS rank, {_PREFIXED} FROM committees c"
            f" WHERE {part} AND {condition} ORDER BY c.name_key, c.id LIMIT :end) AS part{rank}"
            for rank, part in enumerate(parts)
        )
        total_column = f", ({count}) AS total" if query_key else ""
        rows = await self.db.fetchall(
            f"SELECT {_PAGE},"
            " (SELECT COUNT(*) FROM memberships m WHERE m.committee_id = page.id) AS members"
            f"{total_column}"
            f" FROM (SELECT * FROM ({union}) AS found"
            " ORDER BY rank, name_key, id LIMIT :limit OFFSET :offset) AS page"
            " ORDER BY page.rank, page.name_key, page.id",
            params,
        )
        total: int | None = None
        if query_key:
            total = int(rows[0]["total"] if rows else await self.db.fetchval(count, params))
        listings = [
            CommitteeListing(committee=_from_row(row), members=row["members"])
            for row in rows[:limit]
        ]
        found_any = bool(rows) or (offset > 0 and (
            await self.db.fetchval(f"SELECT 1 FROM committees c WHERE {condition} LIMIT 1",
                                   params) is not None))
        return SearchPage(listings=listings, more=len(rows) > limit, total=total,
                          found_any=found_any)

    async def with_space(self, departement: str | None = None) -> list[Committee]:
        """Active committees that have a space somewhere (all, or one département's)."""
        condition = "c.status = 'active'"
        params: tuple[str, ...] = ()
        if departement is not None:
            condition += " AND c.departement = ?"
            params = (departement,)
        rows = await self.db.fetchall(
            f"SELECT {_PREFIXED} FROM committees c WHERE {condition}"
            " AND EXISTS (SELECT 1 FROM committee_spaces s WHERE s.committee_id = c.id)"
            " ORDER BY c.departement, c.name_key, c.id",
            params,
        )
        return [_from_row(row) for row in rows]

    # Spaces: where a committee lives on each platform.

    async def add_space(self, committee_id: int, platform: str, space_id: str) -> None:
        await self.db.execute(
            "INSERT INTO committee_spaces (committee_id, platform, space_id) VALUES (?, ?, ?)",
            (committee_id, platform, space_id),
        )

    async def space_of(self, committee_id: int, platform: str) -> str | None:
        value = await self.db.fetchval(
            "SELECT space_id FROM committee_spaces WHERE committee_id = ? AND platform = ?",
            (committee_id, platform),
        )
        return None if value is None else str(value)

    async def spaces_of(self, committee_id: int) -> dict[str, str]:
        rows = await self.db.fetchall(
            "SELECT platform, space_id FROM committee_spaces WHERE committee_id = ?",
            (committee_id,),
        )
        return {row["platform"]: row["space_id"] for row in rows}

    async def spaces_of_many(self, committee_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """`spaces_of` for several committees in one query (every id gets an entry)."""
        found: dict[int, dict[str, str]] = {committee_id: {} for committee_id in committee_ids}
        if not committee_ids:
            return found
        marks = ", ".join("?" * len(committee_ids))
        rows = await self.db.fetchall(
            "SELECT committee_id, platform, space_id FROM committee_spaces"
            f" WHERE committee_id IN ({marks})",
            tuple(committee_ids),
        )
        for row in rows:
            found[row["committee_id"]][row["platform"]] = row["space_id"]
        return found

    async def by_space(self, platform: str, space_id: str) -> Committee | None:
        row = await self.db.fetchone(
            f"SELECT {_PREFIXED} FROM committees c"
            " JOIN committee_spaces s ON s.committee_id = c.id"
            " WHERE s.platform = ? AND s.space_id = ?",
            (platform, space_id),
        )
        return None if row is None else _from_row(row)
