"""`action edit` and `action cancel`: only leads, everyone who answered is told, reminders
follow the new time, a repeating action asks "this date or the following ones?".

The clock starts on Tuesday 2026-12-01 at 09:00 UTC (10:00 in Lyon).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commands.i18n import RenderContext, render
from commands.settings import Electoral, Settings, SilencePeriod
from storage.actions import Action, ActionStatus
from storage.reminders import Reminder, ReminderKind, ReminderState
from storage.rsvps import Answer
from tests.commands.committees.helpers import audit, create, dump, known, ok, refused, user
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
PARIS = ZoneInfo("Europe/Paris")
DETAILS = "Rendez-vous fontaine, digicode 4521B"
MEMBERS = ("ana", "bob", "carl", "dan", "eve")
SILENCE = SilencePeriod(
    start=datetime(2027, 4, 10, 0, 0, tzinfo=PARIS),
    end=datetime(2027, 4, 11, 20, 0, tzinfo=PARIS),
    label="premier tour",
)


@pytest.fixture
def settings() -> Settings:
    return Settings(electoral=Electoral(silence_periods=[SILENCE]))


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse: ines leads, marc co-leads, five members; sam is a stranger."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("marc", *MEMBERS):
        await ok(harness, name, f"committee join {SLUG}")
    await ok(harness, "ines", "committee promote @marc", space=SPACE)
    await known(harness, "sam")
    harness.platform.sent.clear()
    return harness


async def get(harness: Harness, action_id: int) -> Action:
    action = await harness.repos.actions.get(action_id)
    assert action is not None
    return action


async def schedule(harness: Harness, line: str) -> list[Action]:
    """Schedule (it must succeed); every date it created, first first."""
    newest = await harness.db.fetchval("SELECT COALESCE(MAX(id), 0) FROM actions")
    await ok(harness, "ines", line, space=SPACE)
    rows = await harness.db.fetchall("SELECT id FROM actions WHERE id > ? ORDER BY id",
                                     (newest,))
    harness.platform.sent.clear()
    return [await get(harness, row["id"]) for row in rows]


@pytest.fixture
async def leafleting(lyon: Harness) -> Action:
    """Saturday 5 December, 10:00–12:00 Paris time, two places, with details."""
    [action] = await schedule(lyon, 'action schedule tractage "Marché de la Croix-Rousse"'
                              f' samedi 10h capacity=2 details="{DETAILS}"')
    return action


@pytest.fixture
async def weekly(lyon: Harness) -> list[Action]:
    """A Monday 19:00 meeting, five dates from 7 December to 4 January."""
    return await schedule(lyon, 'action schedule réunion AG lundi 19h repeat=weekly'
                          ' until=2027-01-04')


async def rsvp(harness: Harness, name: str, action: Action, response: str) -> None:
    harness.clock.advance(timedelta(minutes=1))
    await ok(harness, name, f"action rsvp {action.id} {response}", space=SPACE)


async def everyone_answers(harness: Harness, action: Action) -> None:
    """ana and bob going, carl waiting, dan maybe, eve no (the action has two places)."""
    for name, response in (("ana", "going"), ("bob", "going"), ("carl", "going"),
                           ("dan", "maybe"), ("eve", "no")):
        await rsvp(harness, name, action, response)
    answers = {rsvp.answer for rsvp in await harness.repos.rsvps.of_action(action.id)}
    assert answers == set(Answer)
    harness.platform.sent.clear()


async def reminders(harness: Harness, action: Action) -> dict[ReminderKind, Reminder]:
    return {reminder.kind: reminder
            for reminder in await harness.repos.reminders.of_action(action.id)}


def paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


# Only leads


@pytest.mark.parametrize("who", ["ana", "sam"])
@pytest.mark.parametrize("command", ["edit {id} where=Ailleurs", "cancel {id} pluie"])
async def test_only_leads_edit_or_cancel(
    lyon: Harness, leafleting: Action, who: str, command: str
) -> None:
    await everyone_answers(lyon, leafleting)
    before = await dump(lyon.db)

    said = await refused(lyon, who, "action " + command.format(id=leafleting.id), space=SPACE)

    assert said.text == "Only the committee's lead and co-leads can do that."
    assert await dump(lyon.db) == before
    assert lyon.platform.sent == []


async def test_a_co_lead_may_edit(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "marc", f'action edit {leafleting.id} where="Place Bellevue"', space=SPACE)

    assert (await get(lyon, leafleting.id)).location == "Place Bellevue"


async def test_an_edit_must_change_something(lyon: Harness, leafleting: Action) -> None:
    said = await refused(lyon, "ines", f"action edit {leafleting.id}", space=SPACE)

    assert said.text.startswith(
        f'Say what to change, for example: action edit {leafleting.id} when="samedi 11h"'
    )


# Everyone who answered is told, nobody else


async def test_an_edit_is_told_to_everyone_who_answered_and_nobody_else(
    lyon: Harness, leafleting: Action
) -> None:
    await everyone_answers(lyon, leafleting)

    said = await ok(lyon, "ines", f'action edit {leafleting.id} when="samedi 14h"',
                    space=SPACE)

    told = {sent.where: sent.text for sent in lyon.platform.sent}
    assert sorted(told) == ["dm:ana", "dm:bob", "dm:carl", "dm:dan", "dm:eve"]
    for text in told.values():
        assert text.splitlines()[:3] == [
            "Change to Marché de la Croix-Rousse:",
            "leafleting: Marché de la Croix-Rousse",
            "Saturday 5 December 2026, 14:00–16:00 (Paris time)",
        ]
    # The details only to those going.
    assert {where for where, text in told.items() if "digicode" in text} == {"dm:ana", "dm:bob"}
    # The lead's answer is hers alone: it lists who answered, with the details.
    assert said.outcome.replies[0].private
    assert said.text.splitlines()[0] == "Updated; everyone who answered was told."
    assert "Going: @ana, @bob" in said.text
    assert f"Details, for those going: {DETAILS}" in said.text


async def test_a_cancellation_is_told_to_everyone_who_answered_with_the_reason(
    lyon: Harness, leafleting: Action
) -> None:
    await everyone_answers(lyon, leafleting)

    said = await ok(lyon, "ines", f"action cancel {leafleting.id} la pluie est annoncée",
                    space=SPACE)

    assert said.text == "Done; everyone who answered was told."
    assert said.outcome.replies[0].private
    told = {sent.where: sent for sent in lyon.platform.sent if sent.where.startswith("dm:")}
    assert sorted(told) == ["dm:ana", "dm:bob", "dm:carl", "dm:dan", "dm:eve"]
    for sent in told.values():
        assert sent.text.splitlines()[0] == "Cancelled: Marché de la Croix-Rousse."
        assert "Cancelled: la pluie est annoncée" in sent.text
        # Nothing left to answer.
        assert sent.reply.buttons == ()
    assert lyon.platform.to(SPACE) == [
        "Cancelled: Marché de la Croix-Rousse, Saturday 5 December 2026, 10:00–12:00"
        " (Paris time). Reason: la pluie est annoncée"
    ]
    cancelled = await get(lyon, leafleting.id)
    assert cancelled.status is ActionStatus.CANCELLED
    assert cancelled.cancel_reason == "la pluie est annoncée"
    assert {reminder.state for reminder in (await reminders(lyon, leafleting)).values()} == {
        ReminderState.CANCELLED
    }


async def test_nobody_answered_nobody_is_told(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "ines", f"action edit {leafleting.id} title=Marché", space=SPACE)

    assert lyon.platform.sent == []


# Reminders follow the new time


async def test_a_new_time_moves_the_reminders(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "ines", f'action edit {leafleting.id} when="dimanche 10h" duration=3h',
             space=SPACE)

    moved = await get(lyon, leafleting.id)
    assert paris(moved.starts_at) == datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)
    assert paris(moved.ends_at) == datetime(2026, 12, 6, 13, 0, tzinfo=PARIS)
    due = {kind: (reminder.due_at, reminder.state)
           for kind, reminder in (await reminders(lyon, leafleting)).items()}
    assert due == {
        ReminderKind.DAY_BEFORE: (datetime(2026, 12, 5, 9, 0, tzinfo=UTC),
                                  ReminderState.PENDING),
        ReminderKind.HOUR_BEFORE: (datetime(2026, 12, 6, 8, 0, tzinfo=UTC),
                                   ReminderState.PENDING),
        ReminderKind.REPORT_PROMPT: (datetime(2026, 12, 6, 12, 30, tzinfo=UTC),
                                     ReminderState.PENDING),
    }


async def test_a_reminder_already_sent_is_sent_again_for_the_new_time(
    lyon: Harness, leafleting: Action
) -> None:
    # Friday noon: the day-before reminder went out at 10:00.
    lyon.clock.set(datetime(2026, 12, 4, 12, 0, tzinfo=PARIS))
    day_before = (await reminders(lyon, leafleting))[ReminderKind.DAY_BEFORE]
    assert await lyon.repos.reminders.claim(day_before.id, lyon.clock.now())
    await lyon.repos.reminders.finish(day_before.id, ReminderState.SENT, lyon.clock.now())

    await ok(lyon, "ines", f'action edit {leafleting.id} when="dimanche 10h"', space=SPACE)

    again = (await reminders(lyon, leafleting))[ReminderKind.DAY_BEFORE]
    assert again.id == day_before.id
    assert again.due_at == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert again.state is ReminderState.PENDING
    assert (again.attempts, again.claimed_at, again.done_at) == (0, None, None)


async def test_a_reminder_the_new_time_leaves_behind_is_skipped(
    lyon: Harness, leafleting: Action
) -> None:
    # Moved from Saturday to tomorrow 9:30: a day-before reminder would already be late, and
    # must not go out on Friday, at its old time, after the action.
    await ok(lyon, "ines", f'action edit {leafleting.id} when="demain 9h30"', space=SPACE)

    found = await reminders(lyon, leafleting)
    assert found[ReminderKind.DAY_BEFORE].state is ReminderState.SKIPPED
    assert found[ReminderKind.HOUR_BEFORE].due_at == datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
    assert found[ReminderKind.HOUR_BEFORE].state is ReminderState.PENDING
    assert found[ReminderKind.REPORT_PROMPT].due_at == datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
    pending = await lyon.repos.reminders.pending_until(datetime(2026, 12, 31, tzinfo=UTC))
    assert all(reminder.kind is not ReminderKind.DAY_BEFORE for reminder in pending)


async def test_a_new_title_leaves_the_reminders_alone(lyon: Harness, leafleting: Action) -> None:
    before = await reminders(lyon, leafleting)

    await ok(lyon, "ines", f"action edit {leafleting.id} title=Marché", space=SPACE)

    assert await reminders(lyon, leafleting) == before


async def test_a_time_in_the_past_is_refused(lyon: Harness, leafleting: Action) -> None:
    before = await dump(lyon.db)

    said = await refused(lyon, "ines", f'action edit {leafleting.id} when="hier 10h"',
                         space=SPACE)

    assert said.text.startswith("That time has passed: Monday 30 November 2026, 10:00")
    assert await dump(lyon.db) == before


async def test_public_field_work_cannot_be_moved_into_the_silence(
    lyon: Harness, leafleting: Action
) -> None:
    said = await refused(lyon, "ines", f'action edit {leafleting.id} when="2027-04-10 10:00"',
                         space=SPACE)

    assert "electoral silence (premier tour)" in said.text
    assert (await get(lyon, leafleting.id)).starts_at == leafleting.starts_at


async def test_a_meeting_cannot_become_leafleting_in_the_silence(lyon: Harness) -> None:
    [meeting] = await schedule(lyon, "action schedule réunion Bilan 2027-04-10 18:00")

    said = await refused(lyon, "ines", f"action edit {meeting.id} kind=tractage", space=SPACE)

    assert "electoral silence (premier tour)" in said.text
    assert (await get(lyon, meeting.id)).kind == "meeting"


# Capacity


async def test_more_places_promote_the_waiting_list_in_order(
    lyon: Harness, leafleting: Action
) -> None:
    for name in ("ana", "bob", "carl", "dan", "eve"):
        await rsvp(lyon, name, leafleting, "going")
    lyon.platform.sent.clear()

    await ok(lyon, "ines", f"action edit {leafleting.id} capacity=4", space=SPACE)

    going = await lyon.repos.rsvps.with_answer(leafleting.id, Answer.GOING)
    waiting = await lyon.repos.rsvps.with_answer(leafleting.id, Answer.WAITLIST)
    assert [rsvp.user_id for rsvp in going] == [
        (await user(lyon, name)).id for name in ("ana", "bob", "carl", "dan")
    ]
    assert [rsvp.user_id for rsvp in waiting] == [(await user(lyon, "eve")).id]
    promoted = [sent.where for sent in lyon.platform.sent
                if sent.text.startswith("A place freed up")]
    assert promoted == ["dm:carl", "dm:dan"]
    assert (await get(lyon, leafleting.id)).capacity == 4


# Repeating actions: this date, or this date and the following ones


async def test_a_series_edit_asks_which_dates_with_two_buttons(
    lyon: Harness, weekly: list[Action]
) -> None:
    before = await dump(lyon.db)

    said = await ok(lyon, "ines", f'action edit {weekly[2].id} where="Salle Paul Garcin"',
                    space=SPACE)

    assert said.text == ("This action repeats.\n"
                         "For this date only, or for this date and the following ones?")
    assert said.buttons == [
        f"action edit {weekly[2].id} where=“Salle Paul Garcin” scope=this",
        f"action edit {weekly[2].id} where=“Salle Paul Garcin” scope=series",
    ]
    assert [render(button.label, RenderContext("en"))
            for button in said.outcome.replies[0].buttons] == [
        "This date", "This date and the following"]
    assert await dump(lyon.db) == before


async def test_the_this_date_button_changes_only_that_date(
    lyon: Harness, weekly: list[Action]
) -> None:
    asked = await ok(lyon, "ines", f'action edit {weekly[2].id} when="2026-12-21 20:00"'
                     ' where="Salle Paul Garcin"', space=SPACE)

    said = await ok(lyon, "ines", asked.buttons[0], space=SPACE)

    assert said.text.splitlines()[0] == "Updated; everyone who answered was told."
    after = [await get(lyon, action.id) for action in weekly]
    assert [paris(action.starts_at).hour for action in after] == [19, 19, 20, 19, 19]
    assert [action.location for action in after] == ["", "", "Salle Paul Garcin", "", ""]


async def test_the_following_button_changes_that_date_and_the_later_ones(
    lyon: Harness, weekly: list[Action]
) -> None:
    await rsvp(lyon, "ana", weekly[0], "going")
    await rsvp(lyon, "bob", weekly[3], "going")
    lyon.platform.sent.clear()
    asked = await ok(lyon, "ines", f'action edit {weekly[2].id} when="2026-12-21 20:00"'
                     ' where="Salle Paul Garcin"', space=SPACE)

    said = await ok(lyon, "ines", asked.buttons[1], space=SPACE)

    assert said.text.splitlines()[0] == "Updated 3 dates; everyone who answered was told."
    after = [await get(lyon, action.id) for action in weekly]
    assert [paris(action.starts_at) for action in after] == [
        datetime(2026, 12, 7, 19, 0, tzinfo=PARIS),
        datetime(2026, 12, 14, 19, 0, tzinfo=PARIS),
        datetime(2026, 12, 21, 20, 0, tzinfo=PARIS),
        datetime(2026, 12, 28, 20, 0, tzinfo=PARIS),
        datetime(2027, 1, 4, 20, 0, tzinfo=PARIS),
    ]
    assert [action.location for action in after] == ["", "", *["Salle Paul Garcin"] * 3]
    # The reminders of the moved dates moved too.
    for action in after[2:]:
        hour_before = (await reminders(lyon, action))[ReminderKind.HOUR_BEFORE]
        assert hour_before.due_at == action.starts_at - timedelta(hours=1)
    # bob answered a date that changed; ana's date did not change.
    assert [sent.where for sent in lyon.platform.sent] == ["dm:bob"]


async def test_a_series_moved_keeps_its_local_time_across_the_spring_change(
    lyon: Harness,
) -> None:
    lyon.clock.set(datetime(2027, 3, 15, 10, 0, tzinfo=PARIS))
    dates = await schedule(lyon, "action schedule réunion Hebdo samedi 10h repeat=weekly"
                           " until=2027-04-03")

    await ok(lyon, "ines", f'action edit {dates[0].id} when="samedi 11h" scope=series',
             space=SPACE)

    after = [await get(lyon, action.id) for action in dates]
    assert [paris(action.starts_at) for action in after] == [
        datetime(2027, 3, 20, 11, 0, tzinfo=PARIS),
        datetime(2027, 3, 27, 11, 0, tzinfo=PARIS),
        datetime(2027, 4, 3, 11, 0, tzinfo=PARIS),
    ]
    assert [action.starts_at.hour for action in after] == [10, 10, 9]


async def test_a_series_cancel_asks_which_dates(lyon: Harness, weekly: list[Action]) -> None:
    said = await ok(lyon, "ines", f"action cancel {weekly[2].id} plus de salle", space=SPACE)

    assert said.text.endswith("For this date only, or for this date and the following ones?")
    assert said.buttons == [
        f"action cancel {weekly[2].id} “plus de salle” scope=this",
        f"action cancel {weekly[2].id} “plus de salle” scope=series",
    ]
    statuses = [(await get(lyon, action.id)).status for action in weekly]
    assert set(statuses) == {ActionStatus.SCHEDULED}


async def test_cancelling_the_following_dates_leaves_the_earlier_ones(
    lyon: Harness, weekly: list[Action]
) -> None:
    await rsvp(lyon, "ana", weekly[1], "going")
    await rsvp(lyon, "bob", weekly[3], "maybe")
    await rsvp(lyon, "carl", weekly[4], "no")
    lyon.platform.sent.clear()
    asked = await ok(lyon, "ines", f"action cancel {weekly[2].id} plus de salle", space=SPACE)

    said = await ok(lyon, "ines", asked.buttons[1], space=SPACE)

    assert said.text == "Done; everyone who answered was told."
    after = [await get(lyon, action.id) for action in weekly]
    assert [action.status for action in after] == [ActionStatus.SCHEDULED] * 2 + [
        ActionStatus.CANCELLED] * 3
    assert {action.cancel_reason for action in after[2:]} == {"plus de salle"}
    for action in after:
        states = {reminder.state for reminder in (await reminders(lyon, action)).values()}
        expected = ReminderState.PENDING if action.status is ActionStatus.SCHEDULED else (
            ReminderState.CANCELLED)
        assert states == {expected}
    assert sorted(sent.where for sent in lyon.platform.sent) == ["dm:bob", "dm:carl", SPACE]
    assert lyon.platform.to(SPACE) == [
        "Cancelled: AG, 3 dates from Monday 21 December 2026, 19:00–21:00 (Paris time)."
        " Reason: plus de salle"
    ]
    assert [entry.target_id for entry in await audit(lyon, "action.cancel")] == [
        action.id for action in weekly[2:]
    ]


async def test_cancelling_this_date_only(lyon: Harness, weekly: list[Action]) -> None:
    await ok(lyon, "ines", f"action cancel {weekly[2].id} férié scope=this", space=SPACE)

    after = [await get(lyon, action.id) for action in weekly]
    assert [action.status is ActionStatus.CANCELLED for action in after] == [
        False, False, True, False, False]
    # The series goes on: editing the following dates skips the cancelled one.
    said = await ok(lyon, "ines", f"action edit {weekly[1].id} title=Assemblée scope=series",
                    space=SPACE)
    assert said.text.startswith("Updated 3 dates")
    assert [(await get(lyon, action.id)).title for action in weekly] == [
        "AG", "Assemblée", "AG", "Assemblée", "Assemblée"]


# Too late to change


async def test_a_cancelled_action_cannot_be_edited_or_cancelled_again(
    lyon: Harness, leafleting: Action
) -> None:
    await ok(lyon, "ines", f"action cancel {leafleting.id} pluie", space=SPACE)
    before = await dump(lyon.db)

    edited = await refused(lyon, "ines", f"action edit {leafleting.id} title=Autre",
                           space=SPACE)
    again = await refused(lyon, "ines", f"action cancel {leafleting.id} encore", space=SPACE)

    assert edited.text == again.text == "This action was cancelled."
    assert await dump(lyon.db) == before


async def test_a_past_action_cannot_be_edited(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(leafleting.ends_at + timedelta(minutes=1))

    said = await refused(lyon, "ines", f"action edit {leafleting.id} title=Autre",
                         space=SPACE)

    assert said.text == "This action is over."


# Audit


async def test_edits_and_cancellations_are_audited_without_the_details(
    lyon: Harness, leafleting: Action
) -> None:
    await ok(lyon, "ines", f'action edit {leafleting.id} where="Place Bellevue"'
             ' details="Nouveau code 9876"', space=SPACE)
    await ok(lyon, "ines", f"action cancel {leafleting.id} pluie", space=SPACE)

    ines = await user(lyon, "ines")
    [edit] = await audit(lyon, "action.edit")
    assert (edit.actor_id, edit.target_kind, edit.target_id) == (ines.id, "action",
                                                                 leafleting.id)
    assert edit.before == {"location": "", "details": "(changed)"}
    assert edit.after == {"location": "Place Bellevue", "details": "(changed)"}
    [cancel] = await audit(lyon, "action.cancel")
    assert cancel.before == {"status": "scheduled"}
    assert cancel.after == {"status": "cancelled", "reason": "pluie"}
    rows = await lyon.db.fetchall("SELECT before, after FROM audit_log")
    text = " ".join(str(tuple(row)) for row in rows)
    assert "digicode" not in text
    assert "9876" not in text
    assert (await get(lyon, leafleting.id)).details == "Nouveau code 9876"



async def test_a_time_alone_keeps_the_actions_own_day(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "ines", f"action edit {leafleting.id} when=19h30", space=SPACE)
    moved = (await get(lyon, leafleting.id)).starts_at.astimezone(PARIS)
    assert moved.date() == leafleting.starts_at.astimezone(PARIS).date()
    assert moved.strftime("%H:%M") == "19:30"


async def test_a_series_moved_by_a_time_alone_stays_on_its_dates(
    lyon: Harness, weekly: list[Action]
) -> None:
    await ok(lyon, "ines", f"action edit {weekly[1].id} when=20h scope=series", space=SPACE)
    for before in weekly[1:]:
        after = (await get(lyon, before.id)).starts_at.astimezone(PARIS)
        assert after.date() == before.starts_at.astimezone(PARIS).date()
        assert after.hour == 20
