"""B5: many reminders due in the same minute, claimed and handed to the platform port.

Set up with plain SQL (not timed): that many actions starting tomorrow at the same time (a
Saturday morning: 10:00 everywhere), one to three hours long, in live committees, three
members going to each, so that every day-before reminder is due at `NOW`. Timed: one
`commands.reminders.deliver_due` pass at `NOW`, which claims every one of them, reads what
they need, hands one direct message per person to the port, and marks them sent.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.mix import Bench
from benchmarks.scale import NOW
from commands.reminders import deliver_due
from storage.db import to_db_time

GOING = 3


def prepare(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        committees = [row[0] for row in connection.execute(
            "SELECT id FROM committees WHERE status = 'active' ORDER BY id")]
        members: dict[int, list[int]] = {}
        for committee_id, user_id in connection.execute(
                "SELECT committee_id, user_id FROM memberships ORDER BY committee_id, user_id"):
            members.setdefault(committee_id, []).append(user_id)
        first = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM actions").fetchone()[0]
        actions, rsvps, reminders = [], [], []
        for number in range(count):
            action_id = first + number
            committee_id = rng.choice(committees)
            starts = NOW + timedelta(hours=24)
            ends = starts + timedelta(hours=rng.randint(1, 3))
            actions.append((action_id, committee_id, "leafleting", f"Tractage {number}",
                            to_db_time(starts), to_db_time(ends),
                            "Place du marché", "Rendez-vous devant la mairie" if number % 2
                            else "", members[committee_id][0], to_db_time(NOW - timedelta(
                                days=3))))
            for user_id in rng.sample(members[committee_id], GOING):
                rsvps.append((action_id, user_id, "going", to_db_time(NOW - timedelta(days=1))))
            reminders.append((action_id, "day_before", to_db_time(NOW)))
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO actions (id, committee_id, kind, title, starts_at, ends_at, location,"
            " details, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", actions)
        connection.executemany(
            "INSERT INTO rsvps (action_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?)",
            rsvps)
        connection.executemany(
            "INSERT INTO reminders (action_id, kind, due_at) VALUES (?, ?, ?)", reminders)
        connection.execute("COMMIT")
    finally:
        connection.close()


async def run(path: Path, count: int, seed: int) -> dict[str, Any]:
    prepare(path, count, seed)
    bench = await Bench.open(path)
    try:
        due = await bench.services.repos.reminders.pending_until(NOW)
        started = time.perf_counter()
        done = await deliver_due(bench.services, now=NOW)
        seconds = time.perf_counter() - started
        return {
            "seconds": round(seconds, 3),
            "due": len(due),
            "sent": len(done.sent),
            "skipped": len(done.skipped),
            "failed": len(done.failed),
            "messages": done.messages,
            "handed_to_port": bench.platform.messages,
            "per_second": round(len(done.sent) / seconds, 1) if seconds else None,
        }
    finally:
        await bench.close()
