"""B1: the command mix through the whole framework, in process, one command after another.

Each command goes through `Dispatcher.handle_line` exactly as a chat line from a platform
would (user lookup, rate limit, parsing, permission, one unit of work, the handler, its
posts to the platform port), and its replies are rendered to text, as a platform must.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.measure import Samples
from benchmarks.platform import CountingPlatform
from benchmarks.scale import NOW, PLATFORM
from benchmarks.workload import Op
from commands import notify
from commands.clock import FixedClock
from commands.dispatch import Dispatcher, Request
from commands.i18n import RenderContext, render
from commands.ports import Place
from commands.reply import Reply
from commands.services import Services
from commands.settings import Settings
from storage.db import Database, open_database
from storage.repositories import Repositories

STEP = timedelta(milliseconds=100)


class Bench:
    """A running Comités over one database: services, a dispatcher, a counting platform."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        self.db = db
        self.platform = CountingPlatform()
        self.clock = FixedClock(NOW)
        self.services = Services(repos=Repositories(db), settings=settings or Settings(),
                                 clock=self.clock, ports={PLATFORM: self.platform})
        self.dispatcher = Dispatcher(self.services)

    @classmethod
    async def open(cls, path: Path) -> Bench:
        import commands.catalog  # noqa: F401  (declares every command)

        return cls(await open_database(path))

    async def say(self, user: str, line: str, space: str | None = None,
                  staff: bool = False) -> tuple[bool, str]:
        """One command; whether it succeeded, and its replies as the person reads them."""
        request = Request(platform=PLATFORM, user_id=user, place=Place(PLATFORM, space),
                          is_staff=staff)
        outcome = await self.dispatcher.handle_line(request, line)
        # Commands arrive over time: ten a second, so the rate limit sees minutes go by.
        self.clock.advance(STEP)
        context = RenderContext(outcome.locale)
        text = "\n".join(render(reply.text, context) for reply in outcome.replies)
        return not any(reply.error for reply in outcome.replies), text

    async def close(self) -> None:
        await self.services.drain()
        await self.db.close()


class Tally:
    """B1's latencies, overall and per kind of command, and what was refused."""

    def __init__(self) -> None:
        self.overall = Samples()
        self.by_kind: dict[str, Samples] = {}
        self.refused: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def summary(self) -> dict[str, Any]:
        for samples in self.by_kind.values():
            samples.elapsed = sum(samples.seconds)
        return {
            **self.overall.summary(),
            "by_kind": {kind: samples.summary() for kind, samples in sorted(self.by_kind.items())},
            "refused": dict(self.refused),
            "refusal_examples": self.examples,
        }


async def run_ops(bench: Bench, ops: Sequence[Op], tally: Tally | None = None) -> None:
    """Run `ops` one after the other, timing each into `tally` (none: a warm-up)."""
    clock = time.perf_counter
    started = clock()
    for op in ops:
        before = clock()
        ok, text = await bench.say(op.user, op.line, op.space)
        spent = clock() - before
        if tally is None:
            continue
        tally.overall.add(spent)
        tally.by_kind.setdefault(op.kind, Samples()).add(spent)
        if not ok:
            tally.refused[op.kind] += 1
            tally.examples.setdefault(op.kind, f"{op.line} -> {text[:300]}")
    if tally is not None:
        tally.overall.elapsed += clock() - started


async def post_staff(bench: Bench, reply: Reply) -> None:
    """As the weekly digest reaches staff: rendered in the organisation's language."""
    await notify.post_staff(bench.services, reply)
