"""`action schedule`: who may, where the card goes, how times are read, reminders, series,
electoral silence.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC, 10:00 in Lyon (Europe/Paris, UTC+1).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commands.settings import Electoral, Settings, SilencePeriod
from storage.actions import Action
from storage.reminders import ReminderKind, ReminderState
from tests.commands.committees.helpers import (
    audit,
    committee,
    count,
    create,
    dump,
    known,
    ok,
    refused,
    user,
)
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
PARIS = ZoneInfo("Europe/Paris")
SATURDAY_10H = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # Saturday 5 December, 10:00 Paris
DETAILS = "Rendez-vous fontaine, digicode 4521B"

# Silence before the first round: Saturday 10 April 2027 00:00 to Sunday 11 April 20:00.
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
    """Lyon Croix-Rousse: ines leads, marc co-leads, ana is a member, sam a stranger."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("marc", "ana"):
        await ok(harness, name, f"committee join {SLUG}")
    await ok(harness, "ines", "committee promote @marc", space=SPACE)
    await known(harness, "sam")
    harness.platform.sent.clear()
    return harness


async def actions(harness: Harness) -> list[Action]:
    rows = await harness.db.fetchall("SELECT id FROM actions ORDER BY id")
    found = [await harness.repos.actions.get(row["id"]) for row in rows]
    return [action for action in found if action is not None]


async def only_action(harness: Harness) -> Action:
    stored = await actions(harness)
    assert len(stored) == 1, stored
    return stored[0]


async def nothing_scheduled(harness: Harness) -> None:
    for table in ("actions", "series", "reminders"):
        assert await count(harness, table) == 0, table
    assert await audit(harness, "action.schedule") == []


def in_paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


# Who may schedule, and where


async def test_a_lead_schedules_in_the_space_and_the_committee_is_implied(
    lyon: Harness,
) -> None:
    said = await ok(lyon, "ines", 'action schedule leafleting "Marché de la Croix-Rousse"'
                    ' samedi 10h where="Place de la Croix-Rousse"', space=SPACE)

    action = await only_action(lyon)
    assert action.committee_id == (await committee(lyon, SLUG)).id
    assert action.kind == "leafleting"
    assert action.title == "Marché de la Croix-Rousse"
    assert action.location == "Place de la Croix-Rousse"
    assert (action.starts_at, action.ends_at) == (SATURDAY_10H, SATURDAY_10H.replace(hour=11))
    assert action.created_by == (await user(lyon, "ines")).id
    assert action.capacity is None
    assert action.series_id is None
    assert said.text.splitlines() == [
        f"Scheduled: Saturday 5 December 2026, 10:00 (Paris time). Action {action.id}.",
        "leafleting: Marché de la Croix-Rousse",
        "Saturday 5 December 2026, 10:00–12:00 (Paris time)",
        "Where: Place de la Croix-Rousse",
        "Going: 0 · Maybe: 0 · Waiting list: 0",
        f"Action {action.id} · Lyon Croix-Rousse",
    ]
    assert said.buttons == [f"action rsvp {action.id} going", f"action rsvp {action.id} maybe",
                            f"action rsvp {action.id} no"]
    # Typed in the space, the card is the answer there: not posted a second time.
    assert not said.outcome.replies[0].private
    assert lyon.platform.sent == []


async def test_a_co_lead_may_schedule(lyon: Harness) -> None:
    await ok(lyon, "marc", "action schedule réunion AG jeudi 19h", space=SPACE)

    action = await only_action(lyon)
    assert action.created_by == (await user(lyon, "marc")).id
    assert in_paris(action.starts_at) == datetime(2026, 12, 3, 19, 0, tzinfo=PARIS)


@pytest.mark.parametrize("who", ["ana", "sam"])
async def test_a_member_or_a_stranger_cannot_schedule(lyon: Harness, who: str) -> None:
    before = await dump(lyon.db)

    said = await refused(lyon, who, "action schedule tractage Marché samedi 10h", space=SPACE)

    assert said.text == "Only the committee's lead and co-leads can do that."
    assert await dump(lyon.db) == before
    assert lyon.platform.sent == []


