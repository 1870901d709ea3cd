"""The application: one database, the commands, and every enabled platform.

    app = App(config)
    await app.start()
    ...
    await app.stop()
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import commands.catalog  # noqa: F401  (declares every command)
from bot.config import Config
from bot.platforms.console import ConsolePort, ConsoleRunner
from bot.scheduler import Scheduler
from commands import reminders
from commands.actions import silence
from commands.clock import Clock, FixedClock, SystemClock
from commands.digest.schedule import post_weekly_digest
from commands.dispatch import Dispatcher
from commands.services import Services
from storage import Database, open_database
from storage.blobs import BlobStore
from storage.repositories import Repositories

if TYPE_CHECKING:
    from bot.platforms.discord import DiscordPlatform
    from bot.platforms.matrix import MatrixPlatform

log = logging.getLogger(__name__)

# The scheduler's name for the weekly staff digest (`Scheduler.next_run`).
DIGEST_JOB = "digest"


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
        self.matrix: MatrixPlatform | None = None
        self.discord: DiscordPlatform | None = None

    async def start(self) -> None:
        self.db = await open_database(self.config.database.path)
        self.services = Services(
            repos=Repositories(self.db), settings=self.config.settings, clock=self.clock,
            blobs=BlobStore(Path(self.config.database.blobs_path)),
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
        if self.config.matrix.enabled:
            from bot.platforms.matrix import MatrixPlatform  # nio is loaded only when used

            self.matrix = MatrixPlatform(self.config.matrix, self.services, self.dispatcher)
            await self.matrix.start()
            self.services.ports[self.matrix.port.name] = self.matrix.port
        if self.config.discord.enabled:
            from bot.platforms.discord import DiscordPlatform  # discord.py, only when used

            self.discord = DiscordPlatform(self.config.discord, self.services, self.dispatcher)
            # Registered before connecting: interactions may arrive as soon as it is up.
            self.services.ports[self.discord.port.name] = self.discord.port
            await self.discord.start()
        # Platforms first, so that what fell due while the bot was down can be sent.
        await self._catch_up()
        await self.scheduler.start()
        self._schedule_digest()
        if self.matrix is not None:
            self.matrix.listen()
        log.info("started with %s", ", ".join(self.services.ports) or "no platform")

    def _schedule_digest(self) -> None:
        """The weekly staff digest, when `[digest]` says, in the organisation's timezone."""
        assert self.scheduler is not None
        assert self.services is not None
        settings = self.config.digest
        if not settings.enabled:
            return
        services = self.services
        self.scheduler.add_cron(
            DIGEST_JOB, lambda: post_weekly_digest(services), settings.day_of_week,
            settings.hour, settings.minute, self.config.organisation.timezone,
        )

    async def _catch_up(self) -> None:
        """Claims left by a crash, silence warnings, what fell due while the bot was down."""
        assert self.services is not None
        services = self.services
        steps: tuple[tuple[str, Callable[[], Awaitable[object]]], ...] = (
            ("releasing stale reminder claims",
             lambda: reminders.recover(services, self.clock.now())),
            ("warning leads about electoral silence", lambda: silence.warn_silence(services)),
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
            elif self.discord is not None:
                # Until the connection to Discord ends for good (it reconnects by itself).
                await self.discord.wait()
            else:
                import asyncio

                await asyncio.Event().wait()
        finally:
            await self.stop()

    async def stop(self) -> None:
        if self.services is not None:
            # What commands started in the background (announcements) finishes first.
            await self.services.drain()
        if self.scheduler is not None:
            await self.scheduler.shutdown()
            self.scheduler = None
        if self.matrix is not None:
            # After the scheduler, so the reminders it was sending are still delivered.
            await self.matrix.stop()
            self.matrix = None
        if self.discord is not None:
            await self.discord.stop()
            self.discord = None
        if self.db is not None:
            await self.db.close()
            self.db = None


def clock_of(config: Config) -> Clock:
    if config.console.clock is not None:
        return FixedClock(config.console.clock)
    return SystemClock()
