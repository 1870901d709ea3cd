"""Field actions (one row per occurrence) and the series that repeat them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from storage.committees import Committee
from storage.db import Database, as_dict, to_db_time
from storage.memberships import Membership


class ActionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Action(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    committee_id: int
    series_id: int | None
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    details: str
    capacity: int | None
    campaign_id: int | None
    status: ActionStatus
    cancel_reason: str | None
    silence_warned: bool
    created_by: int | None
    created_at: datetime


class NewAction(BaseModel):
    model_config = ConfigDict(frozen=True)

    committee_id: int
    series_id: int | None = None
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    details: str = ""
    capacity: int | None = None
    campaign_id: int | None = None
    created_by: int
    created_at: datetime


class Series(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    committee_id: int
    repeat: str
    until_at: datetime
    created_at: datetime


_COLUMNS = (
    "id, committee_id, series_id, kind, title, starts_at, ends_at, location, details,"
    " capacity, campaign_id, status, cancel_reason, silence_warned, created_by, created_at"
)
_FIELDS = tuple(column.strip() for column in _COLUMNS.split(","))
_PREFIXED = ", ".join(f"a.{column}" for column in _FIELDS)
_INSERT = (
    "INSERT INTO actions (committee_id, series_id, kind, title, starts_at, ends_at, location,"
    " details, capacity, campaign_id, created_by, created_at)"
    " VALUES (:committee_id, :series_id, :kind, :title, :starts_at, :ends_at, :location,"
    " :details, :capacity, :campaign_id, :created_by, :created_at)"
)

# An action, its committee and one person's membership there, in one query: what every
# command about an action needs before it runs.
_COMMITTEE_FIELDS = tuple(Committee.model_fields)
_IN_CONTEXT = (
    f"SELECT {_PREFIXED}, "
    + ", ".join(f"c.{name} AS c_{name}" for name in _COMMITTEE_FIELDS)
    + ", m.role AS m_role, m.joined_at AS m_joined_at"
    " FROM actions a LEFT JOIN committees c ON c.id = a.committee_id"
    " LEFT JOIN memberships m ON m.committee_id = a.committee_id AND m.user_id = ?"
    " WHERE a.id = ?"
)

# What `action edit` may change.
EDITABLE = frozenset({"title", "starts_at", "ends_at", "location", "details", "capacity",
                      "kind", "campaign_id"})


def _from_row(row: sqlite3.Row) -> Action:
    return Action.model_validate(as_dict(row))


def _params(new: NewAction) -> dict[str, Any]:
    data = new.model_dump()
    for key in ("starts_at", "ends_at", "created_at"):
        data[key] = to_db_time(data[key])
    return data


class ActionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, action_id: int) -> Action | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM actions WHERE id = ?", (action_id,))
        return None if row is None else _from_row(row)

    async def in_context(
        self, action_id: int, user_id: int
    ) -> tuple[Action, Committee | None, Membership | None] | None:
        """The action, its committee, and `user_id`'s membership of it (None if not one)."""
        row = await self.db.fetchone(_IN_CONTEXT, (user_id, action_id))
        if row is None:
            return None
        values = tuple(row)  # the action's columns, the committee's, then the membership's
        action = Action.model_validate(dict(zip(_FIELDS, values, strict=False)))
        committee = None
        if row["c_id"] is not None:
            committee = Committee.model_validate(dict(zip(
                _COMMITTEE_FIELDS, values[len(_FIELDS):], strict=False)))
        membership = None
        role, joined_at = values[-2:]
        if role is not None:
            membership = Membership(committee_id=action.committee_id, user_id=user_id,
                                    role=role, joined_at=joined_at)
        return action, committee, membership

    async def many(self, action_ids: Sequence[int]) -> dict[int, Action]:
        """Several actions in one query, by id (ids not found are left out)."""
        if not action_ids:
            return {}
        marks = ", ".join("?" * len(action_ids))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE id IN ({marks})", tuple(action_ids)
        )
        return {row["id"]: _from_row(row) for row in rows}

    async def create(self, new: NewAction) -> Action:
        row = await self.db.insert_returning(_INSERT, _params(new), table="actions",
                                             columns=_COLUMNS)
        return _from_row(row)

    async def create_many(self, news: Sequence[NewAction]) -> list[Action]:
        return [await self.create(new) for new in news]

    async def update(self, action_id: int, **fields: Any) -> Action:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        values = {
            key: to_db_time(value) if isinstance(value, datetime) else value
            for key, value in fields.items()
        }
        if values:
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            await self.db.execute(
                f"UPDATE actions SET {assignments} WHERE id = :id", {**values, "id": action_id}
            )
        action = await self.get(action_id)
        assert action is not None
        return action

    async def cancel(self, action_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE actions SET status = 'cancelled', cancel_reason = ? WHERE id = ?",
            (reason, action_id),
        )

    async def mark_silence_warned(self, action_id: int) -> None:
        await self.db.execute("UPDATE actions SET silence_warned = 1 WHERE id = ?", (action_id,))

    async def of_committee(
        self, committee_id: int, *, upcoming: bool, now: datetime, limit: int, offset: int = 0
    ) -> list[Action]:
        """Upcoming (not yet ended, soonest first) or past (latest first) actions."""
        if upcoming:
            condition, order = "ends_at > ?", "starts_at, id"
        else:
            condition, order = "ends_at <= ?", "starts_at DESC, id DESC"
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE committee_id = ? AND {condition}"
            f" ORDER BY {order} LIMIT ? OFFSET ?",
            (committee_id, to_db_time(now), limit, offset),
        )
        return [_from_row(row) for row in rows]

    async def upcoming_near(
        self,
        *,
        postal_code: str | None,
        departement: str,
        now: datetime,
        limit: int,
        offset: int = 0,
    ) -> list[Action]:
        """Scheduled actions of visible committees in a département, nearest then soonest."""
        rows = await self.db.fetchall(
            f"SELECT {_PREFIXED} FROM actions a JOIN committees c ON c.id = a.committee_id"
            " WHERE c.departement = ? AND c.status = 'active' AND c.hidden = 0"
            " AND a.status = 'scheduled' AND a.ends_at > ?"
            " ORDER BY CASE WHEN c.postal_code = ? THEN 0 ELSE 1 END, a.starts_at, a.id"
            " LIMIT ? OFFSET ?",
            (departement, to_db_time(now), postal_code or "", limit, offset),
        )
        return [_from_row(row) for row in rows]

    async def in_series(self, series_id: int, *, starting_from: datetime) -> list[Action]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE series_id = ? AND starts_at >= ?"
            " ORDER BY starts_at",
            (series_id, to_db_time(starting_from)),
        )
        return [_from_row(row) for row in rows]

    async def scheduled_between(
        self, start: datetime, end: datetime, kinds: Sequence[str]
    ) -> list[Action]:
        """Scheduled actions of the given kinds overlapping [start, end)."""
        marks = ", ".join("?" * len(kinds))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE status = 'scheduled'"
            f" AND starts_at < ? AND ends_at > ? AND kind IN ({marks}) ORDER BY starts_at",
            (to_db_time(end), to_db_time(start), *kinds),
        )
        return [_from_row(row) for row in rows]

    async def for_calendar(self, committee_id: int, since: datetime) -> list[Action]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE committee_id = ? AND ends_at >= ?"
            " ORDER BY starts_at, id",
            (committee_id, to_db_time(since)),
        )
        return [_from_row(row) for row in rows]

    # Series

    async def create_series(
        self, committee_id: int, repeat: str, until_at: datetime, now: datetime
    ) -> Series:
        series_id = await self.db.execute(
            "INSERT INTO series (committee_id, repeat, until_at, created_at) VALUES (?, ?, ?, ?)",
            (committee_id, repeat, to_db_time(until_at), to_db_time(now)),
        )
        return Series(id=series_id, committee_id=committee_id, repeat=repeat,
                      until_at=until_at, created_at=now)

    async def get_series(self, series_id: int) -> Series | None:
        row = await self.db.fetchone(
            "SELECT id, committee_id, repeat, until_at, created_at FROM series WHERE id = ?",
            (series_id,),
        )
        return None if row is None else Series.model_validate(as_dict(row))

    async def for_calendar_with_series(self, committee_id: int, since: datetime) -> list[Action]:
        """Actions ending at `since` or later, plus every occurrence of a series that has one
        there: a calendar file describes a series whole (one rule, its exceptions). In the
        order they were created, which is a series' order of dates."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM actions WHERE committee_id = ? AND (ends_at >= ?"
            " OR series_id IN (SELECT series_id FROM actions WHERE committee_id = ?"
            " AND ends_at >= ? AND series_id IS NOT NULL))"
            " ORDER BY id",
            (committee_id, to_db_time(since), committee_id, to_db_time(since)),
        )
        return [_from_row(row) for row in rows]

    async def series_many(self, series_ids: Sequence[int]) -> dict[int, Series]:
        if not series_ids:
            return {}
        marks = ", ".join("?" * len(series_ids))
        rows = await self.db.fetchall(
            "SELECT id, committee_id, repeat, until_at, created_at FROM series"
            f" WHERE id IN ({marks})",
            tuple(series_ids),
        )
        return {row["id"]: Series.model_validate(as_dict(row)) for row in rows}

    # Counts for paged lists (same conditions as the lists above)

    async def count_of_committee(
        self, committee_id: int, *, upcoming: bool, now: datetime
    ) -> int:
        condition = "ends_at > ?" if upcoming else "ends_at <= ?"
        count = await self.db.fetchval(
            f"SELECT COUNT(*) FROM actions WHERE committee_id = ? AND {condition}",
            (committee_id, to_db_time(now)),
        )
        return int(count or 0)

    async def count_upcoming_near(self, *, departement: str, now: datetime) -> int:
        count = await self.db.fetchval(
            "SELECT COUNT(*) FROM actions a JOIN committees c ON c.id = a.committee_id"
            " WHERE c.departement = ? AND c.status = 'active' AND c.hidden = 0"
            " AND a.status = 'scheduled' AND a.ends_at > ?",
            (departement, to_db_time(now)),
        )
        return int(count or 0)
