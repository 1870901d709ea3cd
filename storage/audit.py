"""The audit log: who changed what, when, with the state before and after."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    actor_id: int | None
    action: str
    target_kind: str
    target_id: int | None
    committee_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime


_COLUMNS = "id, actor_id, action, target_kind, target_id, committee_id, before, after, created_at"


def _from_row(row: sqlite3.Row) -> AuditEntry:
    data = as_dict(row)
    for key in ("before", "after"):
        data[key] = None if data[key] is None else json.loads(data[key])
    return AuditEntry.model_validate(data)


# One encoder for every entry: json.dumps with options builds a new one each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else _ENCODER.encode(value)


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        *,
        actor_id: int | None,
        action: str,
        target_kind: str,
        target_id: int | None,
        committee_id: int | None,
        now: datetime,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO audit_log (actor_id, action, target_kind, target_id, committee_id,"
            " before, after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (actor_id, action, target_kind, target_id, committee_id,
             _dump(before), _dump(after), to_db_time(now)),
        )

    async def recent(
        self, committee_id: int | None = None, limit: int = 50, offset: int = 0
    ) -> list[AuditEntry]:
        """Newest first; one committee's entries, or all of them."""
        if committee_id is None:
            rows = await self.db.fetchall(
                f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            )
        else:
            rows = await self.db.fetchall(
                f"SELECT {_COLUMNS} FROM audit_log WHERE committee_id = ?"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                (committee_id, limit, offset),
            )
        return [_from_row(row) for row in rows]

    async def count(self, committee_id: int | None = None) -> int:
        if committee_id is None:
            return int(await self.db.fetchval("SELECT COUNT(*) FROM audit_log"))
        return int(await self.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE committee_id = ?", (committee_id,)
        ))
