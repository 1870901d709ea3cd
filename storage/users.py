"""People as the platforms know them: a platform and its user id, and a chosen locale."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class User(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    platform: str
    platform_user_id: str
    locale: str | None
    created_at: datetime


_COLUMNS = "id, platform, platform_user_id, locale, created_at"


def _from_row(row: sqlite3.Row) -> User:
    return User.model_validate(as_dict(row))


class UserRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> User | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return None if row is None else _from_row(row)

    async def find(self, platform: str, platform_user_id: str) -> User | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM users WHERE platform = ? AND platform_user_id = ?",
            (platform, platform_user_id),
        )
        return None if row is None else _from_row(row)

    async def ensure(self, platform: str, platform_user_id: str, now: datetime) -> User:
        """The user row for this platform identity, created on first sight."""
        # Every command starts here: someone already known costs one statement.
        user = await self.find(platform, platform_user_id)
        if user is not None:
            return user
        async with self.db.unit():
            user = await self.find(platform, platform_user_id)
            if user is not None:
                return user
            user_id = await self.db.execute(
                "INSERT INTO users (platform, platform_user_id, locale, created_at)"
                " VALUES (?, ?, NULL, ?)",
                (platform, platform_user_id, to_db_time(now)),
            )
            return User(
                id=user_id,
                platform=platform,
                platform_user_id=platform_user_id,
                locale=None,
                created_at=now,
            )

    async def set_locale(self, user_id: int, locale: str | None) -> None:
        await self.db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def many(self, user_ids: list[int]) -> dict[int, User]:
        if not user_ids:
            return {}
        marks = ", ".join("?" * len(user_ids))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM users WHERE id IN ({marks})", tuple(user_ids)
        )
        return {row["id"]: _from_row(row) for row in rows}