async def test_elsewhere_the_committee_is_named_and_the_card_is_posted_in_its_space(
    lyon: Harness,
) -> None:
    said = await ok(lyon, "ines",
                    f"action schedule tractage Marché samedi 10h committee={SLUG}")

    action = await only_action(lyon)
    assert said.text == (
        f"Scheduled: Saturday 5 December 2026, 10:00 (Paris time). Action {action.id}."
    )
    assert said.outcome.replies[0].private
    [posted] = lyon.platform.sent
    assert posted.where == SPACE
    assert posted.text.splitlines() == [
        "leafleting: Marché",
        "Saturday 5 December 2026, 10:00–12:00 (Paris time)",
        "Going: 0 · Maybe: 0 · Waiting list: 0",
        f"Action {action.id} · Lyon Croix-Rousse",
    ]
    assert [button.command for button in posted.reply.buttons] == [
        f"action rsvp {action.id} going", f"action rsvp {action.id} maybe",
        f"action rsvp {action.id} no",
    ]


async def test_elsewhere_without_a_committee_the_lead_is_asked_which(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule tractage Marché samedi 10h")

    assert said.text.startswith("Say which committee (its id, like lyon-croix-rousse)")
    assert "Usage: action schedule" in said.text
    await nothing_scheduled(lyon)


async def test_the_lead_of_another_committee_cannot_schedule_for_this_one(
    lyon: Harness,
) -> None:
    await create(lyon, "zoe", "Villeurbanne Gratte-Ciel", "Villeurbanne", "69100")

    said = await refused(lyon, "zoe",
                         f"action schedule tractage Marché samedi 10h committee={SLUG}")

    assert said.text == "Only the committee's lead and co-leads can do that."
    assert await count(lyon, "actions") == 0


# What the reply restates


async def test_in_french_the_reply_restates_the_day_and_says_heure_de_paris(
    lyon: Harness,
) -> None:
    said = await lyon.say("ines", "action schedule tractage Marché samedi 10h", space=SPACE,
                          locale="fr")

    assert said.ok, said.text
    action = await only_action(lyon)
    assert said.texts[0].splitlines()[0] == (
        f"C'est prévu\u00a0: samedi 5 décembre 2026, 10:00 (heure de Paris). Action {action.id}."
    )
    assert "samedi 5 décembre 2026, 10:00–12:00 (heure de Paris)" in said.text


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("tractage", "leafleting"),
        ("porte-à-porte", "door_to_door"),
        ("phoning", "phone_bank"),
        ("collage", "postering"),
        ("réunion", "meeting"),
        ('"en ligne"', "online"),
        ("autre", "other"),
        ("Tractage", "leafleting"),
        ("door_to_door", "door_to_door"),
    ],
)
async def test_french_kind_names_are_understood(lyon: Harness, typed: str, kind: str) -> None:
    await ok(lyon, "ines", f"action schedule {typed} Quartier samedi 10h", space=SPACE)

    assert (await only_action(lyon)).kind == kind


async def test_an_unknown_kind_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule barbecue Quartier samedi 10h",
                         space=SPACE)

    assert said.text.startswith("kind must be one of: door_to_door, leafleting, phone_bank,")
    await nothing_scheduled(lyon)


async def test_an_unquoted_time_followed_by_options(lyon: Harness) -> None:
    said = await ok(lyon, "ines", 'action schedule tractage Marché samedi 10h capacity=8'
                    ' duration=1h30 where="Place Bellevue"', space=SPACE)

    action = await only_action(lyon)
    assert action.starts_at == SATURDAY_10H
    assert in_paris(action.ends_at) == datetime(2026, 12, 5, 11, 30, tzinfo=PARIS)
    assert action.capacity == 8
    assert action.location == "Place Bellevue"
    assert "Going: 0/8" in said.text


@pytest.mark.parametrize(
    ("when", "local"),
    [
        ("samedi 10h", datetime(2026, 12, 5, 10, 0)),
        ("demain à 18h30", datetime(2026, 12, 2, 18, 30)),
        ("dans 2 heures", datetime(2026, 12, 1, 12, 0)),
        ("5 décembre 14h", datetime(2026, 12, 5, 14, 0)),
        ("next Saturday 10am", datetime(2026, 12, 5, 10, 0)),
        ("2026-12-05 14:00", datetime(2026, 12, 5, 14, 0)),
        # 09:00 has passed today (it is 10:00 in Lyon): tomorrow.
        ("9h", datetime(2026, 12, 2, 9, 0)),
        # Winter time then summer time: the same wall clock, a different UTC hour.
        ("2027-03-27 10:00", datetime(2027, 3, 27, 10, 0)),
        ("2027-03-28 10:00", datetime(2027, 3, 28, 10, 0)),
    ],
)
async def test_times_are_read_in_the_committees_timezone(
    lyon: Harness, when: str, local: datetime
) -> None:
    await ok(lyon, "ines", f"action schedule tractage Marché {when}", space=SPACE)

    assert in_paris((await only_action(lyon)).starts_at) == local.replace(tzinfo=PARIS)


