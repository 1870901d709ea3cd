"""B2: the same command mix as plain `sqlite3` statements, the floor B1 is compared with.

Each command does the reads and writes its B1 twin needs (who is asking, the rate limit,
the committee, the role, the rows it shows, the rows it writes, the audit entry), in one
transaction, on a synchronous connection with the same pragmas, and nothing else: no
parsing, no models, no rendering, no thread hop.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.measure import Samples
from benchmarks.scale import NOW, PLATFORM
from benchmarks.workload import Op
from storage.db import PRAGMAS, Params, to_db_time

NOW_TEXT = to_db_time(NOW)
PAGE = 10


class Floor:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            self.db.execute(pragma)
        self.counts: dict[int, int] = {}

    def close(self) -> None:
        self.db.close()

    def run_ops(self, ops: Sequence[Op], samples: Samples | None = None) -> None:
        """Run `ops` one after the other, timing each into `samples` (none: a warm-up)."""
        clock = time.perf_counter
        started = clock()
        for op in ops:
            before = clock()
            self.run(op)
            if samples is not None:
                samples.add(clock() - before)
        if samples is not None:
            samples.elapsed += clock() - started

    def one(self, sql: str, params: Params = ()) -> Any:
        return self.db.execute(sql, params).fetchone()

    def all(self, sql: str, params: Params = ()) -> list[Any]:
        return self.db.execute(sql, params).fetchall()

    def run(self, op: Op) -> None:
        self.db.execute("BEGIN")
        try:
            user_id = self._prelude(op)
            getattr(self, f"_{op.kind}")(op, user_id)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _prelude(self, op: Op) -> int:
        """Every command: who is asking (created on first sight), where, the rate limit."""
        found = self.one("SELECT id, locale FROM users WHERE platform = ? AND platform_user_id = ?",
                         (PLATFORM, op.user))
        if found is None:
            user_id = int(self.db.execute(
                "INSERT INTO users (platform, platform_user_id, created_at) VALUES (?, ?, ?)",
                (PLATFORM, op.user, NOW_TEXT)).lastrowid or 0)
        else:
            user_id = int(found[0])
        if op.space is not None:
            self.one("SELECT c.* FROM committees c JOIN committee_spaces s"
                     " ON s.committee_id = c.id WHERE s.platform = ? AND s.space_id = ?",
                     (PLATFORM, op.space))
        # The rate limit is counted in memory, as B1 does.
        self.counts[user_id] = self.counts.get(user_id, 0) + 1
        return user_id

    def _about(self, op: Op, user_id: int) -> tuple[Any, Any, Any]:
        action = self.one("SELECT * FROM actions WHERE id = ?", (op.action_id,))
        committee = self.one("SELECT * FROM committees WHERE id = ?", (op.committee_id,))
        role = self.one("SELECT role FROM memberships WHERE committee_id = ? AND user_id = ?",
                        (op.committee_id, user_id))
        return action, committee, role

    def _card(self, op: Op, user_id: int, action: Any, leading: bool) -> None:
        self.all("SELECT answer, COUNT(*) FROM rsvps WHERE action_id = ? GROUP BY answer",
                 (op.action_id,))
        self.one("SELECT * FROM rsvps WHERE action_id = ? AND user_id = ?",
                 (op.action_id, user_id))
        if action["campaign_id"] is not None:
            self.one("SELECT * FROM campaigns WHERE id = ?", (action["campaign_id"],))
        if leading:
            rows = self.all("SELECT user_id, answer FROM rsvps WHERE action_id = ?"
                            " ORDER BY answered_at, rowid", (op.action_id,))
            ids = [row[0] for row in rows]
            if ids:
                self.all(f"SELECT * FROM users WHERE id IN ({', '.join('?' * len(ids))})", ids)

    def _audit(self, user_id: int, what: str, kind: str, target: int, committee: int) -> None:
        self.db.execute(
            "INSERT INTO audit_log (actor_id, action, target_kind, target_id, committee_id,"
            " before, after, created_at) VALUES (?, ?, ?, ?, ?, NULL, '{}', ?)",
            (user_id, what, kind, target, committee, NOW_TEXT))

    def _rsvp(self, op: Op, user_id: int) -> None:
        action, _committee, role = self._about(op, user_id)
        self.one("SELECT answer FROM rsvps WHERE action_id = ? AND user_id = ?",
                 (op.action_id, user_id))
        if op.answer == "going" and action["capacity"] is not None:
            self.one("SELECT COUNT(*) FROM rsvps WHERE action_id = ? AND answer = 'going'",
                     (op.action_id,))
        self.db.execute(
            "INSERT INTO rsvps (action_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (action_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " answered_at = excluded.answered_at", (op.action_id, user_id, op.answer, NOW_TEXT))
        self._audit(user_id, "action.rsvp", "action", op.action_id, op.committee_id)
        self._card(op, user_id, action, role is not None and role[0] != "member")

    def _info(self, op: Op, user_id: int) -> None:
        action, _committee, role = self._about(op, user_id)
        self._card(op, user_id, action, role is not None and role[0] != "member")

    def _list(self, op: Op, user_id: int) -> None:
        """The page read part by part from the indexes, as `CommitteeRepository.search`, one
        more than shown to know whether there is a next page (nearest first: no total)."""
        where = "status = 'active' AND hidden = 0"
        parts = ("postal_code = :pc", "departement = :d AND postal_code <> :pc",
                 "departement <> :d AND postal_code <> :pc")
        union = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {rank} AS rank, * FROM committees WHERE {part} AND {where}"
            f" ORDER BY name_key, id LIMIT :n) AS part{rank}" for rank, part in enumerate(parts))
        self.all(
            "SELECT page.*, (SELECT COUNT(*) FROM memberships m WHERE m.committee_id = page.id)"
            f" FROM (SELECT * FROM ({union}) ORDER BY rank, name_key, id LIMIT :n) AS page"
            " ORDER BY page.rank, page.name_key, page.id",
            {"pc": op.postal_code or "", "d": op.departement, "n": PAGE + 1})

    def _join(self, op: Op, user_id: int) -> None:
        self.one("SELECT * FROM committees WHERE slug = ?", (op.slug,))
        self.one("SELECT role FROM memberships WHERE committee_id = ? AND user_id = ?",
                 (op.committee_id, user_id))
        self.db.execute("INSERT INTO memberships (committee_id, user_id, role, joined_at)"
                        " VALUES (?, ?, 'member', ?)", (op.committee_id, user_id, NOW_TEXT))
        self._audit(user_id, "committee.join", "user", user_id, op.committee_id)
        self.all("SELECT platform, space_id FROM committee_spaces WHERE committee_id = ?",
                 (op.committee_id,))

    def _schedule(self, op: Op, user_id: int) -> None:
        assert op.schedule is not None
        kind, title, start, end, occurrences = op.schedule
        self.one("SELECT role FROM memberships WHERE committee_id = ? AND user_id = ?",
                 (op.committee_id, user_id))
        series_id = None
        if occurrences > 1:
            series_id = self.db.execute(
                "INSERT INTO series (committee_id, repeat, until_at, created_at)"
                " VALUES (?, 'weekly', ?, ?)", (op.committee_id, to_db_time(end), NOW_TEXT)
            ).lastrowid
        first = 0
        for week in range(occurrences):
            shift = week * 7 * 86_400
            starts = to_db_time(start) if not shift else to_db_time(
                start.fromtimestamp(start.timestamp() + shift, start.tzinfo))
            action_id = self.db.execute(
                "INSERT INTO actions (committee_id, series_id, kind, title, starts_at, ends_at,"
                " location, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (op.committee_id, series_id, kind, title, starts, to_db_time(end),
                 "Place du marché", user_id, NOW_TEXT)).lastrowid
            first = first or int(action_id or 0)
            self.db.executemany(
                "INSERT INTO reminders (action_id, kind, due_at) VALUES (?, ?, ?)",
                [(action_id, name, starts) for name in ("day_before", "hour_before",
                                                       "report_prompt")])
        self._audit(user_id, "action.schedule", "action", first, op.committee_id)
        self.all("SELECT answer, COUNT(*) FROM rsvps WHERE action_id = ? GROUP BY answer",
                 (first,))

    def _report(self, op: Op, user_id: int) -> None:
        self._about(op, user_id)
        self.one("SELECT * FROM reports WHERE action_id = ?", (op.action_id,))
        names = list(op.figures)
        self.db.execute(
            f"INSERT INTO reports (action_id, committee_id, kind, held_at, {', '.join(names)},"
            " notes, reported_by, created_at, updated_at)"
            f" SELECT id, committee_id, kind, starts_at, {', '.join('?' * len(names))},"
            " '', ?, ?, ? FROM actions WHERE id = ?",
            (*op.figures.values(), user_id, NOW_TEXT, NOW_TEXT, op.action_id))
        self._audit(user_id, "report.create", "report", op.action_id, op.committee_id)
        self.all("SELECT platform, space_id FROM committee_spaces WHERE committee_id = ?",
                 (op.committee_id,))
