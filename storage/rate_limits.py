"""Fixed-window counters: how many commands a person sent in the current minute."""

from __future__ import annotations

from storage.db import RETURNING, Database

# Every command counts one hit, so this is one statement: the row is created, moved to the
# new window, or counted up, and the count comes back (RETURNING needs SQLite 3.35).
_HIT = (
    "INSERT INTO rate_limits (user_id, bucket, window_start, count) VALUES (?, ?, ?, 1)"
    " ON CONFLICT (user_id, bucket) DO UPDATE SET"
    " count = CASE WHEN rate_limits.window_start = excluded.window_start"
    "         THEN rate_limits.count + 1 ELSE 1 END,"
    " window_start = excluded.window_start"
)


class RateLimitRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def hit(self, user_id: int, bucket: str, window_start: int) -> int:
        """Count one more hit in the window starting at `window_start`; returns the count."""
        params = (user_id, bucket, window_start)
        if RETURNING:
            return int(await self.db.fetchval(f"{_HIT} RETURNING count", params))
        async with self.db.unit():
            await self.db.execute(_HIT, params)
            count = await self.db.fetchval(
                "SELECT count FROM rate_limits WHERE user_id = ? AND bucket = ?",
                (user_id, bucket))
            return int(count)
