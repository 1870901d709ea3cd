"""Who belongs to which committee, and with which role."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


class MemberRole(StrEnum):
    MEMBER = "member"
    CO_LEAD = "co_lead"
    LEAD = "lead"


class Membership(BaseModel):
    model_config = ConfigDict(frozen=True)

    committee_id: int
    user_id: int
    role: MemberRole
    joined_at: datetime


_COLUMNS = "committee_id, user_id, role, joined_at"


def _from_row(row: sqlite3.Row) -> Membership:
    return Membership.model_validate(as_dict(row))


class MembershipRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, committee_id: int, user_id: int) -> Membership | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM memberships WHERE committee_id = ? AND user_id = ?",
            (committee_id, user_id),
        )
        return None if row is None else _from_row(row)

    async def add(
        self, committee_id: int, user_id: int, role: MemberRole, now: datetime
    ) -> Membership:
        await self.db.execute(
            "INSERT INTO memberships (committee_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
            (committee_id, user_id, role.value, to_db_time(now)),
        )
        return Membership(committee_id=committee_id, user_id=user_id, role=role, joined_at=now)

    async def set_role(self, committee_id: int, user_id: int, role: MemberRole) -> None:
        await self.db.execute(
            "UPDATE memberships SET role = ? WHERE committee_id = ? AND user_id = ?",
            (role.value, committee_id, user_id),
        )

    async def remove(self, committee_id: int, user_id: int) -> None:
        await self.db.execute(
            "DELETE FROM memberships WHERE committee_id = ? AND user_id = ?",
            (committee_id, user_id),
        )

    async def of_committee(self, committee_id: int) -> list[Membership]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM memberships WHERE committee_id = ?"
            " ORDER BY CASE role WHEN 'lead' THEN 0 WHEN 'co_lead' THEN 1 ELSE 2 END, joined_at",
            (committee_id,),
        )
        return [_from_row(row) for row in rows]

    async def of_committees(self, committee_ids: Sequence[int]) -> dict[int, list[Membership]]:
        """`of_committee` for several committees in one query (every id gets an entry)."""
        found: dict[int, list[Membership]] = {committee_id: [] for committee_id in committee_ids}
        if not committee_ids:
            return found
        marks = ", ".join("?" * len(committee_ids))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM memberships WHERE committee_id IN ({marks})"
            " ORDER BY committee_id,"
            " CASE role WHEN 'lead' THEN 0 WHEN 'co_lead' THEN 1 ELSE 2 END, joined_at",
            tuple(committee_ids),
        )
        for row in rows:
            found[row["committee_id"]].append(_from_row(row))
        return found

    async def count(self, committee_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM memberships WHERE committee_id = ?", (committee_id,)
            )
        )

    async def led_by(self, user_id: int) -> int:
        """How many live committees this person leads."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM memberships m JOIN committees c ON c.id = m.committee_id"
                " WHERE m.user_id = ? AND m.role = 'lead' AND c.status <> 'archived'",
                (user_id,),
            )
        )

    async def of_user(self, user_id: int) -> list[Membership]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM memberships WHERE user_id = ? ORDER BY joined_at",
            (user_id,),
        )
        return [_from_row(row) for row in rows]
