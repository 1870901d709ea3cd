"""`action checkin` and `close_attendance`: who came, who did not.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC; the leafleting is on Saturday 5
December, 10:00–12:00 Paris time (09:00–11:00 UTC).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from commands.actions.checkin import close_attendance
from storage.actions import Action
from storage.rsvps import Attendance
from tests.commands.actions.conftest import ENDS, SLUG, SPACE, STARTS
from tests.commands.committees.helpers import audit, dump, ok, refused, user
from tests.conftest import Harness


@pytest.fixture
async def leafleting(lyon: Harness) -> Action:
    """The Saturday leafleting; ana and bob are going, carl said maybe."""
    await ok(lyon, "ines", 'action schedule tractage "Marché de la Croix-Rousse" samedi 10h',
             space=SPACE)
    action = await lyon.repos.actions.get(await lyon.db.fetchval("SELECT MAX(id) FROM actions"))
    assert action is not None
    assert action.starts_at == STARTS
    for name, answer in (("ana", "going"), ("bob", "going"), ("carl", "maybe")):
        await ok(lyon, name, f"action rsvp {action.id} {answer}", space=SPACE)
    return action


async def attended(harness: Harness, action: Action) -> dict[str, bool | None]:
    """Each person who answered or checked in, and what is stored about their attendance."""
    rsvps = await harness.repos.rsvps.of_action(action.id)
    users = await harness.repos.users.many([rsvp.user_id for rsvp in rsvps])
    return {users[rsvp.user_id].platform_user_id: rsvp.attended for rsvp in rsvps}


# A member checks themselves in, inside the window


async def test_31_minutes_before_the_start_is_too_early(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS - timedelta(minutes=31))

    said = await refused(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    assert said.text == ("Check-in opens 30 minutes before the start: Saturday 5 December 2026,"
                         " 09:30 (Paris time).")
    assert (await attended(lyon, leafleting))["ana"] is None


async def test_30_minutes_before_the_start_a_member_checks_in(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS - timedelta(minutes=30))

    said = await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    assert said.text == "Checked in: thank you for coming to Marché de la Croix-Rousse!"
    assert said.outcome.replies[0].private
    assert await attended(lyon, leafleting) == {"ana": True, "bob": None, "carl": None}
    entry = (await audit(lyon, "action.checkin"))[-1]
    ana = await user(lyon, "ana")
    assert entry.actor_id == ana.id
    assert entry.target_id == leafleting.id
    assert entry.after == {"user": ana.id, "attended": True}


async def test_a_member_can_check_in_until_the_last_minute(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(ENDS - timedelta(minutes=1))

    await ok(lyon, "bob", f"action checkin {leafleting.id}", space=SPACE)

    assert (await attended(lyon, leafleting))["bob"] is True


async def test_after_the_end_a_member_is_told_check_in_is_closed(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(ENDS)

    said = await refused(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    assert said.text == ("This action is over: check-in closed at its end, Saturday 5 December"
                         " 2026, 12:00 (Paris time). A lead can still record that you came.")
    assert (await attended(lyon, leafleting))["ana"] is None


async def test_checking_in_twice_is_harmless_and_says_so(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS)
    await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)
    entries = len(await audit(lyon, "action.checkin"))

    said = await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    assert said.text == "You are already checked in: nothing more to do."
    assert len(await audit(lyon, "action.checkin")) == entries
    assert (await attended(lyon, leafleting))["ana"] is True


async def test_a_member_who_had_not_answered_is_counted_as_come(
    lyon: Harness, leafleting: Action
) -> None:
    await ok(lyon, "dora", f"committee join {SLUG}")
    lyon.clock.set(STARTS + timedelta(minutes=10))

    await ok(lyon, "dora", f"action checkin {leafleting.id}", space=SPACE)

    assert (await attended(lyon, leafleting))["dora"] is True


# Who may check in whom


async def test_a_stranger_cannot_check_in(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS)
    before = await dump(lyon.db)

    said = await refused(lyon, "sam", f"action checkin {leafleting.id}")

    assert said.text == ("Only members of Lyon Croix-Rousse can check in. Join it first:"
                         f" committee join {SLUG}")
    assert await dump(lyon.db) == before


async def test_staff_do_not_check_in_for_a_committee(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS)

    await refused(lyon, "chloe", f"action checkin {leafleting.id} @ana")

    assert (await attended(lyon, leafleting))["ana"] is None


async def test_a_member_cannot_check_in_someone_else(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS)

    said = await refused(lyon, "ana", f"action checkin {leafleting.id} @bob", space=SPACE)

    assert said.text == ("Only the committee's lead and co-leads can check others in. To check"
                         f" yourself in: action checkin {leafleting.id}")
    assert (await attended(lyon, leafleting))["bob"] is None


async def test_a_member_may_name_themselves(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS)

    await ok(lyon, "ana", f"action checkin {leafleting.id} @ana", space=SPACE)

    assert (await attended(lyon, leafleting))["ana"] is True


async def test_a_lead_checks_in_several_people_in_one_line(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS + timedelta(minutes=5))
    await ok(lyon, "bob", f"action checkin {leafleting.id}", space=SPACE)

    said = await ok(lyon, "ines", f"action checkin {leafleting.id} @ana @bob, @carl @ines",
                    space=SPACE)

    assert said.text.splitlines() == [
        "Checked in: @ana, @carl, @ines",
        "Already checked in: @bob",
    ]
    assert await attended(lyon, leafleting) == {
        "ana": True, "bob": True, "carl": True, "ines": True,
    }
    ines = await user(lyon, "ines")
    entries = [entry for entry in await audit(lyon, "action.checkin") if entry.actor_id == ines.id]
    checked = await lyon.repos.users.many([entry.after["user"] for entry in entries
                                           if entry.after is not None])
    assert {person.platform_user_id for person in checked.values()} == {"ana", "carl", "ines"}
    assert len(entries) == 3


async def test_a_co_lead_checks_people_in(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS)

    await ok(lyon, "colin", f"action checkin {leafleting.id} @ana", space=SPACE)

    assert (await attended(lyon, leafleting))["ana"] is True


async def test_an_unknown_mention_is_refused_and_nothing_is_stored(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS)
    before = await dump(lyon.db)

    said = await refused(lyon, "ines", f"action checkin {leafleting.id} @ana @nobody @bob",
                         space=SPACE)

    assert said.text.splitlines() == [
        "I don't know @nobody yet: they need to have used a command here once.",
        "Nothing was recorded.",
    ]
    assert await dump(lyon.db) == before


async def test_a_lead_can_still_record_attendance_after_the_end(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(ENDS + timedelta(hours=3))

    await ok(lyon, "ines", f"action checkin {leafleting.id} @bob", space=SPACE)

    assert (await attended(lyon, leafleting))["bob"] is True


async def test_nobody_checks_in_before_the_window_not_even_a_lead(
    lyon: Harness, leafleting: Action
) -> None:
    await refused(lyon, "ines", f"action checkin {leafleting.id} @ana", space=SPACE)

    assert (await attended(lyon, leafleting))["ana"] is None


async def test_no_check_in_at_a_cancelled_action(lyon: Harness, leafleting: Action) -> None:
    await ok(lyon, "ines", f"action cancel {leafleting.id} pluie", space=SPACE)
    lyon.clock.set(STARTS)

    said = await refused(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)

    assert said.text == "This action was cancelled."


# Closing attendance: the no-shows


async def test_after_the_end_those_going_who_did_not_check_in_are_no_shows(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(STARTS)
    await ok(lyon, "ana", f"action checkin {leafleting.id}", space=SPACE)
    lyon.clock.set(ENDS + timedelta(minutes=30))

    result = await close_attendance(lyon.services, leafleting)

    assert result == Attendance(came=1, no_show=1)
    # bob was going and never came; carl only said maybe: not a no-show.
    assert await attended(lyon, leafleting) == {"ana": True, "bob": False, "carl": None}
    closing = await audit(lyon, "action.attendance")
    assert [(entry.actor_id, entry.target_id, entry.after) for entry in closing] == [
        (None, leafleting.id, {"no_shows": 1})
    ]


async def test_closing_twice_changes_nothing_more(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(ENDS + timedelta(minutes=30))
    await close_attendance(lyon.services, leafleting)
    before = await dump(lyon.db)

    result = await close_attendance(lyon.services, leafleting)

    assert result == Attendance(came=0, no_show=2)
    assert await dump(lyon.db) == before


async def test_closing_before_the_end_changes_nothing(lyon: Harness, leafleting: Action) -> None:
    lyon.clock.set(STARTS + timedelta(minutes=30))
    before = await dump(lyon.db)

    result = await close_attendance(lyon.services, leafleting)

    assert result == Attendance(came=0, no_show=0)
    assert await dump(lyon.db) == before


async def test_a_no_show_checked_in_later_by_a_lead_counts_as_come(
    lyon: Harness, leafleting: Action
) -> None:
    lyon.clock.set(ENDS + timedelta(minutes=30))
    await close_attendance(lyon.services, leafleting)

    await ok(lyon, "ines", f"action checkin {leafleting.id} @bob", space=SPACE)

    assert (await attended(lyon, leafleting))["bob"] is True
    assert await lyon.repos.rsvps.attendance(leafleting.id, ended=True) == Attendance(
        came=1, no_show=1
    )
