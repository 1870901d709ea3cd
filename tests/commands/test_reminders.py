"""Reminders on a fixed clock: who gets what, when, and what is too late to matter.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC. The leafleting is on Saturday 5
December, 10:00–12:00 Paris time (09:00–11:00 UTC), for two people at most: ana and eve are
going, dan is on the waiting list, bob answered maybe and carl no. Its reminders fall due on
Friday at 09:00 UTC (the day before), Saturday at 08:00 UTC (the hour before) and Saturday
at 11:30 UTC (the report prompt, 30 minutes after the end).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commands import reminders
from commands.actions.silence import warn_silence
from commands.clock import FixedClock
from commands.ports import Outgoing
from commands.reminders import STALE_AFTER, deliver_due, preview, recover
from commands.services import Services
from commands.settings import Electoral, Settings, SilencePeriod
from storage import open_database
from storage.actions import Action, NewAction
from storage.reminders import ReminderKind, ReminderState
from storage.repositories import Repositories
from storage.users import User
from tests.commands.committees.helpers import create, ok
from tests.conftest import Harness
from tests.fakes import RecordingPlatform

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
DETAILS = "Rendez-vous fontaine, digicode 4521B"
WHEN = "Saturday 5 December 2026, 10:00–12:00 (Paris time)"
DAY_BEFORE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
HOUR_BEFORE = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
REPORT = datetime(2026, 12, 5, 11, 30, tzinfo=UTC)


@pytest.fixture
async def action(harness: Harness) -> Action:
    """The Saturday leafleting with its answers; nothing sent so far."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("ana", "bob", "carl", "dan", "eve"):
        await ok(harness, name, f"committee join {SLUG}")
    await ok(harness, "ines", f'action schedule tractage "Marché de la Croix-Rousse" samedi 10h'
             f' where="Place de la Croix-Rousse" details="{DETAILS}" capacity=2', space=SPACE)
    action_id = await harness.db.fetchval("SELECT MAX(id) FROM actions")
    for name, response in (("ana", "going"), ("bob", "maybe"), ("carl", "no"),
                           ("eve", "going"), ("dan", "going")):
        harness.clock.advance(timedelta(minutes=1))
        await ok(harness, name, f"action rsvp {action_id} {response}", space=SPACE)
    harness.platform.sent.clear()
    found = await harness.repos.actions.get(action_id)
    assert found is not None
    return found


async def states(harness: Harness, action: Action) -> dict[ReminderKind, ReminderState]:
    return {r.kind: r.state for r in await harness.repos.reminders.of_action(action.id)}


def where(harness: Harness) -> list[str]:
    return [sent.where for sent in harness.platform.sent]


async def at(harness: Harness, moment: datetime) -> reminders.Delivered:
    harness.clock.set(moment)
    return await deliver_due(harness.services)


# The day before


async def test_nothing_goes_before_its_time(harness: Harness, action: Action) -> None:
    done = await at(harness, DAY_BEFORE - timedelta(seconds=1))

    assert done.handled == 0
    assert harness.platform.sent == []


async def test_the_day_before_goes_to_those_going_only_with_buttons(
    harness: Harness, action: Action
) -> None:
    done = await at(harness, DAY_BEFORE)

    assert where(harness) == ["dm:ana", "dm:eve"]  # not bob (maybe), carl (no), dan (waiting)
    ana = harness.platform.sent[0]
    assert ana.text.splitlines() == [
        "Reminder: you are going to this action. Still coming?",
        "leafleting: Marché de la Croix-Rousse",
        WHEN,
        "Where: Place de la Croix-Rousse",
        "Going: 2/2 · Maybe: 1 · Waiting list: 1",
        f"Details, for those going: {DETAILS}",
        f"Action {action.id} · Lyon Croix-Rousse",
    ]
    assert [(str(b.label), b.command) for b in ana.reply.buttons] == [
        ("I'm coming", f"action rsvp {action.id} going"),
        ("I can't come after all", f"action rsvp {action.id} no"),
    ]
    assert ana.ping == ()
    assert len(done.sent) == 1
    assert done.messages == 2
    assert (await states(harness, action))[ReminderKind.DAY_BEFORE] is ReminderState.SENT


