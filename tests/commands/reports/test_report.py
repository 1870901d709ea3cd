"""`report`: who may file one, when, what it counts for each kind, within which bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.actions import Action
from tests.commands.committees.helpers import dump, ok, refused, user
from tests.commands.reports.helpers import (
    ENDS,
    SPACE,
    STARTS,
    lyon,
    reports,
    schedule,
    stored,
)
from tests.conftest import Harness

# Fields per kind


@pytest.mark.parametrize(
    ("kind", "line", "figures"),
    [
        ("door_to_door",
         "attendees=5 doors_knocked=120 doors_opened=45 conversations=30 contacts=8",
         {"attendees": 5, "doors_knocked": 120, "doors_opened": 45, "conversations": 30,
          "contacts": 8}),
        ("leafleting", "attendees=6 leaflets=1200 conversations=40",
         {"attendees": 6, "leaflets": 1200, "conversations": 40}),
        ("phone_bank", "attendees=4 calls_made=150 calls_answered=60 conversations=25",
         {"attendees": 4, "calls_made": 150, "calls_answered": 60, "conversations": 25}),
        ("postering", "attendees=3 posters=40", {"attendees": 3, "posters": 40}),
        ("meeting", "attendees=18 new_members=2", {"attendees": 18, "new_members": 2}),
        ("online", "attendees=35", {"attendees": 35}),
        ("other", 'attendees=7 notes="Stand à la fête de quartier"', {"attendees": 7}),
    ],
)
async def test_each_kind_counts_its_own_fields(
    harness: Harness, kind: str, line: str, figures: dict[str, int]
) -> None:
    await lyon(harness)
    action = await schedule(harness, kind)
    harness.clock.set(ENDS)

    said = await ok(harness, "ines", f"report {action.id} {line}", space=SPACE)

    report = await stored(harness, action)
    assert report is not None
    assert report.figures == figures
    assert report.kind == kind
    assert report.held_at == STARTS
    assert report.committee_id == action.committee_id
    assert report.reported_by == (await user(harness, "ines")).id
    assert said.outcome.replies[0].private
    assert "Report filed: thank you, everyone at Lyon Croix-Rousse!" in said.text


async def test_the_reply_restates_the_report_and_the_space_gets_a_summary(
    harness: Harness, leafleting: Action,
) -> None:
    said = await ok(harness, "ines", f'report {leafleting.id} leaflets=1200 conversations=40'
                                     ' attendees=6 notes="Bon accueil"', space=SPACE)

    assert said.text.splitlines() == [
        "Report filed: thank you, everyone at Lyon Croix-Rousse!",
        "Report on leafleting “Marché de la Croix-Rousse”, Saturday 5 December 2026,"
        " 10:00–12:00 (Paris time):",
        "• people who came: 6",
        "• leaflets handed out: 1,200",
        "• conversations: 40",
        "Notes: Bon accueil",
        "It can be corrected until Saturday 12 December 2026, 12:00 (Paris time): type"
        f" report {leafleting.id} again with the figures to change.",
    ]
    assert harness.platform.to(SPACE)[-1] == (
        "How it went — Marché de la Croix-Rousse, Saturday 5 December 2026: 6 people,"
        " 1,200 leaflets, 40 conversations. Thank you, everyone!"
    )


async def test_the_summary_in_french(harness: Harness, leafleting: Action) -> None:
    await ok(harness, "ines", "committee edit lyon-croix-rousse locale=fr")

    await ok(harness, "ines", f"report {leafleting.id} leaflets=1200 attendees=1", space=SPACE)

    summary = harness.platform.sent[-1]
    assert summary.locale == "fr"
    assert "1\u202f200" in summary.text


async def test_a_field_of_another_kind_is_refused_and_nothing_stored(
    harness: Harness, leafleting: Action,
) -> None:
    before = await dump(harness.db)

    said = await refused(harness, "ines",
                         f"report {leafleting.id} attendees=6 leaflets=1200 posters=30",
                         space=SPACE)

    assert said.text.splitlines() == [
        "Reports for leafleting do not count posters.",
        "Report fields for leafleting: attendees, leaflets, conversations, and notes=\"…\" for"
        " the rest.",
        f"For example: report {leafleting.id} attendees=6 leaflets=1200 conversations=30",
    ]
    assert await dump(harness.db) == before


async def test_the_refusal_is_in_the_users_language(harness: Harness, leafleting: Action) -> None:
    await ok(harness, "ines", "lang fr")

    said = await harness.say("ines", f"report {leafleting.id} doors_knocked=3", space=SPACE)

    assert not said.ok
    assert said.outcome.locale == "fr"
    assert "doors_knocked" in said.text
    assert "attendees, leaflets, conversations" in said.text
    assert await reports(harness) == 0


# Bounds and consistency


@pytest.mark.parametrize(
    ("kind", "line", "message"),
    [
        ("leafleting", "attendees=6 leaflets=50001", "leaflets must be at most 50,000."),
        ("door_to_door", "attendees=6 doors_knocked=5001", "doors_knocked must be at most 5,000."),
        ("phone_bank", "attendees=6 calls_made=9000", "calls_made must be at most 5,000."),
        ("online", "attendees=2001", "attendees must be at most 2,000."),
        ("leafleting", "attendees=-1", "attendees must be at least 0."),
        ("leafleting", "attendees=6 leaflets=12.5", "leaflets must be a whole number"),
        ("leafleting", "attendees=six", "attendees must be a whole number"),
        ("door_to_door", "attendees=6 doors_knocked=30 doors_opened=45",
         "Check the figures: doors opened (45) cannot be more than doors knocked (30)."),
        ("door_to_door", "attendees=6 doors_knocked=100 doors_opened=20 conversations=25",
         "Check the figures: conversations (25) cannot be more than doors opened (20)."),
        ("phone_bank", "attendees=6 calls_made=100 calls_answered=120",
         "Check the figures: calls answered (120) cannot be more than calls made (100)."),
        ("phone_bank", "attendees=6 calls_made=100 calls_answered=40 conversations=41",
         "conversations (41) cannot be more than calls answered (40)."),
        ("meeting", "attendees=6 new_members=7",
         "new members (7) cannot be more than people who came (6)."),
        ("other", 'attendees=6 notes="a\u202eb"', "notes contains invisible or control"),
        ("other", "attendees=6 notes=" + "x" * 2001, "notes is too long: 2,001 characters"),
    ],
)
async def test_implausible_or_inconsistent_figures_are_refused(
    harness: Harness, kind: str, line: str, message: str
) -> None:
    await lyon(harness)
    action = await schedule(harness, kind)
    harness.clock.set(ENDS)
    before = await dump(harness.db)

    said = await refused(harness, "ines", f"report {action.id} {line}", space=SPACE)

    assert message in said.text
    assert await dump(harness.db) == before


async def test_the_bounds_themselves_are_accepted(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "leafleting")
    harness.clock.set(ENDS)

    await ok(harness, "ines", f"report {action.id} attendees=2000 leaflets=50000"
                              " conversations=0", space=SPACE)

    report = await stored(harness, action)
    assert report is not None
    assert report.figures == {"attendees": 2000, "leaflets": 50_000, "conversations": 0}


async def test_numbers_may_be_typed_with_spaces(harness: Harness, leafleting: Action) -> None:

    await ok(harness, "ines", f'report {leafleting.id} attendees=6 leaflets="1 200"',
             space=SPACE)

    report = await stored(harness, leafleting)
    assert report is not None
    assert report.leaflets == 1200


# When


async def test_a_report_before_the_start_is_refused_saying_when(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "leafleting")
    harness.clock.set(STARTS - timedelta(minutes=1))

    said = await refused(harness, "ines", f"report {action.id} attendees=6", space=SPACE)

    assert said.text == ("A report comes once the action has started: Saturday 5 December 2026,"
                         " 10:00 (Paris time).")
    assert await reports(harness) == 0


async def test_a_report_from_the_start_on_is_accepted(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "leafleting")
    harness.clock.set(STARTS)

    await ok(harness, "ines", f"report {action.id} attendees=6", space=SPACE)

    assert await reports(harness) == 1


async def test_a_cancelled_action_has_nothing_to_report(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "leafleting")
    await ok(harness, "ines", f"action cancel {action.id} rain", space=SPACE)
    harness.clock.set(ENDS)

    said = await refused(harness, "ines", f"report {action.id} attendees=6", space=SPACE)

    assert said.text == "This action was cancelled: there is nothing to report."
    assert await reports(harness) == 0


async def test_an_unknown_action_is_refused(harness: Harness, leafleting: Action) -> None:
    said = await refused(harness, "ines", "report 999 attendees=6")

    assert "There is no action “999”" in said.text


# Attendees


async def test_attendees_default_to_those_who_checked_in(
    harness: Harness, leafleting: Action,
) -> None:
    harness.clock.set(STARTS)
    for name in ("ana", "bob"):
        await ok(harness, name, f"action checkin {leafleting.id}", space=SPACE)
    await ok(harness, "ines", f"action checkin {leafleting.id}", space=SPACE)
    harness.clock.set(ENDS)

    shown = await ok(harness, "ines", f"report {leafleting.id}", space=SPACE)
    await ok(harness, "ines", f"report {leafleting.id} leaflets=800", space=SPACE)

    assert "3 checked in" in shown.text
    report = await stored(harness, leafleting)
    assert report is not None
    assert report.attendees == 3


async def test_attendees_given_win_over_check_ins(harness: Harness, leafleting: Action) -> None:
    harness.clock.set(STARTS)
    await ok(harness, "ana", f"action checkin {leafleting.id}", space=SPACE)
    harness.clock.set(ENDS)

    await ok(harness, "ines", f"report {leafleting.id} attendees=9", space=SPACE)

    report = await stored(harness, leafleting)
    assert report is not None
    assert report.attendees == 9


async def test_without_check_ins_attendees_must_be_said(
    harness: Harness, leafleting: Action,
) -> None:
    before = await dump(harness.db)

    said = await refused(harness, "ines", f"report {leafleting.id} leaflets=800", space=SPACE)

    assert said.text.splitlines()[0] == (
        "How many people came? Nobody checked in, so say it with attendees=…"
    )
    assert await dump(harness.db) == before


# Who


@pytest.mark.parametrize("who", ["ines", "colin"])
async def test_the_lead_and_co_leads_report(harness: Harness, leafleting: Action, who: str) -> None:

    await ok(harness, who, f"report {leafleting.id} attendees=6")

    assert await reports(harness) == 1


@pytest.mark.parametrize("who", ["ana", "sam", "chloe"])
async def test_members_strangers_and_staff_cannot_report(
    harness: Harness, leafleting: Action, who: str,
) -> None:
    before = await dump(harness.db)
    sent = list(harness.platform.sent)

    said = await refused(harness, who, f"report {leafleting.id} attendees=6", space=SPACE)

    assert said.text == "Only the committee's lead and co-leads can do that."
    assert await dump(harness.db) == before
    assert harness.platform.sent == sent


# Reading: `report <id>` alone, as the report prompt's button runs it


async def test_report_alone_says_what_to_count(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "door_to_door", "Pentes")
    harness.clock.set(ENDS)
    before = await dump(harness.db)

    said = await ok(harness, "ines", f"report {action.id}", space=SPACE)

    assert said.text.splitlines() == [
        "No report yet for door-to-door “Pentes”.",
        "Report fields for door-to-door: attendees, doors_knocked, doors_opened, conversations,"
        " contacts, and notes=\"…\" for the rest.",
        f"For example: report {action.id} attendees=6 doors_knocked=120 doors_opened=45"
        " conversations=30 contacts=8",
    ]
    assert await dump(harness.db) == before


async def test_report_alone_shows_the_report_and_what_is_missing(
    harness: Harness, leafleting: Action,
) -> None:
    await ok(harness, "ines", f"report {leafleting.id} attendees=6 leaflets=900", space=SPACE)

    said = await ok(harness, "colin", f"report {leafleting.id}")

    assert "• leaflets handed out: 900" in said.text
    assert "Not counted yet: conversations." in said.text


async def test_the_example_is_a_report_that_files(harness: Harness) -> None:
    await lyon(harness)
    kinds = ("door_to_door", "leafleting", "phone_bank", "postering", "meeting", "online",
             "other")
    actions = [await schedule(harness, kind, kind) for kind in kinds]
    harness.clock.set(ENDS)

    for action in actions:
        said = await ok(harness, "ines", f"report {action.id}", space=SPACE)
        example = said.text.splitlines()[-1].removeprefix("For example: ")
        await ok(harness, "ines", example, space=SPACE)

    assert await reports(harness) == len(kinds)
