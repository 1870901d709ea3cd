"""Reminders as rows: planned, claimed before sending, marked after.

A reminder is claimed (pending → claimed) in one statement, so two processes or a restart
never send it twice. A claim left behind by a crash is released once at most.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage.db import RETURNING, Database, as_dict, from_db_time, to_db_time


class ReminderKind(StrEnum):
    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"
    REPORT_PROMPT = "report_prompt"


class ReminderState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Reminder(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    action_id: int
    kind: ReminderKind
    due_at: datetime
    state: ReminderState
    attempts: int
    claimed_at: datetime | None
    done_at: datetime | None


_COLUMNS = "id, action_id, kind, due_at, state, attempts, claimed_at, done_at"
MAX_ATTEMPTS = 2


def _from_row(row: sqlite3.Row) -> Reminder:
    return Reminder.model_validate(as_dict(row))


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def plan(self, action_id: int, due: Iterable[tuple[ReminderKind, datetime]]) -> None:
        """(Re)plan an action's reminders: pending ones move, sent ones stay sent."""
        await self.db.executemany(
            "INSERT INTO reminders (action_id, kind, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT (action_id, kind) DO UPDATE SET due_at = excluded.due_at,"
            " state = CASE WHEN reminders.state IN ('pending', 'cancelled', 'skipped')"
            "              THEN 'pending' ELSE reminders.state END",
            [(action_id, kind.value, to_db_time(due_at)) for kind, due_at in due],
        )

    async def reset(self, action_id: int, kinds: Iterable[ReminderKind]) -> None:
        """After a change of time, reminders already sent are sent again at the new time."""
        for kind in kinds:
            await self.db.execute(
                "UPDATE reminders SET state = 'pending', attempts = 0, claimed_at = NULL,"
                " done_at = NULL WHERE action_id = ? AND kind = ?",
                (action_id, kind.value),
            )

    async def cancel_for(self, action_id: int) -> None:
        await self.db.execute(
            "UPDATE reminders SET state = 'cancelled'"
            " WHERE action_id = ? AND state IN ('pending', 'claimed')",
            (action_id,),
        )

    async def of_action(self, action_id: int) -> list[Reminder]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE action_id = ? ORDER BY due_at",
            (action_id,),
        )
        return [_from_row(row) for row in rows]

    async def pending_until(self, until: datetime, limit: int | None = None) -> list[Reminder]:
        sql = (
            f"SELECT {_COLUMNS} FROM reminders WHERE state = 'pending' AND due_at <= ?"
            " ORDER BY due_at, id"
        )
        params: tuple[object, ...] = (to_db_time(until),)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        rows = await self.db.fetchall(sql, params)
        return [_from_row(row) for row in rows]

    async def next_due(self) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT due_at FROM reminders WHERE state = 'pending' ORDER BY due_at LIMIT 1"
        )
        return None if row is None else from_db_time(row["due_at"])

    async def claim(self, reminder_id: int, now: datetime) -> bool:
        """Take a pending reminder for sending; False when someone else has it."""
        count = await self.db.execute_rowcount(
            "UPDATE reminders SET state = 'claimed', claimed_at = ?, attempts = attempts + 1"
            " WHERE id = ? AND state = 'pending'",
            (to_db_time(now), reminder_id),
        )
        return count == 1

    async def claim_many(self, reminder_ids: Sequence[int], now: datetime) -> list[int]:
        """`claim` for a batch: the ids taken here (the others someone else has)."""
        if not reminder_ids:
            return []
        if not RETURNING:
            return [rid for rid in reminder_ids if await self.claim(rid, now)]
        marks = ", ".join("?" * len(reminder_ids))
        rows = await self.db.fetchall(
            "UPDATE reminders SET state = 'claimed', claimed_at = ?, attempts = attempts + 1"
            f" WHERE id IN ({marks}) AND state = 'pending' RETURNING id",
            (to_db_time(now), *reminder_ids),
        )
        taken = {row["id"] for row in rows}
        return [rid for rid in reminder_ids if rid in taken]

    async def finish_many(
        self, reminder_ids: Sequence[int], state: ReminderState, now: datetime
    ) -> None:
        """`finish` for a batch, all to the same state."""
        if not reminder_ids:
            return
        marks = ", ".join("?" * len(reminder_ids))
        await self.db.execute(
            f"UPDATE reminders SET state = ?, done_at = ? WHERE id IN ({marks})",
            (state.value, to_db_time(now), *reminder_ids),
        )

    async def finish(self, reminder_id: int, state: ReminderState, now: datetime) -> None:
        await self.db.execute(
            "UPDATE reminders SET state = ?, done_at = ? WHERE id = ?",
            (state.value, to_db_time(now), reminder_id),
        )

    async def release_stale_claims(self, before: datetime) -> int:
        """Claims left by a process that died: retried once, then given up."""
        released = await self.db.execute_rowcount(
            "UPDATE reminders SET state = 'pending', claimed_at = NULL"
            " WHERE state = 'claimed' AND claimed_at < ? AND attempts < ?",
            (to_db_time(before), MAX_ATTEMPTS),
        )
        await self.db.execute(
            "UPDATE reminders SET state = 'skipped'"
            " WHERE state = 'claimed' AND claimed_at < ? AND attempts >= ?",
            (to_db_time(before), MAX_ATTEMPTS),
        )
        return released

