"""The scheduler wakes the process; the app catches up at start; the console moves its clock;
`comites reminders preview` lists what would go out.

Scheduler tests run a real `AsyncIOScheduler` on reminders due a few hundred milliseconds
ahead. The app tests run `App` on a config file and a fixed clock: Wednesday 2 December
2026, 15:00 in Lyon, with a leafleting on Saturday 5 December at 10:00 (its day-before
reminder is due on Friday at 10:00 Lyon time).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import bot.scheduler
import commands.reminders
from bot.app import App
from bot.cli import cli
from bot.config import load_config
from bot.scheduler import RETRY_AFTER, Scheduler
from commands.clock import SystemClock
from commands.ports import Outgoing
from commands.reminders import Delivered
from commands.services import Services
from storage.actions import Action
from storage.reminders import ReminderKind
from storage.users import User
from tests.commands.committees.helpers import create, ok
from tests.conftest import Harness

PARIS = ZoneInfo("Europe/Paris")
SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait (2 s at most) until the condition holds: what the scheduler does is not awaited."""
    for _tick in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within 2 seconds")


@pytest.fixture
async def soon(harness: Harness) -> Action:
    """A meeting in three days, real time, that ana is going to; nothing due yet."""
    harness.clock.set(datetime.now(UTC))
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    await ok(harness, "ana", f"committee join {SLUG}")
    when = (harness.clock.now() + timedelta(days=3)).astimezone(PARIS)
    await ok(harness, "ines", f'action schedule meeting "Réunion" {when:%Y-%m-%d %H:%M}',
             space=SPACE)
    action_id = await harness.db.fetchval("SELECT MAX(id) FROM actions")
    await ok(harness, "ana", f"action rsvp {action_id} going", space=SPACE)
    harness.platform.sent.clear()
    action = await harness.repos.actions.get(action_id)
    assert action is not None
    return action


async def due_in(harness: Harness, action: Action, seconds: float) -> datetime:
    """Move the action's hour-before reminder to a few hundred milliseconds from now."""
    due = harness.services.clock.now() + timedelta(seconds=seconds)
    await harness.repos.reminders.plan(action.id, [(ReminderKind.HOUR_BEFORE, due)])
    return due


@pytest.fixture
async def scheduler(harness: Harness) -> AsyncIterator[Scheduler]:
    made = Scheduler(harness.services)
    harness.services.waker = made
    yield made
    await made.shutdown(grace=1)


# Waking


async def test_it_wakes_at_the_earliest_due_reminder_on_start(
    harness: Harness, soon: Action, scheduler: Scheduler
) -> None:
    harness.services.clock = SystemClock()
    await due_in(harness, soon, 0.2)
    # Only the first is armed at start; the second is found in the database after it.
    later = harness.services.clock.now() + timedelta(seconds=0.7)
    await harness.repos.reminders.plan(soon.id, [(ReminderKind.DAY_BEFORE, later)])

    await scheduler.start()
    await eventually(lambda: len(harness.platform.sent) == 2)

    assert [sent.where for sent in harness.platform.sent] == ["dm:ana", "dm:ana"]
    assert harness.platform.sent[0].text.startswith("Soon: Réunion starts at")
    assert harness.platform.sent[1].text.startswith("Reminder: you are going")


async def test_an_earlier_wake_replaces_the_armed_one(
    harness: Harness, soon: Action, scheduler: Scheduler
) -> None:
    harness.services.clock = SystemClock()
    await scheduler.start()
    due = await due_in(harness, soon, 0.3)
    armed = scheduler.armed
    assert armed is not None
    assert armed > due

    scheduler.wake_at(due)
    assert scheduler.armed == due
    scheduler.wake_at(due + timedelta(hours=1))  # later: the earlier wake stays
    assert scheduler.armed == due
    await eventually(lambda: harness.platform.sent != [])

    assert [sent.where for sent in harness.platform.sent] == ["dm:ana"]


async def test_a_fixed_clock_wakes_after_the_same_delay(
    harness: Harness, soon: Action, scheduler: Scheduler
) -> None:
    await due_in(harness, soon, 0.3)
    await scheduler.start()
    # A fixed clock moves only when told: move it past the due time.
    harness.clock.advance(timedelta(seconds=1))

    await eventually(lambda: harness.platform.sent != [])

    assert [sent.where for sent in harness.platform.sent] == ["dm:ana"]