# Refused, with an example, and nothing stored


@pytest.mark.parametrize(
    ("when", "says"),
    [
        ("hier 10h", "That time has passed: Monday 30 November 2026, 10:00 (Paris time)."),
        ("2026-12-01 09:30", "That time has passed: Tuesday 1 December 2026, 09:30"),
        ("quand on pourra", "I could not read “quand on pourra” as a date and time."),
        ("samedi", "“samedi” has no time of day, and an action needs one"),
        ("2027-03-28 02:30", "2027-03-28 02:30 does not exist in Europe/Paris"),
    ],
)
async def test_a_past_or_unreadable_time_is_refused_with_an_example(
    lyon: Harness, when: str, says: str
) -> None:
    said = await refused(lyon, "ines", f"action schedule tractage Marché {when}", space=SPACE)

    assert says in said.text
    assert "for example" in said.text or "Try 2027-03-28 03:30" in said.text
    await nothing_scheduled(lyon)


@pytest.mark.parametrize("duration", ["25h", "2 jours", "1500 min", "-1h", "0h", "longtemps"])
async def test_a_duration_over_24_hours_or_unreadable_is_refused(
    lyon: Harness, duration: str
) -> None:
    said = await refused(lyon, "ines",
                         f'action schedule tractage Marché samedi 10h duration="{duration}"',
                         space=SPACE)

    assert "for example 2h, 1h30 or 90 min" in said.text
    await nothing_scheduled(lyon)


async def test_a_duration_of_24_hours_is_accepted(lyon: Harness) -> None:
    await ok(lyon, "ines", "action schedule autre Permanence samedi 10h duration=24h",
             space=SPACE)

    action = await only_action(lyon)
    assert in_paris(action.ends_at) == datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ("capacity=0", "capacity"),
        ('title=""', "title cannot be empty."),
        (f'where="{"x" * 201}"', "The place: too long, at most 200 characters."),
        (f'details="{"x" * 1001}"', "The details: too long, at most 1,000 characters."),
    ],
)
async def test_bad_options_are_refused(lyon: Harness, options: str, says: str) -> None:
    line = "action schedule tractage Marché samedi 10h " + options
    if options.startswith("title="):
        line = f"action schedule tractage {options} when=\"samedi 10h\""

    said = await refused(lyon, "ines", line, space=SPACE)

    assert says in said.text
    await nothing_scheduled(lyon)


async def test_a_campaign_that_does_not_exist_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule tractage Marché samedi 10h"
                         " campaign=semaine-nationale", space=SPACE)

    assert said.text == "There is no campaign “semaine-nationale”. campaign list shows them."
    await nothing_scheduled(lyon)


async def test_an_action_tagged_with_a_campaign_shows_it(lyon: Harness) -> None:
    campaign = await lyon.repos.campaigns.create(
        slug="semaine-nationale", name="Semaine nationale du porte-à-porte",
        starts_at=datetime(2026, 12, 1, tzinfo=UTC), ends_at=datetime(2026, 12, 31, tzinfo=UTC),
        goals={"doors": 100_000}, created_by=(await user(lyon, "ines")).id,
        now=lyon.clock.now(),
    )

    said = await ok(lyon, "ines", "action schedule porte-à-porte Pentes samedi 10h"
                    " campaign=Semaine-Nationale", space=SPACE)

    assert (await only_action(lyon)).campaign_id == campaign.id
    assert "Campaign: Semaine nationale du porte-à-porte" in said.text


# Reminders


