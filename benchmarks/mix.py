"""B1: the command mix through the whole framework, in process, one command after another.

Each command goes through `Dispatcher.handle_line` exactly as a chat line from a platform
would (user lookup, rate limit, parsing, permission, one unit of work, the handler, its
posts to the platform port), and its replies are rendered to text, as a platform must.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.measure import Samples
from benchmarks.platform import CountingPlatform
from benchmarks.scale import NOW, PLATFORM
from benchmarks.workload import Op
from commands.clock import FixedClock
from commands.dispatch import Dispatcher, Request
from commands.i18n import RenderContext, render
from commands.ports import Place
from commands.services import Services
from commands.settings import Settings
from storage.db import Database, open_database
from storage.repositories import Repositories


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
        context = RenderContext(outcome.locale)
        text = "\n".join(render(reply.text, context) for reply in outcome.replies)
        return not any(reply.error for reply in outcome.replies), text

    async def close(self) -> None:
        await self.services.drain()
        await self.db.close()


async def run(path: Path, warmup: Sequence[Op], ops: Sequence[Op]) -> dict[str, Any]:
    bench = await Bench.open(path)
    try:
        for op in warmup:
            await bench.say(op.user, op.line, op.space)
        overall = Samples()
        by_kind: dict[str, Samples] = {}
        refused: Counter[str] = Counter()
        examples: dict[str, str] = {}
        clock = time.perf_counter
        started = clock()
        for op in ops:
            before = clock()
            ok, text = await bench.say(op.user, op.line, op.space)
            spent = clock() - before
            overall.add(spent)
            by_kind.setdefault(op.kind, Samples()).add(spent)
            if not ok:
                refused[op.kind] += 1
                examples.setdefault(op.kind, f"{op.line} -> {text[:200]}")
        overall.elapsed = clock() - started
        for samples in by_kind.values():
            samples.elapsed = sum(samples.seconds)
        return {
            **overall.summary(),
            "by_kind": {kind: samples.summary() for kind, samples in sorted(by_kind.items())},
            "refused": dict(refused),
            "refusal_examples": examples,
            "platform_messages": bench.platform.messages,
        }
    finally:
        await bench.close()
