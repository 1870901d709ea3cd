"""`action info`: the card as each reader may see it, and attendance once it is over.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC; the leafleting is on Saturday 5
December, 10:00–12:00 Paris time (09:00–11:00 UTC).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from commands.actions.checkin import close_attendance
from storage.actions import Action
from tests.commands.actions.conftest import ENDS, SPACE, STARTS
from tests.commands.committees.helpers import dump, ok, refused
from tests.conftest import Harness

DETAILS = "Rendez-vous fontaine, digicode 4521B"
WHEN = "Saturday 5 December 2026, 10:00–12:00 (Paris time)"


@pytest.fixture
async def leafleting(lyon: Harness) -> Action:
    """The Saturday leafleting, 3 places: ana and bob going, carl maybe."""
    await ok(lyon, "ines", 'action schedule tractage "Marché de la Croix-Rousse" samedi 10h'
             f' where="Place de la Croix-Rousse" capacity=3 details="{DETAILS}"', space=SPACE)
    action = await lyon.repos.actions.get(await lyon.db.fetchval("SELECT MAX(id) FROM actions"))
    assert action is not None
    for name, answer in (("ana", "going"), ("bob", "going"), ("carl", "maybe")):
        await ok(lyon, name, f"action rsvp {action.id} {answer}", space=SPACE)
    return action


def rsvp_buttons(action: Action) -> list[str]:
    return [f"action rsvp {action.id} going", f"action rsvp {action.id} maybe",
            f"action rsvp {action.id} no"]


async def test_a_stranger_sees_time_place_and_counts_but_no_details(
    lyon: Harness, leafleting: Action
) -> None:
    said = await ok(lyon, "sam", f"action info {leafleting.id}")

    assert said.text.splitlines() == [
        "leafleting: Marché de la Croix-Rousse",
        WHEN,
        "Where: Place de la Croix-Rousse",
        "Going: 2/3 · Maybe: 1 · Waiting list: 0",
        "Answer going to see the meeting point and details.",
        f"Action {leafleting.id} · Lyon Croix-Rousse",
    ]
    assert said.outcome.replies[0].private
    assert said.buttons == rsvp_buttons(leafleting)


async def test_someone_going_sees_the_details_but_not_who_else_is_going(
    lyon: Harness, leafleting: Action
) -> None:
    said = await ok(lyon, "ana", f"action info {leafleting.id}", space=SPACE)

    assert f"Details, for those going: {DETAILS}" in said.text
    assert "@bob" not in said.text


async def test_maybe_does_not_see_the_details(lyon: Harness, leafleting: Action) -> None:
    said = await ok(lyon, "carl", f"action info {leafleting.id}", space=SPACE)

    assert "digicode" not in said.text


@pytest.mark.parametrize("reader", ["ines", "colin", "chloe"])
async def test_leads_and_staff_see_details_and_who_answered(
    lyon: Harness, leafleting: Action, reader: str
) -> None:
    said = await ok(lyon, reader, f"action info {leafleting.id}")

    assert f"Details, for those going: {DETAILS}" in said.text
    assert "Going: @ana, @bob" in said.text.splitlines()
    assert "Maybe: @carl" in said.text.splitlines()


async def test_info_changes_nothing(lyon: Harness, leafleting: Action) -> None:
    before = await dump(lyon.db)

    await ok(lyon, "ines", f"action info {leafleting.id}", space=SPACE)

    assert await dump(lyon.db) == before


async def test_an_unknown_action_is_refused_clearly(lyon: Harness) -> None:
    said = await refused(lyon, "sam", "action info 999")

    assert said.text.splitlines()[0] == (
        "There is no action “999”. action list shows the coming ones."
    )


async def test_during_check_in_a_member_gets_a_check_in_button(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS - timedelta(minutes=10))

    said = await ok(lyon, "ana", f"action info {leafleting.id}", space=SPACE)

    assert said.buttons == [f"action checkin {leafleting.id}", *rsvp_buttons(leafleting)]
    await ok(lyon, "ana", said.buttons[0], space=SPACE)
    after = await ok(lyon, "ana", f"action info {leafleting.id}", space=SPACE)
    assert "You checked in." in after.text.splitlines()
    assert after.buttons == rsvp_buttons(leafleting)


async def test_during_the_action_leads_see_who_checked_in_so_far(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS + timedelta(minutes=10))
    await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    lead = await ok(lyon, "ines", f"action info {leafleting.id}", space=SPACE)
    member = await ok(lyon, "bob", f"action info {leafleting.id}", space=SPACE)

    assert "Checked in so far: 1" in lead.text.splitlines()
    assert "Checked in" not in member.text


async def test_a_past_action_shows_attendance_to_leads_and_no_buttons(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS)
    await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)
    lyon.clock.set(ENDS + timedelta(minutes=30))
    await close_attendance(lyon.services, leafleting)

    lead = await ok(lyon, "ines", f"action info {leafleting.id}", space=SPACE)
    member = await ok(lyon, "bob", f"action info {leafleting.id}", space=SPACE)

    assert "Came: 1 · No-shows: 1" in lead.text.splitlines()
    assert lead.buttons == []
    assert "No-shows" not in member.text
    assert member.buttons == []


async def test_before_closing_attendance_those_who_did_not_come_already_count_as_no_shows(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(ENDS + timedelta(minutes=1))

    lead = await ok(lyon, "ines", f"action info {leafleting.id}", space=SPACE)

    assert "Came: 0 · No-shows: 2" in lead.text.splitlines()


async def test_a_cancelled_action_says_so_and_offers_no_answer(
    lyon: Harness, leafleting: Action
) -> None:
    await ok(lyon, "ines", f"action cancel {leafleting.id} rain all day", space=SPACE)

    said = await ok(lyon, "sam", f"action info {leafleting.id}")

    assert "Cancelled: rain all day" in said.text.splitlines()
    assert said.buttons == []


async def test_info_is_in_the_readers_language(lyon: Harness, leafleting: Action) -> None:
    said = await lyon.say("sam", f"action info {leafleting.id}", locale="fr")

    assert said.ok
    assert "samedi 5 décembre 2026, 10:00–12:00 (heure de Paris)" in said.text