async def test_reminders_are_planned_from_the_start_and_the_end(lyon: Harness) -> None:
    await ok(lyon, "ines", "action schedule tractage Marché samedi 10h", space=SPACE)

    action = await only_action(lyon)
    reminders = await lyon.repos.reminders.of_action(action.id)
    assert [(reminder.kind, reminder.due_at, reminder.state) for reminder in reminders] == [
        # Friday 10:00, Saturday 09:00, and 30 minutes after the 12:00 end, Paris time.
        (ReminderKind.DAY_BEFORE, datetime(2026, 12, 4, 9, 0, tzinfo=UTC), ReminderState.PENDING),
        (ReminderKind.HOUR_BEFORE, datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
         ReminderState.PENDING),
        (ReminderKind.REPORT_PROMPT, datetime(2026, 12, 5, 11, 30, tzinfo=UTC),
         ReminderState.PENDING),
    ]


async def test_no_reminder_is_planned_in_the_past(lyon: Harness) -> None:
    await ok(lyon, "ines", "action schedule collage Affiches dans 2 heures", space=SPACE)

    action = await only_action(lyon)
    assert action.starts_at == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    reminders = await lyon.repos.reminders.of_action(action.id)
    # The day before would already be late: only the hour before and the report prompt.
    assert [(reminder.kind, reminder.due_at) for reminder in reminders] == [
        (ReminderKind.HOUR_BEFORE, datetime(2026, 12, 1, 10, 0, tzinfo=UTC)),
        (ReminderKind.REPORT_PROMPT, datetime(2026, 12, 1, 13, 30, tzinfo=UTC)),
    ]
    assert all(reminder.due_at > lyon.clock.now() for reminder in reminders)


async def test_an_action_in_30_minutes_gets_only_the_report_prompt(lyon: Harness) -> None:
    await ok(lyon, "ines", "action schedule phoning Appels dans 30 minutes duration=1h",
             space=SPACE)

    reminders = await lyon.repos.reminders.of_action((await only_action(lyon)).id)
    assert [(reminder.kind, reminder.due_at) for reminder in reminders] == [
        (ReminderKind.REPORT_PROMPT, datetime(2026, 12, 1, 11, 0, tzinfo=UTC)),
    ]


# Series


async def test_a_weekly_series_keeps_ten_oclock_across_the_spring_change(
    lyon: Harness,
) -> None:
    lyon.clock.set(datetime(2027, 3, 15, 10, 0, tzinfo=PARIS))  # a Monday

    said = await ok(lyon, "ines", "action schedule réunion Hebdo samedi 10h repeat=weekly"
                    " until=2027-04-17", space=SPACE)

    stored = await actions(lyon)
    assert [in_paris(action.starts_at) for action in stored] == [
        datetime(2027, 3, 20, 10, 0, tzinfo=PARIS),
        datetime(2027, 3, 27, 10, 0, tzinfo=PARIS),
        datetime(2027, 4, 3, 10, 0, tzinfo=PARIS),
        datetime(2027, 4, 10, 10, 0, tzinfo=PARIS),
        datetime(2027, 4, 17, 10, 0, tzinfo=PARIS),
    ]
    # In UTC the hour changes after Sunday 28 March, when the clocks went forward.
    assert [action.starts_at.hour for action in stored] == [9, 9, 8, 8, 8]
    assert all(action.ends_at - action.starts_at == stored[0].ends_at - stored[0].starts_at
               for action in stored)
    assert len({action.series_id for action in stored}) == 1
    series = await lyon.repos.actions.get_series(stored[0].series_id or 0)
    assert series is not None
    assert series.repeat == "weekly"
    assert in_paris(series.until_at) == datetime(2027, 4, 17, 23, 59, 59, tzinfo=PARIS)
    assert said.text.splitlines()[:2] == [
        f"Scheduled: Saturday 20 March 2027, 10:00 (Paris time). Action {stored[0].id}.",
        "Repeats every week: 5 dates, the last on Saturday 17 April 2027.",
    ]
    # Every date has its own reminders, at the right UTC time.
    for action in stored:
        reminders = await lyon.repos.reminders.of_action(action.id)
        hour_before = {reminder.kind: reminder.due_at for reminder in reminders}[
            ReminderKind.HOUR_BEFORE]
        assert hour_before == action.starts_at - timedelta(hours=1)
    # One audit row for the whole series.
    [entry] = await audit(lyon, "action.schedule")
    assert entry.after is not None
    assert entry.after["occurrences"] == 5


