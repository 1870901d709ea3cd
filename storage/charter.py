"""Records that a founder accepted the charter (which version, by its hash)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db_time


class CharterRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, user_id: int, committee_id: int | None, charter_hash: str, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO charter_acceptances (user_id, committee_id, charter_hash, accepted_at)"
            " VALUES (?, ?, ?, ?)",
            (user_id, committee_id, charter_hash, to_db_time(now)),
        )

    async def accepted(self, user_id: int, charter_hash: str) -> bool:
        found = await self.db.fetchval(
            "SELECT 1 FROM charter_acceptances WHERE user_id = ? AND charter_hash = ?",
            (user_id, charter_hash),
        )
        return found is not None