async def test_the_cancel_button_frees_the_place_for_the_waiting_list(
    harness: Harness, action: Action
) -> None:
    await at(harness, DAY_BEFORE)
    cancel = harness.platform.sent[0].reply.buttons[1].command
    harness.platform.sent.clear()

    await ok(harness, "ana", cancel, space=SPACE)

    assert where(harness) == ["dm:dan"]  # promoted from the waiting list


async def test_a_day_before_reminder_after_the_start_is_skipped(
    harness: Harness, action: Action
) -> None:
    done = await at(harness, STARTS)

    assert harness.platform.sent == []
    assert len(done.skipped) == 2  # the day before, and the hour before (an hour late)
    assert await states(harness, action) == {
        ReminderKind.DAY_BEFORE: ReminderState.SKIPPED,
        ReminderKind.HOUR_BEFORE: ReminderState.SKIPPED,
        ReminderKind.REPORT_PROMPT: ReminderState.PENDING,
    }


async def test_a_late_day_before_reminder_still_goes_before_the_start(
    harness: Harness, action: Action
) -> None:
    await at(harness, STARTS - timedelta(hours=2))

    assert where(harness) == ["dm:ana", "dm:eve"]


# The hour before


@pytest.mark.parametrize(("late", "sent"), [(0, True), (30, True), (31, False)])
async def test_the_hour_before_goes_up_to_30_minutes_late(
    harness: Harness, action: Action, late: int, sent: bool
) -> None:
    await at(harness, DAY_BEFORE)
    harness.platform.sent.clear()

    done = await at(harness, HOUR_BEFORE + timedelta(minutes=late))

    expected = ReminderState.SENT if sent else ReminderState.SKIPPED
    assert (await states(harness, action))[ReminderKind.HOUR_BEFORE] is expected
    assert where(harness) == (["dm:ana", "dm:eve"] if sent else [])
    assert len(done.sent) == int(sent)


async def test_the_hour_before_is_short_with_the_details(
    harness: Harness, action: Action
) -> None:
    await at(harness, DAY_BEFORE)
    harness.platform.sent.clear()

    await at(harness, HOUR_BEFORE)

    eve = harness.platform.sent[1]
    assert eve.where == "dm:eve"
    assert eve.text.splitlines() == [
        "Soon: Marché de la Croix-Rousse starts at 10:00 (Paris time).",
        "Where: Place de la Croix-Rousse",
        f"Details, for those going: {DETAILS}",
    ]
    assert [b.command for b in eve.reply.buttons] == [f"action rsvp {action.id} no"]


async def test_those_who_stopped_going_hear_nothing(harness: Harness, action: Action) -> None:
    await at(harness, DAY_BEFORE)
    await ok(harness, "eve", f"action rsvp {action.id} no", space=SPACE)
    harness.platform.sent.clear()

    await at(harness, HOUR_BEFORE)

    # dan took eve's place; eve said no.
    assert where(harness) == ["dm:ana", "dm:dan"]


# The report prompt


async def test_the_report_prompt_goes_to_the_space_for_the_leads(
    harness: Harness, action: Action
) -> None:
    await at(harness, REPORT - timedelta(seconds=1))
    harness.platform.sent.clear()

    await at(harness, REPORT)

    [prompt] = harness.platform.sent
    assert prompt.where == SPACE
    assert prompt.ping == ("ines",)
    lines = prompt.text.splitlines()
    assert lines[0] == f"leafleting “Marché de la Croix-Rousse” is over ({WHEN})."
    assert f"Leads, tell us how it went: report {action.id}" in lines
    assert [b.command for b in prompt.reply.buttons] == [f"report {action.id}"]
    assert DETAILS not in prompt.text


async def test_the_report_prompt_says_what_to_do_until_report_exists(
    harness: Harness, action: Action
) -> None:
    await at(harness, REPORT)

    text = harness.platform.to(SPACE)[-1]
    if harness.services.registry.get(("report",)) is None:
        assert "The report command arrives soon" in text
    else:
        assert "arrives soon" not in text