async def test_a_series_without_until_runs_for_three_months(lyon: Harness) -> None:
    said = await ok(lyon, "ines", "action schedule réunion AG lundi 19h repeat=toutes-les-deux-"
                    "semaines", space=SPACE)

    stored = await actions(lyon)
    assert len(stored) == 7  # 7 December, then every two weeks until early March
    assert in_paris(stored[-1].starts_at) == datetime(2027, 3, 1, 19, 0, tzinfo=PARIS)
    assert "Repeats every two weeks: 7 dates, the last on Monday 1 March 2027." in said.text


async def test_until_without_repeat_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule réunion AG lundi 19h until=2027-01-31",
                         space=SPACE)

    assert said.text.startswith("until= goes with repeat=, for a repeating action.")
    await nothing_scheduled(lyon)


async def test_a_series_ending_before_it_starts_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule réunion AG lundi 19h repeat=weekly"
                         " until=2026-12-06", space=SPACE)

    assert said.text.startswith("A series must end after its first action (Monday 7 December")
    await nothing_scheduled(lyon)


# Electoral silence


@pytest.mark.parametrize("kind", ["porte-à-porte", "tractage", "collage"])
async def test_public_field_work_in_the_silence_is_refused_saying_until_when(
    lyon: Harness, kind: str
) -> None:
    said = await refused(lyon, "ines", f"action schedule {kind} Marché 2027-04-10 10:00",
                         space=SPACE)

    assert "electoral silence (premier tour)" in said.text
    assert "until Sunday 11 April 2027, 20:00 (Paris time)" in said.text
    await nothing_scheduled(lyon)


async def test_an_action_running_into_the_silence_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "ines", "action schedule tractage Soirée 2027-04-09 22:00"
                         " duration=3h", space=SPACE)

    assert "electoral silence" in said.text
    await nothing_scheduled(lyon)


async def test_an_action_ending_when_the_silence_begins_is_allowed(lyon: Harness) -> None:
    await ok(lyon, "ines", "action schedule tractage Soirée 2027-04-09 22:00", space=SPACE)

    assert await count(lyon, "actions") == 1


@pytest.mark.parametrize("kind", ["réunion", "phoning", '"en ligne"'])
async def test_meetings_and_calls_are_allowed_in_the_silence(lyon: Harness, kind: str) -> None:
    await ok(lyon, "ines", f"action schedule {kind} Bilan 2027-04-10 18:00", space=SPACE)

    assert await count(lyon, "actions") == 1


async def test_a_series_crossing_the_silence_is_refused_as_a_whole(lyon: Harness) -> None:
    lyon.clock.set(datetime(2027, 3, 15, 10, 0, tzinfo=PARIS))

    said = await refused(lyon, "ines", "action schedule tractage Marché samedi 10h"
                         " repeat=weekly until=2027-05-01", space=SPACE)

    assert "electoral silence (premier tour)" in said.text
    await nothing_scheduled(lyon)


# Details: only for those going and for leads


async def test_details_are_never_on_the_public_card(lyon: Harness) -> None:
    said = await ok(lyon, "ines", f'action schedule tractage Marché samedi 10h'
                    f' details="{DETAILS}"', space=SPACE)

    action = await only_action(lyon)
    assert action.details == DETAILS
    assert not said.outcome.replies[0].private
    assert "digicode" not in said.text
    assert "Answer going to see the meeting point and details." in said.text


async def test_details_are_not_on_the_card_posted_in_the_space_either(lyon: Harness) -> None:
    await ok(lyon, "ines", f'action schedule tractage Marché samedi 10h details="{DETAILS}"'
             f" committee={SLUG}")

    [posted] = lyon.platform.sent
    assert posted.where == SPACE
    assert "digicode" not in posted.text
    assert "Answer going to see the meeting point and details." in posted.text


async def test_details_stay_out_of_the_audit_log(lyon: Harness) -> None:
    await ok(lyon, "ines", f'action schedule tractage Marché samedi 10h details="{DETAILS}"',
             space=SPACE)

    action = await only_action(lyon)
    [entry] = await audit(lyon, "action.schedule")
    assert entry.target_kind == "action"
    assert entry.target_id == action.id
    assert entry.actor_id == (await user(lyon, "ines")).id
    assert entry.committee_id == action.committee_id
    assert entry.after is not None
    assert entry.after["title"] == "Marché"
    assert entry.after["occurrences"] == 1
    assert "details" not in entry.after
    rows = await lyon.db.fetchall("SELECT before, after FROM audit_log")
    assert not any("digicode" in str(tuple(row)) for row in rows)
