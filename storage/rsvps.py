"""Who answered an action, how, and whether they came."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


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


class Attendance(BaseModel):
    """Who came to an action; after its end, those going who never checked in are no-shows."""

    model_config = ConfigDict(frozen=True)

    came: int = 0
    no_show: int = 0


_COLUMNS = "action_id, user_id, answer, answered_at, attended"


def _from_row(row: sqlite3.Row) -> Rsvp:
    return Rsvp.model_validate(as_dict(row))


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

    async def with_answer_many(
        self, action_ids: Sequence[int], *answers: Answer
    ) -> dict[int, list[Rsvp]]:
        """`with_answer` for several actions in one query (every id gets an entry)."""
        found: dict[int, list[Rsvp]] = {action_id: [] for action_id in action_ids}
        if not action_ids:
            return found
        ids = ", ".join("?" * len(action_ids))
        marks = ", ".join("?" * len(answers))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM rsvps WHERE action_id IN ({ids}) AND answer IN ({marks})"
            " ORDER BY action_id, answered_at, rowid",
            (*action_ids, *(answer.value for answer in answers)),
        )
        for row in rows:
            found[row["action_id"]].append(_from_row(row))
        return found

    async def counts_and_own(self, action_id: int, user_id: int) -> tuple[Counts, Rsvp | None]:
        """`counts` and `get` for one person, in one query: what an action's card shows."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}, NULL AS n FROM rsvps WHERE action_id = ? AND user_id = ?"
            " UNION ALL"
            " SELECT NULL, NULL, answer, NULL, NULL, COUNT(*) FROM rsvps WHERE action_id = ?"
            " GROUP BY answer",
            (action_id, user_id, action_id),
        )
        own = next((_from_row(row) for row in rows if row["n"] is None), None)
        counts = {row["answer"]: row["n"] for row in rows if row["n"] is not None}
        return Counts.model_validate(counts), own

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

    async def counts_many(self, action_ids: list[int]) -> dict[int, Counts]:
        """`counts` for a page of actions in one query."""
        if not action_ids:
            return {}
        marks = ", ".join("?" * len(action_ids))
        rows = await self.db.fetchall(
            f"SELECT action_id, answer, COUNT(*) AS n FROM rsvps WHERE action_id IN ({marks})"
            " GROUP BY action_id, answer",
            tuple(action_ids),
        )
        found: dict[int, dict[str, int]] = {action_id: {} for action_id in action_ids}
        for row in rows:
            found[row["action_id"]][row["answer"]] = row["n"]
        return {action_id: Counts.model_validate(counts) for action_id, counts in found.items()}

    async def attendance(self, action_id: int, *, ended: bool) -> Attendance:
        """Came, and no-shows: marked so, or (once it has ended) going without a check-in,
        even before `close_attendance` has stored it."""
        rows = await self.db.fetchall(
            "SELECT answer, attended, COUNT(*) AS n FROM rsvps WHERE action_id = ?"
            " GROUP BY answer, attended",
            (action_id,),
        )
        came = no_show = 0
        for row in rows:
            if row["attended"] == 1:
                came += row["n"]
            elif row["attended"] == 0 or (ended and row["answer"] == Answer.GOING.value):
                no_show += row["n"]
        return Attendance(came=came, no_show=no_show)

    async def unchecked_going(self, action_id: int) -> int:
        """Those going who have not checked in (nor been marked a no-show) yet."""
        count = await self.db.fetchval(
            "SELECT COUNT(*) FROM rsvps"
            " WHERE action_id = ? AND answer = 'going' AND attended IS NULL",
            (action_id,),
        )
        return int(count or 0)
