"""Field reports: what one action did, one row per action, and totals over many."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time

# The counted columns, in the order they are shown. NULL where a kind does not ask for one.
COUNTS = ("attendees", "doors_knocked", "doors_opened", "conversations", "contacts",
          "leaflets", "calls_made", "calls_answered", "posters", "new_members")


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    action_id: int
    committee_id: int
    kind: str
    held_at: datetime
    attendees: int
    doors_knocked: int | None
    doors_opened: int | None
    conversations: int | None
    contacts: int | None
    leaflets: int | None
    calls_made: int | None
    calls_answered: int | None
    posters: int | None
    new_members: int | None
    notes: str
    photo_sha256: str | None
    reported_by: int | None
    created_at: datetime
    updated_at: datetime

    @property
    def figures(self) -> dict[str, int]:
        """The counts this report holds (the ones left NULL are not there)."""
        found = {name: getattr(self, name) for name in COUNTS}
        return {name: value for name, value in found.items() if value is not None}


class Totals(BaseModel):
    """Actions held (not cancelled, started in the period), how many have a report, and the
    sum of each count over those reports (a count no report gave is absent)."""

    model_config = ConfigDict(frozen=True)

    held: int
    reported: int
    figures: dict[str, int]


_COLUMNS = ("id, action_id, committee_id, kind, held_at, " + ", ".join(COUNTS)
            + ", notes, photo_sha256, reported_by, created_at, updated_at")
_SUMS = ", ".join(f"SUM(r.{name}) AS {name}" for name in COUNTS)


def _from_row(row: sqlite3.Row) -> Report:
    return Report.model_validate(as_dict(row))


def _checked(figures: Mapping[str, int]) -> dict[str, int]:
    unknown = set(figures) - set(COUNTS)
    if unknown:
        raise ValueError(f"not a report count: {sorted(unknown)}")
    return dict(figures)


def _totals(row: sqlite3.Row | None) -> Totals:
    if row is None:
        return Totals(held=0, reported=0, figures={})
    figures = {name: int(row[name]) for name in COUNTS if row[name] is not None}
    return Totals(held=int(row["held"] or 0), reported=int(row["reported"] or 0),
                  figures=figures)


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, report_id: int) -> Report | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return None if row is None else _from_row(row)

    async def for_action(self, action_id: int) -> Report | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM reports WHERE action_id = ?", (action_id,)
        )
        return None if row is None else _from_row(row)

    async def create(
        self,
        *,
        action_id: int,
        committee_id: int,
        kind: str,
        held_at: datetime,
        figures: Mapping[str, int],
        notes: str,
        reported_by: int,
        now: datetime,
        photo_sha256: str | None = None,
    ) -> Report:
        """The action's report; `figures` must include attendees. `photo_sha256` names a blob
        already stored (the blob store keeps the file; a report only points at it)."""
        values = _checked(figures)
        if "attendees" not in values:
            raise ValueError("a report needs attendees")
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        row = await self.db.insert_returning(
            f"INSERT INTO reports (action_id, committee_id, kind, held_at, {names}, notes,"
            " photo_sha256, reported_by, created_at, updated_at)"
            f" VALUES (:action_id, :committee_id, :kind, :held_at, {marks}, :notes,"
            " :photo_sha256, :reported_by, :now, :now)",
            {**values, "action_id": action_id, "committee_id": committee_id, "kind": kind,
             "held_at": to_db_time(held_at), "notes": notes, "photo_sha256": photo_sha256,
             "reported_by": reported_by, "now": to_db_time(now)},
            table="reports", columns=_COLUMNS,
        )
        return _from_row(row)

    async def update(
        self,
        report_id: int,
        *,
        figures: Mapping[str, int],
        now: datetime,
        notes: str | None = None,
        photo_sha256: str | None = None,
    ) -> Report:
        """Change the counts given (and the notes or photo when given); the rest stays."""
        values: dict[str, object] = dict(_checked(figures))
        if notes is not None:
            values["notes"] = notes
        if photo_sha256 is not None:
            values["photo_sha256"] = photo_sha256
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        separator = ", " if assignments else ""
        await self.db.execute(
            f"UPDATE reports SET {assignments}{separator}updated_at = :now WHERE id = :id",
            {**values, "now": to_db_time(now), "id": report_id},
        )
        report = await self.get(report_id)
        assert report is not None
        return report

    async def committee_totals(
        self, committee_id: int, *, since: datetime, until: datetime
    ) -> Totals:
        """A committee's actions that started in [since, until), and what their reports say."""
        row = await self.db.fetchone(
            f"SELECT COUNT(a.id) AS held, COUNT(r.id) AS reported, {_SUMS}"
            " FROM actions a LEFT JOIN reports r ON r.action_id = a.id"
            " WHERE a.committee_id = ? AND a.status = 'scheduled'"
            " AND a.starts_at >= ? AND a.starts_at < ?",
            (committee_id, to_db_time(since), to_db_time(until)),
        )
        return _totals(row)

    async def campaign_totals(self, campaign_id: int) -> Totals:
        """What the reports of a campaign's actions (cancelled ones left out) add up to;
        `held` counts its tagged actions, whenever they are."""
        row = await self.db.fetchone(
            f"SELECT COUNT(a.id) AS held, COUNT(r.id) AS reported, {_SUMS}"
            " FROM actions a LEFT JOIN reports r ON r.action_id = a.id"
            " WHERE a.campaign_id = ? AND a.status = 'scheduled'",
            (campaign_id,),
        )
        return _totals(row)
