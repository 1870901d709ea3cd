"""Fixed-window counters: how many commands a person sent in the current minute."""

from __future__ import annotations

from storage.db import Database


class RateLimitRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def hit(self, user_id: int, bucket: str, window_start: int) -> int:
        """Count one more hit in the window starting at `window_start`; returns the count."""
        async with self.db.unit():
            row = await self.db.fetchone(
                "SELECT window_start, count FROM rate_limits WHERE user_id = ? AND bucket = ?",
                (user_id, bucket),
            )
            if row is None:
                await self.db.execute(
                    "INSERT INTO rate_limits (user_id, bucket, window_start, count)"
                    " VALUES (?, ?, ?, 1)",
                    (user_id, bucket, window_start),
                )
                return 1
            count = 1 if row["window_start"] != window_start else row["count"] + 1
            await self.db.execute(
                "UPDATE rate_limits SET window_start = ?, count = ?"
                " WHERE user_id = ? AND bucket = ?",
                (window_start, count, user_id, bucket),
            )
            return int(count)