async def test_the_report_prompt_goes_even_hours_late(harness: Harness, action: Action) -> None:
    done = await at(harness, REPORT + timedelta(hours=9))

    assert where(harness) == [SPACE]
    assert len(done.sent) == 1
    assert len(done.skipped) == 2
    assert set((await states(harness, action)).values()) == {ReminderState.SENT,
                                                             ReminderState.SKIPPED}


async def test_the_report_prompt_closes_attendance(harness: Harness, action: Action) -> None:
    # ana checks herself in during the action; eve, going too, never does.
    harness.clock.set(STARTS + timedelta(minutes=10))
    await ok(harness, "ana", f"action checkin {action.id}", space=SPACE)
    harness.platform.sent.clear()

    await at(harness, REPORT)

    attended = {
        row["platform_user_id"]: row["attended"]
        for row in await harness.db.fetchall(
            "SELECT u.platform_user_id, r.attended FROM rsvps r JOIN users u ON u.id = r.user_id"
            " WHERE r.action_id = ? AND r.answer = 'going'", (action.id,))
    }
    assert attended == {"ana": 1, "eve": 0}
    assert "Came: 1 · No-shows: 1" in harness.platform.to(SPACE)[-1]


async def test_without_check_ins_the_prompt_shows_no_attendance(
    harness: Harness, action: Action
) -> None:
    await at(harness, REPORT)

    assert where(harness) == [SPACE]
    assert "No-shows" not in harness.platform.to(SPACE)[-1]


# Cancelled actions


async def test_a_cancelled_action_sends_nothing(harness: Harness, action: Action) -> None:
    await ok(harness, "ines", f"action cancel {action.id} it will rain", space=SPACE)
    harness.platform.sent.clear()

    done = await at(harness, REPORT + timedelta(days=1))

    assert harness.platform.sent == []
    assert done.handled == 0
    assert set((await states(harness, action)).values()) == {ReminderState.CANCELLED}


async def test_an_action_cancelled_behind_the_reminders_back_sends_nothing(
    harness: Harness, action: Action
) -> None:
    await harness.repos.actions.cancel(action.id, "rain")  # reminders left pending

    done = await at(harness, REPORT)

    assert harness.platform.sent == []
    assert len(done.skipped) == 3
    assert set((await states(harness, action)).values()) == {ReminderState.CANCELLED}


# Closed direct messages


async def test_closed_direct_messages_fall_back_to_the_space_mentioning_only_them(
    harness: Harness, action: Action
) -> None:
    harness.platform.direct_closed.add("eve")

    await at(harness, DAY_BEFORE)

    assert where(harness) == ["dm:ana", SPACE]
    public = harness.platform.sent[1]
    assert public.ping == ("eve",)
    assert public.text.splitlines()[0] == "Reminder: you are going to this action. Still coming?"
    # The door code stays private: the whole committee reads the space.
    assert DETAILS not in public.text
    assert (f"The meeting point and details are given privately: type action info {action.id}"
            " to see them.") in public.text
    assert [b.command for b in public.reply.buttons] == [f"action rsvp {action.id} going",
                                                         f"action rsvp {action.id} no"]


async def test_everyone_unreachable_is_mentioned_in_one_message(
    harness: Harness, action: Action
) -> None:
    harness.platform.direct_closed.update({"ana", "eve"})

    await at(harness, DAY_BEFORE)

    [public] = harness.platform.sent
    assert public.where == SPACE
    assert public.ping == ("ana", "eve")


# Many at once


async def test_a_limit_leaves_the_rest_for_the_next_pass(harness: Harness, action: Action) -> None:
    harness.clock.set(REPORT)
    first = await deliver_due(harness.services, limit=2)
    second = await deliver_due(harness.services)

    assert (first.handled, second.handled) == (2, 1)
    assert where(harness) == [SPACE]