async def test_a_failing_pass_is_logged_and_retried_later(
    harness: Harness, scheduler: Scheduler, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(services: Services) -> Delivered:
        raise RuntimeError("database on fire")

    failing = Scheduler(harness.services, deliver=broken)
    await failing.start()
    try:
        failing.wake_at(harness.clock.now())
        with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
            await eventually(lambda: failing.runs == 1)
        assert "reminders pass failed" in caplog.text
        assert failing.running
        assert failing.armed == harness.clock.now() + RETRY_AFTER
    finally:
        await failing.shutdown(grace=1)


async def test_a_reminder_that_failed_is_retried_once_its_claim_is_stale(
    harness: Harness, soon: Action, scheduler: Scheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in (bot.scheduler, commands.reminders):
        monkeypatch.setattr(module, "STALE_AFTER", timedelta(milliseconds=200))
    monkeypatch.setattr(bot.scheduler, "RECHECK_MARGIN", timedelta(milliseconds=50))
    harness.services.clock = SystemClock()
    working = harness.platform.send_direct

    async def down(user: User, message: Outgoing) -> bool:
        raise RuntimeError("network down")

    monkeypatch.setattr(harness.platform, "send_direct", down)
    await due_in(harness, soon, 0.1)
    await scheduler.start()
    await eventually(lambda: scheduler.runs >= 1)
    assert harness.platform.sent == []

    monkeypatch.setattr(harness.platform, "send_direct", working)
    await eventually(lambda: harness.platform.sent != [])

    assert [sent.where for sent in harness.platform.sent] == ["dm:ana"]


async def test_shutdown_lets_a_pass_under_way_finish(harness: Harness) -> None:
    finished: list[bool] = []

    async def slow(services: Services) -> Delivered:
        await asyncio.sleep(0.2)
        finished.append(True)
        return Delivered()

    slow_scheduler = Scheduler(harness.services, deliver=slow)
    await slow_scheduler.start()
    slow_scheduler.wake_at(harness.clock.now())
    await eventually(lambda: slow_scheduler.armed is None)
    await asyncio.sleep(0.05)

    await slow_scheduler.shutdown(grace=2)

    assert finished == [True]
    assert not slow_scheduler.running


async def test_a_cron_job_has_its_place(harness: Harness, scheduler: Scheduler) -> None:
    calls: list[str] = []

    async def digest() -> None:
        calls.append("digest")

    scheduler.add_cron("digest", digest, "mon", 8, 0, "Europe/Paris")
    await scheduler.start()

    moment = scheduler.next_run("digest")
    assert moment is not None
    local = moment.astimezone(PARIS)
    assert (local.strftime("%a"), local.hour, local.minute) == ("Mon", 8, 0)


# The app: catching up at start, the console clock, the preview


CONFIG = """\
[organisation]
locale = "en"
[database]
path = "{db}"
[console]
clock = "{clock}"
"""
SILENCE = """\
[[electoral.silence_periods]]
start = 2026-12-05T00:00:00
end = 2026-12-06T00:00:00
label = "second round"
"""
SETUP = [
    '@ines committee create "Lyon Croix-Rousse" Lyon 69004',
    "@ana committee join lyon-croix-rousse",
    "@ines #lyon-croix-rousse action schedule tractage Marché samedi 10h details=digicode",
    "@ana #lyon-croix-rousse action rsvp 1 going",
]


def config_file(tmp_path: Path, clock: str, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(db=tmp_path / "comites.db", clock=clock) + extra,
                    encoding="utf-8")
    return path


async def session(
    tmp_path: Path, clock: str, lines: Sequence[str] = (), extra: str = "",
    app_hook: Callable[[App], Awaitable[None]] | None = None,
) -> list[str]:
    """Start an app, type the lines in its console, stop it; everything it printed."""
    out: list[str] = []
    app = App(load_config(config_file(tmp_path, clock, extra)), console=True,
              stdin=io.StringIO(""), write=out.append)
    await app.start()
    try:
        assert app.console is not None
        for line in lines:
            await app.console.run_line(line)
        if app_hook is not None:
            await app_hook(app)
    finally:
        await app.stop()
    return out


def reminded(out: list[str]) -> list[str]:
    return [line for line in out if line.startswith("[dm @ana] Reminder:")]


async def test_what_fell_due_while_stopped_is_sent_once_at_start(tmp_path: Path) -> None:
    await session(tmp_path, "2026-12-02T15:00:00+01:00", SETUP)

    first = await session(tmp_path, "2026-12-04T12:00:00+01:00")
    second = await session(tmp_path, "2026-12-04T12:05:00+01:00")

    assert reminded(first) == ["[dm @ana] Reminder: you are going to this action. Still coming?"]
    assert "[dm @ana]   [I'm coming: action rsvp 1 going]" in first
    assert reminded(second) == []


async def test_leads_hear_of_a_silence_once_across_restarts(tmp_path: Path) -> None:
    await session(tmp_path, "2026-12-02T15:00:00+01:00", SETUP)

    first = await session(tmp_path, "2026-12-02T16:00:00+01:00", extra=SILENCE)
    second = await session(tmp_path, "2026-12-02T17:00:00+01:00", extra=SILENCE)

    assert [line for line in first if "Electoral silence" in line] == [
        "[#lyon-croix-rousse] @ines Electoral silence (second round) from Saturday 5 December"
        " 2026, 00:00 (Paris time) until Sunday 6 December 2026, 00:00 (Paris time): no public"
        " campaigning then. These actions fall inside it; move them (action edit) or cancel"
        " them (action cancel):"
    ]
    assert not any("Electoral silence" in line for line in second)


async def test_the_console_clock_line_sends_what_became_due(tmp_path: Path) -> None:
    out = await session(tmp_path, "2026-12-02T15:00:00+01:00",
                        [*SETUP, ":clock 2026-12-04T10:00+01:00"])

    at_clock = out[out.index("[console] clock set to Fri 2026-12-04 10:00 +0100"):]
    assert at_clock[1] == "[dm @ana] Reminder: you are going to this action. Still coming?"
    assert at_clock[-1] == "[console] reminders: 1 sent, 0 skipped"


async def test_the_console_clock_line_needs_a_fixed_clock(tmp_path: Path) -> None:
    out: list[str] = []
    config = load_config(config_file(tmp_path, "2026-12-02T15:00:00+01:00"))
    app = App(config, console=True, clock=SystemClock(), stdin=io.StringIO(""),
              write=out.append)
    await app.start()
    try:
        assert app.console is not None
        await app.console.run_line(":clock 2026-12-04T10:00+01:00")
    finally:
        await app.stop()

    assert out[-1].startswith("[console] :clock needs a fixed clock")


async def test_a_script_finishes_its_pending_work_before_exiting(tmp_path: Path) -> None:
    out: list[str] = []
    script = "\n".join([*SETUP, ":clock 2026-12-05T12:30+01:00"]) + "\n"
    config = load_config(config_file(tmp_path, "2026-12-02T15:00:00+01:00"))
    app = App(config, console=True, stdin=io.StringIO(script), write=out.append)

    await app.run()

    assert app.scheduler is None
    assert any(line.startswith("[#lyon-croix-rousse] @ines leafleting “Marché” is over")
               for line in out)


def test_the_preview_lists_what_would_be_sent(tmp_path: Path) -> None:
    asyncio.run(session(tmp_path, "2026-12-02T15:00:00+01:00", SETUP))
    config = config_file(tmp_path, "2026-12-02T15:00:00+01:00")

    result = CliRunner().invoke(cli, ["reminders", "preview", "--until", "2026-12-06 12:00",
                                      "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "due (Europe/Paris)  kind           action    recipients  to",
        "2026-12-04 10:00    day_before     1 Marché  ana         dm",
        "2026-12-05 09:00    hour_before    1 Marché  ana         dm",
        "2026-12-05 12:30    report_prompt  1 Marché  ines        space",
        "3 reminder(s) until 2026-12-06 12:00",
    ]
    again = CliRunner().invoke(cli, ["reminders", "preview", "--until", "2026-12-06 12:00",
                                     "--config", str(config)])
    assert again.output == result.output  # nothing was claimed or sent


def test_the_preview_has_help() -> None:
    result = CliRunner().invoke(cli, ["reminders", "preview", "--help"])

    assert result.exit_code == 0, result.output
    assert "--until DATETIME" in result.output


def test_the_preview_refuses_a_bad_date(tmp_path: Path) -> None:
    config = config_file(tmp_path, "2026-12-02T15:00:00+01:00")

    result = CliRunner().invoke(cli, ["reminders", "preview", "--until", "saturday",
                                      "--config", str(config)])

    assert result.exit_code != 0
    assert "not a date and time" in result.output
