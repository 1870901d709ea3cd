"""The national digest's figures, aggregated in SQL: a few queries per figure, on indexes.

Every figure of a period is compared with the one before, so most queries read both windows
in one range scan (`actions_held_start`, `committees_departement`, the reports' unique
action id) and tell the rows apart with a CASE. Week buckets for the chart are a CASE over
boundaries computed by the caller (local midnights), which keeps the SQL portable: no date
functions.

An action is *held* in a window when it is not cancelled and starts inside it; what it did
is its report, joined on the action (the same rule as a committee's totals in
`storage.reports`), so the figures of a committee, a département and the country add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time
from storage.reports import COUNTS

CURRENT = "current"
PREVIOUS = "previous"


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC."""

    start: datetime
    end: datetime


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class CommitteeCounts(_Row):
    new_current: int
    new_previous: int
    # Active (not suspended, not archived) committees today.
    live: int


class FieldSums(_Row):
    """What the actions held in one window did: counts and their reports' sums."""

    held: int
    reported: int
    attendees: int
    doors_knocked: int
    doors_opened: int
    conversations: int
    contacts: int
    leaflets: int
    calls_made: int
    calls_answered: int
    posters: int
    new_members: int
    # Conversations reported by actions of the kind given as `phone_kind`.
    phone_conversations: int

    @classmethod
    def total(cls, parts: Iterable[FieldSums]) -> FieldSums:
        """Field by field, the sum of `parts` (all zero when there are none)."""
        found = dict.fromkeys(cls.model_fields, 0)
        for part in parts:
            for name in found:
                found[name] += getattr(part, name)
        return cls.model_validate(found)


class DepartementRow(_Row):
    departement: str
    actions: int
    previous_actions: int
    attendees: int


class CommitteeRow(_Row):
    id: int
    slug: str
    name: str
    departement: str
    actions: int
    attendees: int


class SilentCommittee(_Row):
    id: int
    slug: str
    name: str
    departement: str
    members: int
    # When its last action (before the window) started; None if it never had one.
    last_action: datetime | None


class Upcoming(_Row):
    actions: dict[str, int]
    committees: int


class FlagCounts(_Row):
    flags: int
    items: int


class WeekCount(_Row):
    week: int
    kind: str
    count: int


class CommitteeExport(NamedTuple):
    """One committee as the CSV shows it, with what its held actions did in a window.

    A named tuple rather than a model: an export reads 10,000 rows at once, and validating
    each would cost more than the query. Times are as stored, ISO 8601 UTC text.
    """

    id: int
    slug: str
    name: str
    place: str
    postal_code: str
    departement: str
    status: str
    created_at: str
    members: int
    held: int
    reported: int
    # The sums of storage.reports.COUNTS, in that order.
    attendees: int
    doors_knocked: int
    doors_opened: int
    conversations: int
    contacts: int
    leaflets: int
    calls_made: int
    calls_answered: int
    posters: int
    new_members: int
    phone_conversations: int


_SUMS = ", ".join(f"COALESCE(SUM(r.{name}), 0) AS {name}" for name in COUNTS)
_HELD = "a.status = 'scheduled'"


def _bucketed(current: Window, previous: Window) -> tuple[str, dict[str, Any]]:
    """A condition keeping the actions that start in either window (one range scan on
    `actions_held_start`), and the parameters it uses."""
    if previous.end > current.start:
        raise ValueError("the previous window must end before the current one starts")
    condition = (
        f"{_HELD} AND a.starts_at >= :previous_start AND a.starts_at < :current_end"
        " AND (a.starts_at < :previous_end OR a.starts_at >= :current_start)"
    )
    return condition, {
        "previous_start": to_db_time(previous.start),
        "previous_end": to_db_time(previous.end),
        "current_start": to_db_time(current.start),
        "current_end": to_db_time(current.end),
    }


_BUCKET = f"CASE WHEN a.starts_at >= :current_start THEN '{CURRENT}' ELSE '{PREVIOUS}' END"


def _in_departement(column: str, departement: str | None, params: dict[str, Any]) -> str:
    """` AND <committee column> in the département`, or nothing for the whole country."""
    if departement is None:
        return ""
    params["departement"] = departement
    return (f" AND {column} IN (SELECT id FROM committees"
            " WHERE departement = :departement)")


