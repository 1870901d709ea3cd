"""APScheduler wakes the process; the database says what is due.

One date job is kept at the earliest moment something may fall due. When it fires it runs
`commands.reminders.deliver_due`, then arms itself again from the database
(`ReminderRepository.next_due`), so a wake-up that was missed, replaced or skipped costs
nothing: whatever is pending is found at the next run. Nothing lives only in APScheduler's
in-memory job store.

Moments are read on the application's clock. With the system clock that is wall time; with
a fixed clock (console scripts, tests) a job fires after the same delay of real time, finds
that the fixed clock has not moved, and waits again: a fixed clock moves only when told.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from commands.reminders import STALE_AFTER, Delivered, deliver_due, recover
from commands.services import Services

log = logging.getLogger(__name__)

REMINDERS_JOB = "reminders"
# After a failed pass (database locked, a bug), before trying again: never a busy loop.
RETRY_AFTER = timedelta(minutes=1)
# Past STALE_AFTER, so that the claims a pass made are surely stale when `recover` looks.
RECHECK_MARGIN = timedelta(seconds=1)

Deliver = Callable[[Services], Awaitable[Delivered]]


class Scheduler:
    """Implements the `commands.ports.Waker` port with an `AsyncIOScheduler`."""

    def __init__(self, services: Services, *, deliver: Deliver = deliver_due) -> None:
        self.services = services
        self._deliver = deliver
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        # The clock time the reminders job is armed for; None when no job is waiting.
        self._armed: datetime | None = None
        # When to run `recover` again: the claims left by a process that died just before
        # start, or by a pass that failed, are stale by then.
        self._recheck_at: datetime | None = None
        self._pass = asyncio.Lock()
        self._stopping = False
        self.runs = 0

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    @property
    def armed(self) -> datetime | None:
        return self._armed

    async def start(self) -> None:
        """Start waking; the first wake comes from the database."""
        self._stopping = False
        self._scheduler.start()
        # A process that died a minute ago left claims that `recover` thought live at start.
        self._recheck(self.services.clock.now())
        await self._arm_next()

    async def shutdown(self, *, grace: float = 30.0) -> None:
        """Stop waking; a pass under way may finish first (`grace` seconds at most)."""
        self._stopping = True
        if self._scheduler.running:
            self._scheduler.pause()
        try:
            await asyncio.wait_for(self.drain(), grace)
        except TimeoutError:
            log.warning("a reminders pass was still running at shutdown; it resumes at start")
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            # AsyncIOScheduler shuts down on the loop's next turn.
            await asyncio.sleep(0)
        self._armed = None

    async def drain(self) -> None:
        """Wait for a pass under way, if any, to finish."""
        async with self._pass:
            return

    def wake_at(self, moment: datetime) -> None:
        """Make sure the process wakes at `moment` (earlier wakes are kept as they are)."""
        if self._stopping or (self._armed is not None and self._armed <= moment):
            return
        self._armed = moment
        self._scheduler.add_job(
            self._run,
            DateTrigger(run_date=self._wall_time(moment)),
            id=REMINDERS_JOB,
            name="reminders",
            replace_existing=True,
            misfire_grace_time=None,  # late is better than never: deliver_due judges
            coalesce=True,
            max_instances=2,  # one running, one waiting on the lock
        )

    def add_cron(
        self,
        name: str,
        func: Callable[[], Awaitable[object]],
        day_of_week: str,
        hour: int,
        minute: int,
        timezone: str,
    ) -> None:
        """A recurring job, such as the weekly digest (`[digest]` in config)."""

        async def guarded() -> None:
            try:
                await func()
            except Exception:
                log.exception("scheduled job %s failed", name)

        self._scheduler.add_job(
            guarded,
            CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute,
                        timezone=ZoneInfo(timezone)),
            id=f"cron:{name}",
            name=name,
            replace_existing=True,
            misfire_grace_time=3600,
            coalesce=True,
            max_instances=1,
        )

    def next_run(self, name: str) -> datetime | None:
        """When the job `add_cron` added under `name` runs next (None until started)."""
        job = self._scheduler.get_job(f"cron:{name}")
        moment = getattr(job, "next_run_time", None)
        return moment if isinstance(moment, datetime) else None

    async def _run(self) -> None:
        self._armed = None  # this job is spent: a wake_at from now on arms a new one
        async with self._pass:
            if self._stopping:
                return
            retry: datetime | None = None
            now = self.services.clock.now()
            try:
                if self._recheck_at is not None and now >= self._recheck_at:
                    self._recheck_at = None
                    await recover(self.services, now)
                done = await self._deliver(self.services)
                if done.failed:  # left claimed: released (once) when the claims are stale
                    self._recheck(now)
            except Exception:
                log.exception("reminders pass failed; trying again in %s", RETRY_AFTER)
                retry = self.services.clock.now() + RETRY_AFTER
                self._recheck(now)
            finally:
                self.runs += 1
            try:
                await self._arm_next(not_before=retry)
            except Exception:
                log.exception("could not read the next reminder; trying again in %s",
                              RETRY_AFTER)
                with contextlib.suppress(Exception):
                    self.wake_at(self.services.clock.now() + RETRY_AFTER)

    def _recheck(self, now: datetime) -> None:
        """Release the claims left until `now`, once they are stale (one `recover` covers
        every claim older than its moment, so the later moment is kept)."""
        moment = now + STALE_AFTER + RECHECK_MARGIN
        if self._recheck_at is None or moment > self._recheck_at:
            self._recheck_at = moment

    async def _arm_next(self, not_before: datetime | None = None) -> None:
        due = await self.services.repos.reminders.next_due()
        if due is not None and not_before is not None:
            due = max(due, not_before)
        for moment in (due, self._recheck_at, not_before):
            if moment is not None:
                self.wake_at(moment)

    def _wall_time(self, moment: datetime) -> datetime:
        return datetime.now(UTC) + (moment - self.services.clock.now())
