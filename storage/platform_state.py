"""Small key/value state a platform keeps across restarts (a sync token, a command hash)."""

from __future__ import annotations

from storage.db import Database


class PlatformStateRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, platform: str, key: str) -> str | None:
        value = await self.db.fetchval(
            "SELECT value FROM platform_state WHERE platform = ? AND key = ?", (platform, key)
        )
        return None if value is None else str(value)

    async def set(self, platform: str, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value",
            (platform, key, value),
        )
