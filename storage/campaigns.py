"""National campaigns (a nationwide door-to-door week) with goals, tagged on actions."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class Campaign(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    slug: str
    name: str
    starts_at: datetime
    ends_at: datetime
    goals: dict[str, int]
    created_by: int | None
    created_at: datetime


_COLUMNS = "id, slug, name, starts_at, ends_at, goals, created_by, created_at"


def _from_row(row: sqlite3.Row) -> Campaign:
    data = as_dict(row)
    data["goals"] = json.loads(data["goals"])
    return Campaign.model_validate(data)


class CampaignRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        slug: str,
        name: str,
        starts_at: datetime,
        ends_at: datetime,
        goals: dict[str, int],
        created_by: int,
        now: datetime,
    ) -> Campaign:
        campaign_id = await self.db.execute(
            "INSERT INTO campaigns (slug, name, starts_at, ends_at, goals, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (slug, name, to_db_time(starts_at), to_db_time(ends_at),
             json.dumps(goals, sort_keys=True), created_by, to_db_time(now)),
        )
        campaign = await self.get(campaign_id)
        assert campaign is not None
        return campaign

    async def get(self, campaign_id: int) -> Campaign | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM campaigns WHERE id = ?", (campaign_id,)
        )
        return None if row is None else _from_row(row)

    async def by_slug(self, slug: str) -> Campaign | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM campaigns WHERE slug = ?", (slug,))
        return None if row is None else _from_row(row)

    async def all(self) -> list[Campaign]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM campaigns ORDER BY starts_at DESC, id DESC"
        )
        return [_from_row(row) for row in rows]

    async def action_counts(self, campaign_id: int) -> dict[str, int]:
        """Actions held per kind (cancelled ones left out)."""
        rows = await self.db.fetchall(
            "SELECT kind, COUNT(*) AS n FROM actions"
            " WHERE campaign_id = ? AND status = 'scheduled' GROUP BY kind",
            (campaign_id,),
        )
        return {row["kind"]: row["n"] for row in rows}
