"""Everything a handler can reach: repositories, settings, the clock, the platforms."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from commands.clock import Clock, SystemClock
from commands.ports import NoWaker, Platform, Waker
from commands.ratelimit import RateCounter
from commands.settings import Settings
from commands.spec import REGISTRY, Registry
from storage.blobs import BlobStore
from storage.repositories import Repositories


@dataclass
class Services:
    repos: Repositories
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    ports: dict[str, Platform] = field(default_factory=dict)
    registry: Registry = field(default_factory=lambda: REGISTRY)
    waker: Waker = field(default_factory=NoWaker)
    # Where shared files are kept; None: this deployment keeps no files (links only).
    blobs: BlobStore | None = None
    # Work a command started that outlives it (an announcement to every committee).
    background: set[asyncio.Task[None]] = field(default_factory=set)
    # Commands each person sent this minute (see commands.ratelimit).
    rate: RateCounter = field(default_factory=RateCounter)

    def port(self, platform: str) -> Platform | None:
        return self.ports.get(platform)

    def run_later(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        """Run `work` in its own task, outside any unit of work, and keep it to the end."""

        async def guarded() -> None:
            try:
                await work()
            except Exception:
                log.exception("background work %s failed", name)

        task = asyncio.create_task(guarded(), name=name)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def drain(self) -> None:
        """Wait for every background task (at the end of a console script, at shutdown)."""
        while self.background:
            await asyncio.gather(*list(self.background), return_exceptions=True)


log = logging.getLogger(__name__)
