"""What reports add up to: a committee's last 30 days (`committee info`) and a campaign's
progress (`campaign info`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commands.reports.totals import committee_totals
from storage.reports import Totals
from tests.commands.committees.helpers import committee, create, ok, space
from tests.commands.reports.helpers import ENDS, SLUG, SPACE, lyon, schedule
from tests.conftest import Harness


def recent(said_text: str) -> str:
    [line] = [line for line in said_text.splitlines()
              if line.startswith(("Last 30 days", "No field action"))]
    return line


@pytest.fixture
async def busy(harness: Harness) -> Harness:
    """Lyon Croix-Rousse, on 10 January 2027: a door-to-door on 5 December (more than 30
    days before, reported), a leafleting on 2 January and a phone bank on 6 January (both
    reported), a meeting on 8 January (not reported), a postering on 9 January (cancelled)."""
    await lyon(harness)
    pentes = await schedule(harness, "door_to_door", "Pentes")
    harness.clock.set(ENDS)
    await ok(harness, "ines", f"report {pentes.id} attendees=4 doors_knocked=200"
                              " doors_opened=80 conversations=50", space=SPACE)
    marche = await schedule(harness, "leafleting", "Marché", "2027-01-02 10:00")
    appels = await schedule(harness, "phone_bank", "Appels", "2027-01-06 18:00")
    await schedule(harness, "meeting", "Réunion", "2027-01-08 19:00")
    collage = await schedule(harness, "postering", "Collage", "2027-01-09 21:00")
    await ok(harness, "ines", f"action cancel {collage.id} pas de colle", space=SPACE)
    harness.clock.set(datetime(2027, 1, 7, 9, 0, tzinfo=UTC))
    await ok(harness, "ines", f"report {marche.id} attendees=6 leaflets=1200 conversations=40",
             space=SPACE)
    await ok(harness, "colin", f"report {appels.id} attendees=3 calls_made=150"
                               " calls_answered=60 conversations=20", space=SPACE)
    harness.clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    return harness


async def test_committee_info_shows_the_last_30_days(busy: Harness) -> None:
    said = await ok(busy, "sam", f"committee info {SLUG}")

    # The door-to-door is older than 30 days; the cancelled postering was not held.
    assert recent(said.text) == (
        "Last 30 days: 3 actions held, 9 attendees, 60 conversations, 1,200 leaflets,"
        " 150 calls made, 60 calls answered."
    )
    assert "no report yet" not in said.text


@pytest.mark.parametrize("reader", ["ines", "colin", "chloe"])
async def test_leads_and_staff_hear_which_actions_lack_a_report(
    busy: Harness, reader: str
) -> None:
    said = await ok(busy, reader, f"committee info {SLUG}")

    assert "1 of them has no report yet: report <id>." in said.text


async def test_the_period_ends_now(busy: Harness) -> None:
    busy.clock.set(datetime(2027, 2, 3, 9, 0, tzinfo=UTC))

    said = await ok(busy, "sam", f"committee info {SLUG}")

    # 2 January is now more than 30 days ago; 6 and 8 January are not.
    assert recent(said.text) == (
        "Last 30 days: 2 actions held, 3 attendees, 20 conversations, 150 calls made,"
        " 60 calls answered."
    )


async def test_a_committee_with_no_recent_action_says_so(harness: Harness) -> None:
    await lyon(harness)

    said = await ok(harness, "sam", f"committee info {SLUG}")

    assert recent(said.text) == "No field action in the last 30 days."


async def test_totals_over_any_period(busy: Harness) -> None:
    lyon_id = (await committee(busy, SLUG)).id
    since = datetime(2026, 12, 1, tzinfo=UTC)

    totals = await committee_totals(busy.repos, lyon_id, since=since,
                                    until=datetime(2027, 1, 10, tzinfo=UTC))

    assert totals == Totals(held=4, reported=3, figures={
        "attendees": 13, "doors_knocked": 200, "doors_opened": 80, "conversations": 110,
        "leaflets": 1200, "calls_made": 150, "calls_answered": 60,
    })


async def test_other_committees_do_not_count(busy: Harness) -> None:
    await create(busy, "rose", "Rennes Nord", "Rennes", "35000")

    said = await ok(busy, "sam", "committee info rennes-nord")

    assert recent(said.text) == "No field action in the last 30 days."


# Campaign progress


WEEK = 'campaign create "Semaine du porte-à-porte" 2027-03-01 2027-03-07'
TAG = "campaign=semaine-du-porte-a-porte"


async def test_campaign_progress_adds_up_the_reports_of_its_actions(harness: Harness) -> None:
    await ok(harness, "chloe", f"{WEEK} doors=1000 conversations=100 calls=500 actions=4")
    lyon_space = space((await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")).slug)
    rennes_space = space((await create(harness, "rose", "Rennes Nord", "Rennes", "35000")).slug)
    ids = {}
    for who, where, line in (
        ("lea", lyon_space, f'door_to_door "Pentes" 2027-03-01 18:00 {TAG}'),
        ("rose", rennes_space, f'door_to_door "Centre" 2027-03-02 18:00 {TAG}'),
        ("rose", rennes_space, f'phone_bank "Appels" 2027-03-03 18:00 {TAG}'),
        ("lea", lyon_space, 'door_to_door "Hors campagne" 2027-03-04 18:00'),
    ):
        await ok(harness, who, f"action schedule {line}", space=where)
        ids[line.split('"')[1]] = await harness.db.fetchval("SELECT MAX(id) FROM actions")
    harness.clock.set(datetime(2027, 3, 5, 9, 0, tzinfo=UTC))
    for who, line in (
        ("lea", f"report {ids['Pentes']} attendees=5 doors_knocked=150 doors_opened=60"
                " conversations=40"),
        ("rose", f"report {ids['Centre']} attendees=3 doors_knocked=90 conversations=0"),
        ("rose", f"report {ids['Appels']} attendees=4 calls_made=200 calls_answered=80"
                 " conversations=35"),
        ("lea", f"report {ids['Hors campagne']} attendees=2 doors_knocked=500"),
    ):
        await ok(harness, who, line)

    said = await ok(harness, "sam", "campaign info semaine-du-porte-a-porte")

    assert said.text.splitlines()[2:] == [
        "Actions tagged: 3 (door-to-door: 2, phone bank: 1)",
        "Goals:",
        "• doors knocked: 240 of 1,000 (24%)",
        "• conversations: 75 of 100 (75%)",
        "• calls made: 200 of 500 (40%)",
        "• field actions: 3 of 4 (75%)",
    ]


async def test_a_campaign_without_reports_says_where_the_figures_come_from(
    harness: Harness,
) -> None:
    await ok(harness, "chloe", f"{WEEK} doors=1000")

    said = await ok(harness, "sam", "campaign info semaine-du-porte-a-porte")

    assert said.text.splitlines()[-1] == (
        "Doors, leaflets, calls and the other figures come from action reports: none filed yet."
    )
