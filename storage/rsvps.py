"""Who answered an action, how, and whether they came."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import Database, to_db_time


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"
    WAITLIST = "waitlist"


class Rsvp(BaseModel):
    model_config = ConfigDict(frozen=True)

    action_id: int
    user_id: int
    answer: Answer
    answered_at: datetime
    attended: bool | None


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True)

    going: int = 0
    maybe: int = 0
    no: int = 0
    waitlist: int = 0


_COLUMNS = "action_id, user_id, answer, answered_at, attended"


def _from_row(row: sqlite3.Row) -> Rsvp:
    return Rsvp.model_validate(dict(row))


class RsvpRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, action_id: int, user_id: int) -> Rsvp | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM rsvps WHERE action_id = ? AND user_id = ?",
            (action_id, user_id),
        )
        return None if row is None else _from_row(row)

    async def set(self, action_id: int, user_id: int, answer: Answer, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO rsvps (action_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (action_id, user_id)"
            " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
            (action_id, user_id, answer.value, to_db_time(now)),
        )

    async def set_attended(self, action_id: int, user_id: int, attended: bool) -> None:
        await self.db.execute(
            "UPDATE rsvps SET attended = ? WHERE action_id = ? AND user_id = ?",
            (int(attended), action_id, user_id),
        )

    async def record_attendance(
        self, action_id: int, user_id: int, now: datetime
    ) -> None:
        """A check-in: came, whether or not they had answered."""
        await self.db.execute(
            "INSERT INTO rsvps (action_id, user_id, answer, answered_at, attended)"
            " VALUES (?, ?, 'going', ?, 1)"
            " ON CONFLICT (action_id, user_id) DO UPDATE SET attended = 1",
            (action_id, user_id, to_db_time(now)),
        )

    async def counts(self, action_id: int) -> Counts:
        rows = await self.db.fetchall(
            "SELECT answer, COUNT(*) AS n FROM rsvps WHERE action_id = ? GROUP BY answer",
            (action_id,),
        )
        return Counts.model_validate({row["answer"]: row["n"] for row in rows})

    async def with_answer(self, action_id: int, *answers: Answer) -> list[Rsvp]:
        """Those who gave one of these answers, first answered first."""
        marks = ", ".join("?" * len(answers))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM rsvps WHERE action_id = ? AND answer IN ({marks})"
            " ORDER BY answered_at, rowid",
            (action_id, *(answer.value for answer in answers)),
        )
        return [_from_row(row) for row in rows]

    async def of_action(self, action_id: int) -> list[Rsvp]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM rsvps WHERE action_id = ? ORDER BY answered_at, rowid",
            (action_id,),
        )
        return [_from_row(row) for row in rows]

    async def first_waiting(self, action_id: int) -> Rsvp | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM rsvps WHERE action_id = ? AND answer = 'waitlist'"
            " ORDER BY answered_at, rowid LIMIT 1",
            (action_id,),
        )
        return None if row is None else _from_row(row)

    async def close_attendance(self, action_id: int) -> None:
        """After the action: those going who did not check in are no-shows."""
        await self.db.execute(
            "UPDATE rsvps SET attended = 0"
            " WHERE action_id = ? AND answer = 'going' AND attended IS NULL",
            (action_id,),
        )
