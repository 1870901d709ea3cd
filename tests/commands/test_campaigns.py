"""National campaigns: staff create them; anyone lists them and follows their progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from storage.campaigns import Campaign
from tests.commands.committees.helpers import audit, create, dump, known, ok, refused, space
from tests.conftest import Harness

PARIS = ZoneInfo("Europe/Paris")
WEEK = 'campaign create "Semaine du porte-à-porte" 2027-03-01 2027-03-07'


async def stored(harness: Harness, slug: str) -> Campaign:
    campaign = await harness.repos.campaigns.by_slug(slug)
    assert campaign is not None, slug
    return campaign


async def test_staff_create_a_campaign_with_dates_and_goals(harness: Harness) -> None:
    said = await ok(harness, "chloe", f"{WEEK} doors=100000 actions=500")

    campaign = await stored(harness, "semaine-du-porte-a-porte")
    assert campaign.name == "Semaine du porte-à-porte"
    assert campaign.goals == {"doors": 100_000, "actions": 500}
    # Whole days, in the organisation's timezone.
    assert campaign.starts_at == datetime(2027, 3, 1, tzinfo=PARIS)
    assert campaign.ends_at == datetime(2027, 3, 7, 23, 59, 59, tzinfo=PARIS)
    assert "semaine-du-porte-a-porte" in said.text
    assert "Monday 1 March 2027" in said.text
    assert "Sunday 7 March 2027" in said.text
    assert "doors knocked: 100,000" in said.text
    [entry] = await audit(harness, "campaign.create")
    assert entry.target_id == campaign.id
    assert entry.after is not None
    assert entry.after["slug"] == "semaine-du-porte-a-porte"


async def test_dates_in_french_without_a_year_are_the_next_ones(harness: Harness) -> None:
    await ok(harness, "chloe", 'campaign create "Printemps" "1 mars" "fin avril" leaflets=5000')

    campaign = await stored(harness, "printemps")
    assert campaign.starts_at == datetime(2027, 3, 1, tzinfo=PARIS)
    assert campaign.ends_at == datetime(2027, 4, 30, 23, 59, 59, tzinfo=PARIS)


async def test_a_campaign_already_under_way_can_be_created(harness: Harness) -> None:
    await ok(harness, "chloe", 'campaign create "Décembre" 2026-11-25 2026-12-20')

    campaign = await stored(harness, "decembre")
    assert campaign.starts_at == datetime(2026, 11, 25, tzinfo=PARIS)
    assert campaign.goals == {}


@pytest.mark.parametrize("user", ["lea", "stan"])
async def test_only_staff_create_campaigns(harness: Harness, user: str) -> None:
    await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")
    await known(harness, "stan")
    before = await dump(harness.db)

    said = await refused(harness, user, f"{WEEK} doors=100", space=space("lyon-croix-rousse"))

    assert "Only national staff" in said.text
    assert await dump(harness.db) == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('campaign create "Semaine" bientôt 2027-03-07', "could not read “bientôt” as a date"),
        ('campaign create "Semaine" 2027-03-07 2027-03-01', "ends on or after its first day"),
        ('campaign create "Semaine" 2026-10-01 2026-10-31', "would already be over"),
        ('campaign create "Semaine" 2027-02-30 2027-03-07', "could not read"),
        ('campaign create "Semaine" 2027-03-01 2027-03-07 doors=0', "doors must be at least 1"),
        ('campaign create "Semaine" 2027-03-01 2027-03-07 doors=beaucoup', "whole number"),
        ('campaign create "Semaine" 2027-03-01 2027-03-07 votes=3', "no option called votes"),
        ('campaign create "<b>" 2027-03-01 2027-03-07', "The name"),
        ('campaign create "Semaine" 2027-03-01', "Missing: end"),
    ],
)
async def test_bad_input_is_refused_and_nothing_stored(
    harness: Harness, line: str, message: str
) -> None:
    await known(harness, "chloe")
    before = await dump(harness.db)

    said = await refused(harness, "chloe", line)

    assert message in said.text
    assert await dump(harness.db) == before


async def test_a_taken_id_is_refused(harness: Harness) -> None:
    await ok(harness, "chloe", WEEK)
    before = await dump(harness.db)

    said = await refused(harness, "chloe", 'campaign create "SEMAINE DU PORTE A PORTE"'
                                           " 2027-04-01 2027-04-07")

    assert "already a campaign with the id semaine-du-porte-a-porte" in said.text
    assert await dump(harness.db) == before


async def test_list_shows_running_coming_and_past_campaigns(harness: Harness) -> None:
    await ok(harness, "chloe", 'campaign create "Décembre" 2026-12-01 2026-12-10')
    await ok(harness, "chloe", WEEK)
    await ok(harness, "chloe", 'campaign create "Noël" 2026-12-20 2026-12-24')
    harness.clock.set(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))

    said = await ok(harness, "stan", "campaign list")

    assert said.outcome.replies[0].private
    listed = said.text.splitlines()
    assert listed[:5] == [
        "Running:",
        "• Noël: Sunday 20 December 2026 → Thursday 24 December 2026 · id noel",
        "Coming:",
        "• Semaine du porte-à-porte: Monday 1 March 2027 → Sunday 7 March 2027"
        " · id semaine-du-porte-a-porte",
        "Past:",
    ]
    assert listed[5].startswith("• Décembre: Tuesday 1 December 2026")


async def test_list_without_campaigns(harness: Harness) -> None:
    said = await ok(harness, "stan", "campaign list")

    assert "No national campaign yet." in said.text


async def test_info_shows_goals_and_progress_from_tagged_actions(harness: Harness) -> None:
    await ok(harness, "chloe", f"{WEEK} doors=1000 actions=4")
    lyon = await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")
    here = space(lyon.slug)
    tag = "campaign=semaine-du-porte-a-porte"
    for line in (
        f'door_to_door "Pentes" 2027-03-01 18:00 {tag}',
        f'door_to_door "Plateau" 2027-03-03 18:00 {tag}',
        f'leafleting "Marché" 2027-03-06 10:00 {tag}',
        f'leafleting "Gare" 2027-03-06 17:00 {tag}',
        'leafleting "Sans campagne" 2027-03-06 11:00',
    ):
        await ok(harness, "lea", f"action schedule {line}", space=here)
    gare = await harness.db.fetchval("SELECT id FROM actions WHERE title = 'Gare'")
    await ok(harness, "lea", f"action cancel {gare} pluie", space=here)

    said = await ok(harness, "stan", "campaign info semaine-du-porte-a-porte")

    assert said.text.splitlines()[:6] == [
        "Semaine du porte-à-porte · id semaine-du-porte-a-porte",
        "Coming: from Monday 1 March 2027 to Sunday 7 March 2027.",
        "Actions tagged: 3 (door-to-door: 2, leafleting: 1)",
        "Goals:",
        "• doors knocked: 0 of 1,000 (0%)",
        "• field actions: 3 of 4 (75%)",
    ]
    assert "come from action reports: none filed yet." in said.text


async def test_info_in_french_and_while_running(harness: Harness) -> None:
    await ok(harness, "chloe", f"{WEEK} actions=1000")
    harness.clock.set(datetime(2027, 3, 2, 9, 0, tzinfo=UTC))

    said = await harness.say("stan", "campaign info semaine-du-porte-a-porte", locale="fr")

    assert said.ok, said.text
    assert "lundi 1 mars 2027" in said.text
    assert "dimanche 7 mars 2027" in said.text
    assert "1\u202f000" in said.text  # numbers written the French way
    assert "once reports" not in said.text  # only actions are asked for: no report figure


async def test_info_on_an_unknown_campaign(harness: Harness) -> None:
    said = await refused(harness, "stan", "campaign info nope")

    assert "There is no campaign “nope”" in said.text


async def test_the_campaign_shows_on_the_tagged_actions_calendar(harness: Harness) -> None:
    await ok(harness, "chloe", WEEK)
    lyon = await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")
    await ok(harness, "lea", 'action schedule door_to_door "Pentes" 2027-03-01 18:00'
                             " campaign=semaine-du-porte-a-porte", space=space(lyon.slug))
    harness.clock.advance(timedelta(minutes=1))

    said = await ok(harness, "lea", "action calendar", space=space(lyon.slug))

    [reply] = said.outcome.replies
    assert reply.file is not None
    [event] = Calendar.from_ical(reply.file.data).walk("VEVENT")
    assert "Campaign: Semaine du porte-à-porte" in str(event["description"])