async def test_many_due_at_once_are_each_handled_once(harness: Harness, action: Action) -> None:
    copies = []
    for number in range(reminders.BATCH * 2 + 10):  # more than two batches
        copy = await harness.repos.actions.create(NewAction(
            committee_id=action.committee_id, kind=action.kind, title=f"Copy {number}",
            starts_at=action.starts_at, ends_at=action.ends_at, created_by=action.created_by,
            created_at=action.created_at))
        await harness.repos.reminders.plan(copy.id, [(ReminderKind.REPORT_PROMPT, REPORT)])
        copies.append(copy)

    done = await at(harness, REPORT)

    assert len(done.sent) == len(copies) + 1
    assert len(harness.platform.to(SPACE)) == len(copies) + 1
    assert await deliver_due(harness.services) == reminders.Delivered()


# Two processes, crashes


async def second_process(harness: Harness, tmp_path: Path) -> tuple[Services, RecordingPlatform]:
    """Another process on the same database file: its own connection, clock and platform."""
    db = await open_database(tmp_path / "comites.db")
    platform = RecordingPlatform()
    services = Services(repos=Repositories(db), settings=harness.services.settings,
                        clock=FixedClock(harness.clock.now()), ports={platform.name: platform})
    return services, platform


async def test_two_processes_never_send_twice(
    harness: Harness, action: Action, tmp_path: Path
) -> None:
    other, other_platform = await second_process(harness, tmp_path)
    try:
        harness.clock.set(REPORT + timedelta(hours=1))
        assert isinstance(other.clock, FixedClock)
        other.clock.set(harness.clock.now())

        mine, theirs = await asyncio.gather(deliver_due(harness.services),
                                            deliver_due(other))
        again = await deliver_due(other)
    finally:
        await other.repos.db.close()

    assert len(mine.sent) + len(theirs.sent) == 1  # the report prompt
    assert len(mine.skipped) + len(theirs.skipped) == 2
    assert len(harness.platform.sent) + len(other_platform.sent) == 1
    assert again.handled == 0


class Died(BaseException):
    """The process is killed: nothing after this runs, nothing is marked."""


class DyingPlatform(RecordingPlatform):
    async def send_direct(self, user: User, message: Outgoing) -> bool:
        await super().send_direct(user, message)
        raise Died


async def crash_while_sending(harness: Harness, tmp_path: Path) -> list[str]:
    """A process claims the day-before reminder, sends to ana, and dies before marking it."""
    db = await open_database(tmp_path / "comites.db")
    platform = DyingPlatform()
    services = Services(repos=Repositories(db), settings=harness.services.settings,
                        clock=harness.clock, ports={platform.name: platform})
    try:
        with pytest.raises(Died):
            await deliver_due(services)
    finally:
        await db.close()
    return [sent.where for sent in platform.sent]


async def test_a_crash_after_claiming_repeats_a_reminder_once_at_most(
    harness: Harness, action: Action, tmp_path: Path
) -> None:
    harness.clock.set(DAY_BEFORE)
    assert await crash_while_sending(harness, tmp_path) == ["dm:ana"]
    assert (await states(harness, action))[ReminderKind.DAY_BEFORE] is ReminderState.CLAIMED

    # Restarted at once: the claim might belong to a live process, it is left alone.
    assert await recover(harness.services, harness.clock.now()) == 0
    assert (await deliver_due(harness.services)).handled == 0
    # A few minutes later it is released and sent, once.
    harness.clock.advance(STALE_AFTER + timedelta(seconds=1))
    assert await recover(harness.services, harness.clock.now()) == 1
    await deliver_due(harness.services)
    assert where(harness) == ["dm:ana", "dm:eve"]
    assert (await states(harness, action))[ReminderKind.DAY_BEFORE] is ReminderState.SENT

    harness.clock.advance(timedelta(hours=1))
    assert await recover(harness.services, harness.clock.now()) == 0
    await deliver_due(harness.services)
    assert where(harness) == ["dm:ana", "dm:eve"]


