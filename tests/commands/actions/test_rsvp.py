"""`action rsvp`: going, maybe or no; a waiting list when the action is full, served in the
order people answered.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC; the leafleting is on Saturday 5
December, 10:00–12:00 Paris time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.actions import Action
from storage.rsvps import Answer
from tests.commands.committees.helpers import audit, create, dump, known, ok, refused, user
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
DETAILS = "Rendez-vous fontaine, digicode 4521B"
MEMBERS = ("ana", "bob", "carl", "dan", "eve")
WHEN = "Saturday 5 December 2026, 10:00–12:00 (Paris time)"


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse led by ines, with five members; sam is a stranger."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in MEMBERS:
        await ok(harness, name, f"committee join {SLUG}")
    await known(harness, "sam")
    harness.platform.sent.clear()
    return harness


async def schedule(harness: Harness, options: str = "") -> Action:
    await ok(harness, "ines", f'action schedule tractage "Marché de la Croix-Rousse" samedi 10h'
             f' details="{DETAILS}" {options}', space=SPACE)
    harness.platform.sent.clear()
    action_id = await harness.db.fetchval("SELECT MAX(id) FROM actions")
    action = await harness.repos.actions.get(action_id)
    assert action is not None
    return action


@pytest.fixture
async def leafleting(lyon: Harness) -> Action:
    """The Saturday leafleting, no capacity."""
    return await schedule(lyon)


@pytest.fixture
async def two_places(lyon: Harness) -> Action:
    """The Saturday leafleting, for two people at most."""
    return await schedule(lyon, "capacity=2")


async def answer(harness: Harness, name: str, action: Action, response: str) -> str:
    """Answer (it must be accepted) one minute after the previous answer; the reply text."""
    harness.clock.advance(timedelta(minutes=1))
    said = await ok(harness, name, f"action rsvp {action.id} {response}", space=SPACE)
    assert said.outcome.replies[0].private
    return said.text


async def answers(harness: Harness, action: Action) -> dict[str, Answer]:
    """Who answered what, by name."""
    rsvps = await harness.repos.rsvps.of_action(action.id)
    users = await harness.repos.users.many([rsvp.user_id for rsvp in rsvps])
    return {users[rsvp.user_id].platform_user_id: rsvp.answer for rsvp in rsvps}


async def going(harness: Harness, action: Action) -> list[str]:
    """Who is going, first answered first."""
    rsvps = await harness.repos.rsvps.with_answer(action.id, Answer.GOING)
    users = await harness.repos.users.many([rsvp.user_id for rsvp in rsvps])
    return [users[rsvp.user_id].platform_user_id for rsvp in rsvps]


# going, maybe, no


async def test_going_is_stored_and_shows_the_details(lyon: Harness, leafleting: Action) -> None:
    text = await answer(lyon, "ana", leafleting, "going")

    assert await answers(lyon, leafleting) == {"ana": Answer.GOING}
    assert text.splitlines() == [
        f"You are going: {WHEN}. You will get reminders before it starts.",
        "leafleting: Marché de la Croix-Rousse",
        WHEN,
        "Going: 1 · Maybe: 0 · Waiting list: 0",
        f"Details, for those going: {DETAILS}",
        f"Action {leafleting.id} · Lyon Croix-Rousse",
    ]


async def test_maybe_is_stored_without_the_details(lyon: Harness, leafleting: Action) -> None:
    text = await answer(lyon, "ana", leafleting, "maybe")

    assert await answers(lyon, leafleting) == {"ana": Answer.MAYBE}
    assert text.splitlines()[0] == f"Noted as maybe: {WHEN}."
    assert "Going: 0 · Maybe: 1 · Waiting list: 0" in text
    assert "digicode" not in text
    assert "Answer going to see the meeting point and details." in text


async def test_no_is_stored_without_the_details(lyon: Harness, leafleting: Action) -> None:
    text = await answer(lyon, "ana", leafleting, "no")

    assert await answers(lyon, leafleting) == {"ana": Answer.NO}
    assert text.splitlines()[0] == "Noted: you are not going."
    assert "Going: 0 · Maybe: 0 · Waiting list: 0" in text
    assert "digicode" not in text


async def test_an_answer_can_be_changed(lyon: Harness, leafleting: Action) -> None:
    await answer(lyon, "ana", leafleting, "maybe")
    await answer(lyon, "ana", leafleting, "going")

    assert await answers(lyon, leafleting) == {"ana": Answer.GOING}
    await answer(lyon, "ana", leafleting, "no")
    assert await answers(lyon, leafleting) == {"ana": Answer.NO}


async def test_the_reply_carries_rsvp_buttons_that_work(lyon: Harness, leafleting: Action) -> None:
    said = await ok(lyon, "ana", f"action rsvp {leafleting.id} maybe", space=SPACE)

    assert said.buttons == [f"action rsvp {leafleting.id} going",
                            f"action rsvp {leafleting.id} maybe",
                            f"action rsvp {leafleting.id} no"]
    await ok(lyon, "ana", said.buttons[0], space=SPACE)
    assert await answers(lyon, leafleting) == {"ana": Answer.GOING}


@pytest.mark.parametrize(
    ("typed", "stored", "says"),
    [
        ("oui", Answer.GOING, "Super, vous venez\u00a0: samedi 5 décembre 2026, 10:00–12:00"
                              " (heure de Paris)."),
        ("peut-être", Answer.MAYBE,
         "C'est noté, «\u00a0peut-être\u00a0» pour samedi 5 décembre 2026"),
        ("non", Answer.NO, "C'est noté\u00a0: vous ne venez pas."),
        ("Oui", Answer.GOING, "Super, vous venez"),
        ("yes", Answer.GOING, "Super, vous venez"),
    ],
)
async def test_french_answers(
    lyon: Harness, leafleting: Action, typed: str, stored: Answer, says: str
) -> None:
    said = await lyon.say("ana", f"action rsvp {leafleting.id} {typed}", space=SPACE,
                          locale="fr")

    assert said.ok, said.text
    assert await answers(lyon, leafleting) == {"ana": stored}
    assert said.text.splitlines()[0].startswith(says)


async def test_an_unknown_answer_is_refused(lyon: Harness, leafleting: Action) -> None:
    said = await refused(lyon, "ana", f"action rsvp {leafleting.id} perhaps", space=SPACE)

    assert said.text.startswith("answer must be one of: going, maybe, no.")
    assert await answers(lyon, leafleting) == {}


async def test_an_unknown_action_is_refused(lyon: Harness, leafleting: Action) -> None:
    said = await refused(lyon, "ana", "action rsvp 999 going", space=SPACE)

    assert said.text == "There is no action “999”. action list shows the coming ones."


async def test_the_same_answer_twice_is_refused_politely(
    lyon: Harness, leafleting: Action
) -> None:
    await answer(lyon, "ana", leafleting, "maybe")
    before = await dump(lyon.db)

    said = await refused(lyon, "ana", f"action rsvp {leafleting.id} peut-être", space=SPACE)

    assert said.text == "That is already your answer."
    assert await dump(lyon.db) == before


async def test_going_again_confirms_and_changes_nothing(lyon: Harness, leafleting: Action) -> None:
    # The "I'm coming" button of the day-before reminder sends going once more.
    await answer(lyon, "ana", leafleting, "going")
    before = await dump(lyon.db)

    said = await ok(lyon, "ana", f"action rsvp {leafleting.id} oui", space=SPACE)

    assert said.text == "Confirmed: see you there!"
    assert await dump(lyon.db) == before


async def test_the_answers_are_audited(lyon: Harness, leafleting: Action) -> None:
    await answer(lyon, "ana", leafleting, "maybe")
    await answer(lyon, "ana", leafleting, "going")

    entries = await audit(lyon, "action.rsvp")
    assert [(entry.before, entry.after) for entry in entries] == [
        ({"answer": None}, {"answer": "maybe"}),
        ({"answer": "maybe"}, {"answer": "going"}),
    ]
    ana = await user(lyon, "ana")
    assert {(entry.actor_id, entry.target_id) for entry in entries} == {(ana.id, leafleting.id)}


# Capacity and the waiting list


async def test_over_capacity_going_joins_the_waiting_list(
    lyon: Harness, two_places: Action
) -> None:
    await answer(lyon, "ana", two_places, "going")
    await answer(lyon, "bob", two_places, "going")

    text = await answer(lyon, "carl", two_places, "going")

    assert await answers(lyon, two_places) == {
        "ana": Answer.GOING, "bob": Answer.GOING, "carl": Answer.WAITLIST,
    }
    assert text.splitlines()[0] == ("The action is full: you are on the waiting list, and will"
                                    " hear as soon as a place frees up.")
    assert "Going: 2/2 · Maybe: 0 · Waiting list: 1" in text
    # Waiting is not going: no meeting point yet.
    assert "digicode" not in text


async def test_maybe_and_no_do_not_take_a_place(lyon: Harness, two_places: Action) -> None:
    await answer(lyon, "ana", two_places, "maybe")
    await answer(lyon, "bob", two_places, "no")
    await answer(lyon, "carl", two_places, "going")
    await answer(lyon, "dan", two_places, "going")

    assert await going(lyon, two_places) == ["carl", "dan"]
    counts = await lyon.repos.rsvps.counts(two_places.id)
    assert (counts.going, counts.maybe, counts.no, counts.waitlist) == (2, 1, 1, 0)


async def test_waiting_again_is_already_the_answer(lyon: Harness, two_places: Action) -> None:
    for name in ("ana", "bob", "carl"):
        await answer(lyon, name, two_places, "going")

    said = await refused(lyon, "carl", f"action rsvp {two_places.id} going", space=SPACE)

    assert said.text == "That is already your answer."
    assert (await answers(lyon, two_places))["carl"] is Answer.WAITLIST


async def test_a_place_freed_goes_to_the_first_waiting_who_is_told(
    lyon: Harness, two_places: Action
) -> None:
    for name in ("ana", "bob", "carl", "dan"):
        await answer(lyon, name, two_places, "going")

    text = await answer(lyon, "ana", two_places, "no")

    assert await answers(lyon, two_places) == {
        "ana": Answer.NO, "bob": Answer.GOING, "carl": Answer.GOING, "dan": Answer.WAITLIST,
    }
    assert "Going: 2/2 · Maybe: 0 · Waiting list: 1" in text
    [told] = lyon.platform.sent
    assert told.where == "dm:carl"
    assert told.text.splitlines()[0] == (
        "A place freed up: you are now going to Marché de la Croix-Rousse."
    )
    assert f"Details, for those going: {DETAILS}" in told.text
    assert [button.command for button in told.reply.buttons] == [
        f"action rsvp {two_places.id} no"
    ]
    # The promotion is in the audit log, done by nobody in particular.
    [promoted] = await audit(lyon, "action.promote")
    assert promoted.actor_id is None
    assert promoted.after == {"answer": "going", "user": (await user(lyon, "carl")).id}


async def test_switching_from_going_to_maybe_frees_a_place_too(
    lyon: Harness, two_places: Action
) -> None:
    for name in ("ana", "bob", "carl"):
        await answer(lyon, name, two_places, "going")

    await answer(lyon, "bob", two_places, "maybe")

    assert await going(lyon, two_places) == ["ana", "carl"]
    assert lyon.platform.to("dm:carl") != []


async def test_the_waiting_list_is_served_in_the_order_people_answered(
    lyon: Harness, two_places: Action
) -> None:
    await answer(lyon, "ana", two_places, "going")
    await answer(lyon, "bob", two_places, "going")
    # eve answered first, but only "maybe": she joins the queue when she says going.
    await answer(lyon, "eve", two_places, "maybe")
    await answer(lyon, "dan", two_places, "going")
    await answer(lyon, "carl", two_places, "going")
    await answer(lyon, "eve", two_places, "going")

    await answer(lyon, "ana", two_places, "no")
    assert [sent.where for sent in lyon.platform.sent] == ["dm:dan"]
    await answer(lyon, "bob", two_places, "no")
    assert [sent.where for sent in lyon.platform.sent] == ["dm:dan", "dm:carl"]

    assert await answers(lyon, two_places) == {
        "ana": Answer.NO, "bob": Answer.NO, "dan": Answer.GOING, "carl": Answer.GOING,
        "eve": Answer.WAITLIST,
    }


async def test_leaving_the_waiting_list_promotes_nobody(
    lyon: Harness, two_places: Action
) -> None:
    for name in ("ana", "bob", "carl", "dan"):
        await answer(lyon, name, two_places, "going")

    await answer(lyon, "carl", two_places, "no")

    assert await answers(lyon, two_places) == {
        "ana": Answer.GOING, "bob": Answer.GOING, "carl": Answer.NO, "dan": Answer.WAITLIST,
    }
    assert lyon.platform.sent == []
    # dan is now first in line.
    await answer(lyon, "bob", two_places, "no")
    assert await going(lyon, two_places) == ["ana", "dan"]


async def test_the_lead_sees_who_answered_members_do_not(
    lyon: Harness, two_places: Action
) -> None:
    for name in ("ana", "bob", "carl"):
        await answer(lyon, name, two_places, "going")
    await answer(lyon, "dan", two_places, "maybe")

    led = await ok(lyon, "ines", f"action rsvp {two_places.id} no", space=SPACE)
    member = await ok(lyon, "eve", f"action rsvp {two_places.id} no", space=SPACE)

    assert "Going: @ana, @bob" in led.text
    assert "Maybe: @dan" in led.text
    assert "Waiting list: @carl" in led.text
    assert "@ana" not in member.text


# Too late to answer


async def test_a_cancelled_action_takes_no_answer(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "ines", f"action cancel {leafleting.id} pluie", space=SPACE)
    before = await dump(lyon.db)

    said = await refused(lyon, "ana", f"action rsvp {leafleting.id} going", space=SPACE)

    assert said.text == "This action was cancelled."
    assert await dump(lyon.db) == before


async def test_a_past_action_takes_no_answer(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(datetime(2026, 12, 5, 11, 0, tzinfo=UTC))  # 12:00 in Paris: it just ended
    before = await dump(lyon.db)

    said = await refused(lyon, "ana", f"action rsvp {leafleting.id} going", space=SPACE)

    assert said.text == "This action is over."
    assert await dump(lyon.db) == before


async def test_an_action_under_way_still_takes_answers(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(datetime(2026, 12, 5, 10, 30, tzinfo=UTC))

    await ok(lyon, "ana", f"action rsvp {leafleting.id} going", space=SPACE)

    assert await answers(lyon, leafleting) == {"ana": Answer.GOING}