def _members(alias: str) -> str:
    return f"(SELECT COUNT(*) FROM memberships m WHERE m.committee_id = {alias}.id)"


class DigestRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def committee_counts(
        self, current: Window, previous: Window, departement: str | None
    ) -> CommitteeCounts:
        """Committees created in each window (whatever became of them), and live ones now."""
        params: dict[str, Any] = {
            "cs": to_db_time(current.start), "ce": to_db_time(current.end),
            "ps": to_db_time(previous.start), "pe": to_db_time(previous.end),
        }
        where = ""
        if departement is not None:
            where = " WHERE departement = :departement"
            params["departement"] = departement
        row, = await self.db.scan(
            "SELECT"
            " COALESCE(SUM(CASE WHEN created_at >= :cs AND created_at < :ce THEN 1 ELSE 0 END),"
            " 0) AS new_current,"
            " COALESCE(SUM(CASE WHEN created_at >= :ps AND created_at < :pe THEN 1 ELSE 0 END),"
            " 0) AS new_previous,"
            " COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0) AS live"
            f" FROM committees{where}",
            params,
        )
        return CommitteeCounts.model_validate(as_dict(row))

    async def active_committees(
        self, current: Window, previous: Window, departement: str | None
    ) -> dict[str, int]:
        """Committees with at least one action held, per window."""
        condition, params = _bucketed(current, previous)
        condition += _in_departement("a.committee_id", departement, params)
        rows = await self.db.scan(
            "SELECT bucket, COUNT(DISTINCT committee_id) AS n FROM"
            f" (SELECT {_BUCKET} AS bucket, a.committee_id AS committee_id FROM actions a"
            f" WHERE {condition}) AS held GROUP BY bucket",
            params,
        )
        found = {CURRENT: 0, PREVIOUS: 0}
        found.update({row["bucket"]: int(row["n"]) for row in rows})
        return found

    async def held_by_kind(
        self, current: Window, previous: Window, departement: str | None, *, phone_kind: str
    ) -> dict[str, dict[str, FieldSums]]:
        """Per window and kind of action: actions held, how many reported, and their reports'
        sums. {"current": {kind: sums}, "previous": {kind: sums}}; kinds with none left out."""
        condition, params = _bucketed(current, previous)
        condition += _in_departement("a.committee_id", departement, params)
        params["phone_kind"] = phone_kind
        rows = await self.db.scan(
            f"SELECT {_BUCKET} AS bucket, a.kind AS kind, COUNT(a.id) AS held,"
            f" COUNT(r.id) AS reported, {_SUMS},"
            " COALESCE(SUM(CASE WHEN r.kind = :phone_kind THEN r.conversations END), 0)"
            " AS phone_conversations"
            " FROM actions a LEFT JOIN reports r ON r.action_id = a.id"
            f" WHERE {condition} GROUP BY bucket, a.kind",
            params,
        )
        found: dict[str, dict[str, FieldSums]] = {CURRENT: {}, PREVIOUS: {}}
        for row in rows:
            data = as_dict(row)
            found[data.pop("bucket")][data.pop("kind")] = FieldSums.model_validate(data)
        return found

    async def top_departements(
        self, current: Window, previous: Window, departement: str | None, *, limit: int
    ) -> list[DepartementRow]:
        """Départements by actions held (then attendees), with last period's actions."""
        condition, params = _bucketed(current, previous)
        condition += _in_departement("a.committee_id", departement, params)
        params["limit"] = limit
        rows = await self.db.scan(
            "SELECT c.departement AS departement,"
            " SUM(CASE WHEN a.starts_at >= :current_start THEN 1 ELSE 0 END) AS actions,"
            " SUM(CASE WHEN a.starts_at < :current_start THEN 1 ELSE 0 END) AS previous_actions,"
            " COALESCE(SUM(CASE WHEN a.starts_at >= :current_start THEN r.attendees END), 0)"
            " AS attendees"
            " FROM actions a JOIN committees c ON c.id = a.committee_id"
            " LEFT JOIN reports r ON r.action_id = a.id"
            f" WHERE {condition} GROUP BY c.departement"
            " HAVING SUM(CASE WHEN a.starts_at >= :current_start THEN 1 ELSE 0 END) > 0"
            " ORDER BY actions DESC, attendees DESC, c.departement LIMIT :limit",
            params,
        )
        return [DepartementRow.model_validate(as_dict(row)) for row in rows]

    async def top_committees(
        self, window: Window, departement: str | None, *, limit: int
    ) -> list[CommitteeRow]:
        """Committees by actions held in the window, then attendees."""
        params: dict[str, Any] = {
            "start": to_db_time(window.start), "end": to_db_time(window.end), "limit": limit,
        }
        condition = _in_departement("a.committee_id", departement, params)
        rows = await self.db.scan(
            "SELECT c.id AS id, c.slug AS slug, c.name AS name, c.departement AS departement,"
            " held.actions AS actions, held.attendees AS attendees FROM"
            " (SELECT a.committee_id AS committee_id, COUNT(*) AS actions,"
            " COALESCE(SUM(r.attendees), 0) AS attendees"
            " FROM actions a LEFT JOIN reports r ON r.action_id = a.id"
            f" WHERE {_HELD} AND a.starts_at >= :start AND a.starts_at < :end{condition}"
            " GROUP BY a.committee_id) AS held"
            " JOIN committees c ON c.id = held.committee_id"
            " ORDER BY held.actions DESC, held.attendees DESC, c.name, c.id LIMIT :limit",
            params,
        )
        return [CommitteeRow.model_validate(as_dict(row)) for row in rows]

    async def silent_committees(
        self, quiet: Window, departement: str | None, *, limit: int
    ) -> tuple[int, list[SilentCommittee]]:
        """Active committees, older than the window, with no action held in it: how many,
        and the largest of them (by members). One pass: the count rides on each row."""
        if limit < 1:
            raise ValueError("the count comes with the rows: ask for one at least")
        params: dict[str, Any] = {
            "start": to_db_time(quiet.start), "end": to_db_time(quiet.end), "limit": limit,
        }
        where = (
            "c.status = 'active' AND c.created_at < :start AND NOT EXISTS"
            " (SELECT 1 FROM actions a WHERE a.committee_id = c.id AND a.status = 'scheduled'"
            " AND a.starts_at >= :start AND a.starts_at < :end)"
        )
        if departement is not None:
            where += " AND c.departement = :departement"
            params["departement"] = departement
        rows = await self.db.scan(
            "WITH silent AS (SELECT c.id AS id, c.slug AS slug, c.name AS name,"
            f" c.departement AS departement FROM committees c WHERE {where})"
            " SELECT s.id AS id, s.slug AS slug, s.name AS name, s.departement AS departement,"
            f" {_members('s')} AS members,"
            " (SELECT MAX(a.starts_at) FROM actions a WHERE a.committee_id = s.id"
            " AND a.status = 'scheduled' AND a.starts_at < :start) AS last_action,"
            " (SELECT COUNT(*) FROM silent) AS total"
            " FROM silent s ORDER BY members DESC, s.name, s.id LIMIT :limit",
            params,
        )
        count = int(rows[0]["total"]) if rows else 0
        return count, [SilentCommittee.model_validate(
            {key: row[key] for key in SilentCommittee.model_fields}) for row in rows]

    async def upcoming(self, window: Window, departement: str | None) -> Upcoming:
        """Actions scheduled in the window by active committees: per kind, and how many
        committees hold them."""
        params: dict[str, Any] = {"start": to_db_time(window.start),
                                  "end": to_db_time(window.end)}
        where = (
            f"{_HELD} AND a.starts_at >= :start AND a.starts_at < :end"
            " AND c.status = 'active'"
        )
        if departement is not None:
            where += " AND c.departement = :departement"
            params["departement"] = departement
        source = f"FROM actions a JOIN committees c ON c.id = a.committee_id WHERE {where}"
        rows = await self.db.scan(
            f"SELECT a.kind AS kind, COUNT(*) AS n {source} GROUP BY a.kind", params
        )
        (committees,), = await self.db.scan(
            f"SELECT COUNT(DISTINCT a.committee_id) {source}", params
        )
        return Upcoming(actions={row["kind"]: int(row["n"]) for row in rows},
                        committees=int(committees or 0))

    async def open_flags(self, departement: str | None) -> FlagCounts:
        """Open flags, and the items they are on. In a département: flags on its committees,
        their actions and their materials (national materials belong to no département)."""
        params: dict[str, Any] = {}
        located = ""
        if departement is not None:
            params["departement"] = departement
            located = (
                " AND ((f.target_kind = 'committee' AND f.target_id IN"
                " (SELECT id FROM committees WHERE departement = :departement))"
                " OR (f.target_kind = 'action' AND f.target_id IN"
                " (SELECT a.id FROM actions a JOIN committees c ON c.id = a.committee_id"
                " WHERE c.departement = :departement))"
                " OR (f.target_kind = 'material' AND f.target_id IN"
                " (SELECT m.id FROM materials m JOIN committees c ON c.id = m.committee_id"
                " WHERE c.departement = :departement)))"
            )
        row, = await self.db.scan(
            "SELECT COALESCE(SUM(n), 0) AS flags, COUNT(*) AS items FROM"
            " (SELECT COUNT(*) AS n FROM flags f"
            f" WHERE f.status = 'open'{located} GROUP BY f.target_kind, f.target_id) AS items",
            params,
        )
        return FlagCounts(flags=int(row["flags"]), items=int(row["items"]))

    async def actions_per_week(
        self, boundaries: Sequence[datetime], departement: str | None
    ) -> list[WeekCount]:
        """Actions held per week and kind; week i is [boundaries[i], boundaries[i + 1])."""
        if len(boundaries) < 2:
            raise ValueError("at least two boundaries make one week")
        params: dict[str, Any] = {f"b{index}": to_db_time(moment)
                                  for index, moment in enumerate(boundaries)}
        last = len(boundaries) - 1
        cases = " ".join(f"WHEN a.starts_at < :b{index} THEN {index - 1}"
                         for index in range(1, last))
        week = f"CASE {cases} ELSE {last - 1} END" if cases else "0"
        condition = _in_departement("a.committee_id", departement, params)
        rows = await self.db.scan(
            f"SELECT {week} AS week, a.kind AS kind, COUNT(*) AS count FROM actions a"
            f" WHERE {_HELD} AND a.starts_at >= :b0 AND a.starts_at < :b{last}{condition}"
            " GROUP BY week, a.kind ORDER BY week, kind",
            params,
        )
        return [WeekCount.model_validate(as_dict(row)) for row in rows]

    async def committees_export(
        self, window: Window, departement: str | None, *, phone_kind: str
    ) -> list[CommitteeExport]:
        """Every committee (in the département), with what its actions held in the window
        did; by département, then name."""
        params: dict[str, Any] = {"start": to_db_time(window.start),
                                  "end": to_db_time(window.end), "phone_kind": phone_kind}
        where = ""
        if departement is not None:
            where = " WHERE c.departement = :departement"
            params["departement"] = departement
        # Three reads, each on its own index, joined here: SQLite would otherwise build a
        # temporary index over each grouped part for every digest.
        committees = await self.db.scan(
            "SELECT c.id, c.slug, c.name, c.place, c.postal_code, c.departement, c.status,"
            f" c.created_at FROM committees c{where} ORDER BY c.departement, c.name, c.id",
            params)
        members = {row[0]: row[1] for row in await self.db.scan(
            "SELECT committee_id, COUNT(*) FROM memberships GROUP BY committee_id")}
        held = {row[0]: tuple(row)[1:] for row in await self.db.scan(
            "SELECT a.committee_id, COUNT(a.id), COUNT(r.id),"
            f" {_SUMS}, COALESCE(SUM(CASE WHEN r.kind = :phone_kind"
            " THEN r.conversations END), 0)"
            " FROM actions a LEFT JOIN reports r ON r.action_id = a.id"
            f" WHERE {_HELD} AND a.starts_at >= :start AND a.starts_at < :end"
            " GROUP BY a.committee_id", params)}
        fields = CommitteeExport._fields
        nothing = (0,) * (len(fields) - fields.index("held"))  # held nothing in the window
        return [CommitteeExport._make(
            (*row, members.get(row[0], 0), *held.get(row[0], nothing))) for row in committees]
