"""Anyone may flag a committee, an action or a material; staff review the flags."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class FlagStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    REMOVED = "removed"


class Flag(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    target_kind: str
    target_id: int
    flagged_by: int | None
    reason: str
    status: FlagStatus
    created_at: datetime
    reviewed_by: int | None
    reviewed_at: datetime | None


_COLUMNS = (
    "id, target_kind, target_id, flagged_by, reason, status, created_at, reviewed_by, reviewed_at"
)


def _from_row(row: sqlite3.Row) -> Flag:
    return Flag.model_validate(as_dict(row))


class OpenTarget(BaseModel):
    """One flagged item awaiting review, whatever its kind."""

    model_config = ConfigDict(frozen=True)

    target_kind: str
    target_id: int
    # Distinct people with an open flag on it, and open flags in all.
    people: int
    flags: int
    first_at: datetime
    last_at: datetime


class FlagRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def has_open(self, target_kind: str, target_id: int, user_id: int) -> bool:
        found = await self.db.fetchval(
            "SELECT 1 FROM flags WHERE target_kind = ? AND target_id = ? AND flagged_by = ?"
            " AND status = 'open'",
            (target_kind, target_id, user_id),
        )
        return found is not None

    async def add(
        self, target_kind: str, target_id: int, user_id: int, reason: str, now: datetime
    ) -> int:
        return await self.db.execute(
            "INSERT INTO flags (target_kind, target_id, flagged_by, reason, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (target_kind, target_id, user_id, reason, to_db_time(now)),
        )

    async def open_count(self, target_kind: str, target_id: int) -> int:
        """Distinct people with an open flag on this item."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(DISTINCT flagged_by) FROM flags"
                " WHERE target_kind = ? AND target_id = ? AND status = 'open'",
                (target_kind, target_id),
            )
        )

    async def open_for(self, target_kind: str, target_id: int) -> list[Flag]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM flags WHERE target_kind = ? AND target_id = ?"
            " AND status = 'open' ORDER BY id",
            (target_kind, target_id),
        )
        return [_from_row(row) for row in rows]

    async def close_all(
        self,
        target_kind: str,
        target_id: int,
        status: FlagStatus,
        reviewer_id: int,
        now: datetime,
    ) -> int:
        return await self.db.execute_rowcount(
            "UPDATE flags SET status = ?, reviewed_by = ?, reviewed_at = ?"
            " WHERE target_kind = ? AND target_id = ? AND status = 'open'",
            (status.value, reviewer_id, to_db_time(now), target_kind, target_id),
        )

    async def open_targets(self, *, limit: int, offset: int) -> list[OpenTarget]:
        """Items with open flags, the most reported first, then the longest waiting."""
        rows = await self.db.fetchall(
            "SELECT target_kind, target_id, COUNT(DISTINCT flagged_by) AS people,"
            " COUNT(*) AS flags, MIN(created_at) AS first_at, MAX(created_at) AS last_at"
            " FROM flags WHERE status = 'open' GROUP BY target_kind, target_id"
            " ORDER BY people DESC, first_at, target_kind, target_id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [OpenTarget.model_validate(as_dict(row)) for row in rows]

    async def count_open_targets(self) -> int:
        """How many items await review (an item flagged by three people counts once)."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM (SELECT 1 FROM flags WHERE status = 'open'"
                " GROUP BY target_kind, target_id) AS waiting"
            )
        )
