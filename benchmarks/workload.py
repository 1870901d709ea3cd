"""The command mix of B1 and B2: who types what, where, decided before anything is timed.

Each `Op` is a line as a person would type it (for B1) and the ids it is about (for B2's
plain SQL). Targets are valid when planned (an answer that changes, an action with no
report yet, a committee the person is not in), so the mix measures work, not refusals.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.generate import COUNTS, _figures, space_of
from benchmarks.world import TITLES
from storage.db import to_db_time

# Share of each command in the mix: reading dominates, but every kind of write is there.
MIX = {"rsvp": 30, "info": 25, "list": 15, "join": 10, "schedule": 10, "report": 10}
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Op:
    kind: str
    user: str  # the platform user id
    space: str | None  # typed in this committee space, or privately
    line: str
    committee_id: int = 0
    action_id: int = 0
    slug: str = ""
    answer: str = ""
    postal_code: str | None = None
    departement: str = ""
    figures: dict[str, int] = field(default_factory=dict)
    # action schedule: kind, title, start, end, occurrences
    schedule: tuple[str, str, datetime, datetime, int] | None = None


@dataclass
class _Pools:
    users: int
    committees: dict[int, tuple[str, str, str, str, int]]  # id: slug, postal, dept, status, hid
    members: dict[int, dict[int, str]]  # committee: user: role
    upcoming: list[tuple[int, int, int | None]]  # action, committee, capacity
    past: list[tuple[int, int]]  # action, committee
    unreported: list[tuple[int, int, str]]  # action, committee, kind
    answers: dict[tuple[int, int], str]

    def live(self, committee_id: int) -> bool:
        return self.committees[committee_id][3] == "active"


def _pools(path: Path, now: datetime) -> _Pools:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        stamp = to_db_time(now)
        later = to_db_time(now + timedelta(hours=2))
        users = connection.execute("SELECT MAX(id) FROM users").fetchone()[0]
        committees = {row[0]: tuple(row[1:]) for row in connection.execute(
            "SELECT id, slug, postal_code, departement, status, hidden FROM committees")}
        members: dict[int, dict[int, str]] = {}
        for committee_id, user_id, role in connection.execute(
                "SELECT committee_id, user_id, role FROM memberships"):
            members.setdefault(committee_id, {})[user_id] = role
        upcoming = connection.execute(
            "SELECT id, committee_id, capacity FROM actions"
            " WHERE status = 'scheduled' AND starts_at > ? ORDER BY id", (later,)).fetchall()
        past = connection.execute(
            "SELECT id, committee_id FROM actions WHERE ends_at <= ? ORDER BY id",
            (stamp,)).fetchall()
        unreported = connection.execute(
            "SELECT a.id, a.committee_id, a.kind FROM actions a"
            " WHERE a.status = 'scheduled' AND a.starts_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.action_id = a.id) ORDER BY a.id",
            (stamp,)).fetchall()
        answers = {(row[0], row[1]): row[2] for row in connection.execute(
            "SELECT r.action_id, r.user_id, r.answer FROM rsvps r"
            " JOIN actions a ON a.id = r.action_id WHERE a.starts_at > ?", (later,))}
    finally:
        connection.close()
    return _Pools(users, committees, members, upcoming, past, unreported, answers)


class Planner:
    """Draws commands; two planners over one database never pick the same write target."""

    def __init__(self, path: Path, now: datetime, seed: int) -> None:
        self.now = now
        self.rng = random.Random(seed)
        self.pools = _pools(path, now)
        self._used: set[tuple[str, int, int]] = set()
        self._new_users = 0
        self._unreported = list(self.pools.unreported)
        self.rng.shuffle(self._unreported)

    def plan(self, count: int, tag: str) -> list[Op]:
        kinds = self.rng.choices(list(MIX), weights=list(MIX.values()), k=count)
        return [getattr(self, f"_{kind}")(tag) for kind in kinds]

    # --- helpers ------------------------------------------------------------------

    def _member(self, committee_id: int, roles: Sequence[str] | None = None) -> int:
        found = self.pools.members.get(committee_id, {})
        if roles is not None:
            return self.rng.choice([uid for uid, role in found.items() if role in roles])
        return self.rng.choice(list(found))

    def _stranger(self, committee_id: int) -> int:
        found = self.pools.members.get(committee_id, {})
        while True:
            user_id = self.rng.randint(1, self.pools.users)
            if user_id not in found:
                return user_id

    def _live_committee(self) -> int:
        while True:
            committee_id = self.rng.choice(list(self.pools.committees))
            if self.pools.live(committee_id) and not self.pools.committees[committee_id][4]:
                return committee_id

    def _where(self, committee_id: int) -> str | None:
        return space_of(committee_id) if self.rng.random() < 0.5 else None

    # --- the commands --------------------------------------------------------------

    def _rsvp(self, tag: str) -> Op:
        pools, rng = self.pools, self.rng
        while True:
            action_id, committee_id, _capacity = rng.choice(pools.upcoming)
            if not pools.live(committee_id):
                continue
            member = rng.random() < 0.9
            user_id = self._member(committee_id) if member else self._stranger(committee_id)
            if ("rsvp", action_id, user_id) in self._used:
                continue
            current = pools.answers.get((action_id, user_id))
            choices = [a for a in ("going", "maybe", "no") if a != current
                       and not (current == "waitlist" and a == "going")]
            self._used.add(("rsvp", action_id, user_id))
            answer = rng.choice(choices)
            return Op("rsvp", f"u{user_id}", self._where(committee_id),
                      f"action rsvp {action_id} {answer}", committee_id=committee_id,
                      action_id=action_id, answer=answer)

    def _info(self, tag: str) -> Op:
        pools, rng = self.pools, self.rng
        if rng.random() < 0.7:
            action_id, committee_id, _capacity = rng.choice(pools.upcoming)
        else:
            action_id, committee_id = rng.choice(pools.past)
        member = rng.random() < 0.7
        user_id = self._member(committee_id) if member else self._stranger(committee_id)
        return Op("info", f"u{user_id}", self._where(committee_id), f"action info {action_id}",
                  committee_id=committee_id, action_id=action_id)

    def _list(self, tag: str) -> Op:
        committee_id = self._live_committee()
        _slug, postal_code, departement, _status, _hidden = self.pools.committees[committee_id]
        user_id = self.rng.randint(1, self.pools.users)
        if self.rng.random() < 0.8:
            return Op("list", f"u{user_id}", None, f"committee list near={postal_code}",
                      postal_code=postal_code, departement=departement)
        return Op("list", f"u{user_id}", None, f"committee list near={departement}",
                  departement=departement)

    def _join(self, tag: str) -> Op:
        committee_id = self._live_committee()
        slug = self.pools.committees[committee_id][0]
        if self.rng.random() < 0.2:  # someone using the bot for the first time
            self._new_users += 1
            user = f"{tag}-new-{self._new_users}"
        else:
            while True:
                user_id = self._stranger(committee_id)
                if ("join", committee_id, user_id) not in self._used:
                    break
            self._used.add(("join", committee_id, user_id))
            user = f"u{user_id}"
        return Op("join", user, None, f"committee join {slug}", committee_id=committee_id,
                  slug=slug)

    def _schedule(self, tag: str) -> Op:
        rng = self.rng
        committee_id = self._live_committee()
        user_id = self._member(committee_id, ("lead", "co_lead"))
        kind = rng.choice(list(TITLES))
        title = rng.choice(TITLES[kind]).format(town="centre", q="Gare")
        day = (self.now + timedelta(days=rng.randint(2, 40))).astimezone(PARIS)
        start = datetime(day.year, day.month, day.day, rng.choice((10, 14, 18)), 0,
                         tzinfo=PARIS)
        series = rng.random() < 0.03
        line = (f'action schedule {kind} "{title}" {start:%Y-%m-%d %H:%M} duration=2h'
                f' where="Place du marché"' + (" repeat=weekly" if series else ""))
        occurrences = 14 if series else 1
        return Op("schedule", f"u{user_id}", space_of(committee_id), line,
                  committee_id=committee_id,
                  schedule=(kind, title, start, start + timedelta(hours=2), occurrences))

    def _report(self, tag: str) -> Op:
        rng = self.rng
        while self._unreported:
            action_id, committee_id, kind = self._unreported.pop()
            if self.pools.live(committee_id):
                break
        else:  # a small dataset has run out of actions to report: read one instead
            return self._info(tag)
        user_id = self._member(committee_id, ("lead", "co_lead"))
        figures = _figures(rng, kind, rng.randint(2, 20))
        given = " ".join(f"{name}={figures[name]}" for name in COUNTS if name in figures)
        return Op("report", f"u{user_id}", self._where(committee_id),
                  f"report {action_id} {given}", committee_id=committee_id,
                  action_id=action_id, figures=figures)