async def test_a_reminder_is_never_tried_a_third_time(
    harness: Harness, action: Action, tmp_path: Path
) -> None:
    harness.clock.set(DAY_BEFORE)
    await crash_while_sending(harness, tmp_path)
    harness.clock.advance(STALE_AFTER * 2)
    assert await recover(harness.services, harness.clock.now()) == 1
    await crash_while_sending(harness, tmp_path)  # dies again on the retry

    harness.clock.advance(STALE_AFTER * 2)
    assert await recover(harness.services, harness.clock.now()) == 0
    await deliver_due(harness.services)

    assert harness.platform.sent == []
    assert (await states(harness, action))[ReminderKind.DAY_BEFORE] is ReminderState.SKIPPED


async def test_a_failing_platform_leaves_the_reminder_for_a_retry(
    harness: Harness, action: Action, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(user: User, message: Outgoing) -> bool:
        raise RuntimeError("network down")

    monkeypatch.setattr(harness.platform, "send_direct", broken)

    done = await at(harness, DAY_BEFORE)

    assert len(done.failed) == 1
    assert (await states(harness, action))[ReminderKind.DAY_BEFORE] is ReminderState.CLAIMED


# Preview


async def test_preview_lists_without_claiming_or_sending(harness: Harness, action: Action) -> None:
    planned = await preview(harness.services, REPORT)

    assert [(m.at, m.kind, m.action_id, m.title, m.recipients, m.destination)
            for m in planned] == [
        (DAY_BEFORE, ReminderKind.DAY_BEFORE, action.id, action.title, ("ana", "eve"), "dm"),
        (HOUR_BEFORE, ReminderKind.HOUR_BEFORE, action.id, action.title, ("ana", "eve"), "dm"),
        (REPORT, ReminderKind.REPORT_PROMPT, action.id, action.title, ("ines",), "space"),
    ]
    assert harness.platform.sent == []
    assert set((await states(harness, action)).values()) == {ReminderState.PENDING}


async def test_preview_leaves_out_what_is_too_late_or_not_yet_due(
    harness: Harness, action: Action
) -> None:
    harness.clock.set(STARTS + timedelta(minutes=5))

    planned = await preview(harness.services, STARTS + timedelta(hours=1))

    assert planned == []


# Electoral silence


SILENCE = SilencePeriod(start=datetime(2026, 12, 5, 0, 0, tzinfo=UTC),
                        end=datetime(2026, 12, 6, 0, 0, tzinfo=UTC), label="second round")


async def test_leads_are_warned_once_of_actions_inside_a_silence(
    harness: Harness, action: Action
) -> None:
    # The silence period was added to the config after the action was scheduled.
    harness.services.settings = Settings(electoral=Electoral(silence_periods=[SILENCE]))
    await ok(harness, "ines", "committee promote @ana", space=SPACE)
    harness.platform.sent.clear()

    assert await warn_silence(harness.services) == 1
    assert await warn_silence(harness.services) == 0

    [warning] = harness.platform.sent
    assert warning.where == SPACE
    assert warning.ping == ("ines", "ana")
    assert "Electoral silence (second round)" in warning.text
    assert f"Action {action.id}: Marché de la Croix-Rousse, {WHEN}" in warning.text
    stored = await harness.repos.actions.get(action.id)
    assert stored is not None
    assert stored.silence_warned


async def test_no_warning_for_meetings_or_past_actions(harness: Harness) -> None:
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    await ok(harness, "ines", 'action schedule meeting "Réunion" samedi 10h', space=SPACE)
    harness.services.settings = Settings(electoral=Electoral(silence_periods=[SILENCE]))
    harness.platform.sent.clear()

    assert await warn_silence(harness.services) == 0
    assert harness.platform.sent == []


async def test_the_report_button_asks_for_this_kinds_figures(
    harness: Harness, action: Action
) -> None:
    await at(harness, REPORT)

    [prompt] = [sent.reply for sent in harness.platform.sent if sent.where == SPACE]
    [button] = prompt.buttons
    assert button.command == f"report {action.id}"
    assert button.form == ("attendees", "leaflets", "conversations")
