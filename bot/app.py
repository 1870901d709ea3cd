"""The application: one database, the commands, and every enabled platform.

    app = App(config)
    await app.start()
    ...
    await app.stop()
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TextIO

import commands.catalog  # noqa: F401  (declares every command)
from bot.config import Config
from bot.platforms.console import ConsolePort, ConsoleRunner
from bot.scheduler import Scheduler
from commands import reminders
from commands.clock import Clock, FixedClock, SystemClock
from commands.dispatch import Dispatcher
from commands.services import Services
from storage import Database, open_database
from storage.repositories import Repositories

log = logging.getLogger(__name__)


class App:
    def __init__(
        self,
        config: Config,
        *,
        console: bool | None = None,
        clock: Clock | None = None,
        stdin: TextIO | None = None,
        write: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.console_enabled = not config.platforms_enabled() if console is None else console
        self.clock = clock or clock_of(config)
        self._stdin = stdin
        self._write = write
        self.db: Database | None = None
        self.services: Services | None = None
        self.dispatcher: Dispatcher | None = None
        self.console: ConsoleRunner | None = None
        self.scheduler: Scheduler | None = None

    async def start(self) -> None:
        self.db = await open_database(self.config.database.path)
        self.services = Services(
            repos=Repositories(self.db), settings=self.config.settings, clock=self.clock
        )
        self.scheduler = Scheduler(self.services)
        self.services.waker = self.scheduler
        self.dispatcher = Dispatcher(self.services)
        if self.console_enabled:
            write = self._write or print
            port = ConsolePort(write)
            self.services.ports[port.name] = port
            self.console = ConsoleRunner(
                self.dispatcher,
                port,
                user=self.config.console.user,
                staff=frozenset(self.config.console.staff),
                stdin=self._stdin,
                write=write,
                settle=self.settle,
            )
        # Platforms first, so that what fell due while the bot was down can be sent.
        await self._catch_up()
        await self.scheduler.start()
        log.info("started with %s", ", ".join(self.services.ports) or "no platform")

    async def _catch_up(self) -> None:
        """Claims left by a crash, silence warnings, what fell due while the bot was down."""
        assert self.services is not None
        services = self.services
        steps: tuple[tuple[str, Callable[[], Awaitable[object]]], ...] = (
            ("releasing stale reminder claims",
             lambda: reminders.recover(services, self.clock.now())),
            ("warning leads about electoral silence", lambda: reminders.warn_silence(services)),
            ("sending reminders due while stopped", lambda: reminders.deliver_due(services)),
        )
        for what, step in steps:
            # A bad row must not keep the bot from starting; the scheduler tries again.
            try:
                await step()
            except Exception:
                log.exception("at start, %s failed", what)

    async def settle(self) -> None:
        """Finish pending work: a reminders pass under way, then anything now due."""
        if self.scheduler is not None:
            await self.scheduler.drain()
        if self.services is not None:
            await reminders.deliver_due(self.services)

    async def run(self) -> None:
        """Start, serve until the console's input ends (or the task is cancelled), stop."""
        await self.start()
        try:
            if self.console is not None:
                await self.console.run()
            else:
                import asyncio

                await asyncio.Event().wait()
        finally:
            await self.stop()

    async def stop(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.shutdown()
            self.scheduler = None
        if self.db is not None:
            await self.db.close()
            self.db = None


def clock_of(config: Config) -> Clock:
    if config.console.clock is not None:
        return FixedClock(config.console.clock)
    return SystemClock()
