"""`action list`: a committee's coming or past actions, or the coming ones near a place.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC. Pages hold three actions here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from commands.settings import Limits, Settings
from storage.actions import Action
from tests.commands.committees.helpers import create, dump, known, ok, refused
from tests.conftest import Harness, Said

CROIX_ROUSSE = "lyon-croix-rousse"
PLATEAU = "lyon-plateau"


@pytest.fixture
def settings() -> Settings:
    return Settings(limits=Limits(page_size=3))


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse (69004, led by ines, ana a member), Lyon Plateau (69001, led by
    paul); sam is a stranger."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    await create(harness, "paul", "Lyon Plateau", "Lyon", "69001")
    await ok(harness, "ana", f"committee join {CROIX_ROUSSE}")
    await known(harness, "sam")
    return harness


async def schedule(harness: Harness, lead: str, slug: str, title: str, when: str,
                   *extra: str) -> Action:
    await ok(harness, lead, " ".join([f'action schedule tractage "{title}" {when}', *extra]),
             space=f"space-{slug}")
    action = await harness.repos.actions.get(
        await harness.db.fetchval("SELECT MAX(id) FROM actions")
    )
    assert action is not None
    return action


def titles(said: Said) -> list[str]:
    """The titles listed, in order."""
    found = []
    for line in said.text.splitlines():
        if line.startswith("• "):
            found.append(line.split(": ", 1)[1].split(" — ", 1)[0])
    return found


@pytest.fixture
async def three_dates(lyon: Harness) -> list[Action]:
    """Croix-Rousse: three actions scheduled out of order; Plateau: one."""
    later = await schedule(lyon, "ines", CROIX_ROUSSE, "Gare", "2026-12-10 18:00")
    sooner = await schedule(lyon, "ines", CROIX_ROUSSE, "Marché", "2026-12-03 10:00")
    middle = await schedule(lyon, "ines", CROIX_ROUSSE, "Métro", "2026-12-05 10:00",
                            "capacity=4")
    await schedule(lyon, "paul", PLATEAU, "Terreaux", "2026-12-04 10:00")
    return [sooner, middle, later]


# A committee's actions


async def test_in_a_committee_space_its_coming_actions_soonest_first(
    lyon: Harness, three_dates: list[Action]
) -> None:
    sooner, middle, later = three_dates
    await ok(lyon, "ana", f"action rsvp {middle.id} going", space=f"space-{CROIX_ROUSSE}")

    said = await ok(lyon, "sam", "action list", space=f"space-{CROIX_ROUSSE}")

    assert said.text.splitlines() == [
        "Coming actions of Lyon Croix-Rousse (1–3 of 3):",
        f"• {sooner.id} · leafleting: Marché — Thursday 3 December 2026, 10:00–12:00"
        " (Paris time) · Going: 0 · Maybe: 0 · Waiting list: 0",
        f"• {middle.id} · leafleting: Métro — Saturday 5 December 2026, 10:00–12:00"
        " (Paris time) · Going: 1/4 · Maybe: 0 · Waiting list: 0",
        f"• {later.id} · leafleting: Gare — Thursday 10 December 2026, 18:00–20:00"
        " (Paris time) · Going: 0 · Maybe: 0 · Waiting list: 0",
    ]
    assert said.outcome.replies[0].private
    assert said.buttons == [f"action rsvp {action.id} going" for action in three_dates]


@pytest.mark.parametrize("period", ["upcoming", "à venir", "A-venir", "prochaines"])
async def test_the_period_typed_in_a_space_is_not_taken_for_a_committee(
    lyon: Harness, three_dates: list[Action], period: str
) -> None:
    said = await ok(lyon, "ana", f'action list "{period}"', space=f"space-{CROIX_ROUSSE}")

    assert titles(said) == ["Marché", "Métro", "Gare"]


async def test_another_committee_is_named_with_committee_equals(
    lyon: Harness, three_dates: list[Action]
) -> None:
    said = await ok(lyon, "sam", f"action list committee={PLATEAU}",
                    space=f"space-{CROIX_ROUSSE}")

    assert said.text.splitlines()[0] == "Coming actions of Lyon Plateau (1–1 of 1):"
    assert titles(said) == ["Terreaux"]


async def test_buttons_skip_what_the_reader_already_goes_to(
    lyon: Harness, three_dates: list[Action]
) -> None:
    sooner, middle, later = three_dates
    await ok(lyon, "ana", f"action rsvp {sooner.id} going", space=f"space-{CROIX_ROUSSE}")

    said = await ok(lyon, "ana", "action list", space=f"space-{CROIX_ROUSSE}")

    assert said.buttons == [f"action rsvp {middle.id} going", f"action rsvp {later.id} going"]
    await ok(lyon, "ana", said.buttons[0], space=f"space-{CROIX_ROUSSE}")
    assert await lyon.db.fetchval(
        "SELECT answer FROM rsvps r JOIN users u ON u.id = r.user_id"
        " WHERE r.action_id = ? AND u.platform_user_id = 'ana'", (middle.id,)
    ) == "going"


async def test_past_actions_latest_first(lyon: Harness, three_dates: list[Action]) -> None:
    lyon.clock.advance(timedelta(days=5))  # Sunday 6 December, 10:00 Paris

    past = await ok(lyon, "ana", "action list past", space=f"space-{CROIX_ROUSSE}")
    coming = await ok(lyon, "ana", "action list", space=f"space-{CROIX_ROUSSE}")
    french = await ok(lyon, "ana", "action list passées", space=f"space-{CROIX_ROUSSE}")

    assert past.text.splitlines()[0] == "Past actions of Lyon Croix-Rousse (1–2 of 2):"
    assert titles(past) == ["Métro", "Marché"]
    assert past.buttons == []
    assert titles(coming) == ["Gare"]
    assert titles(french) == ["Métro", "Marché"]


async def test_an_action_under_way_is_still_coming(
    lyon: Harness, three_dates: list[Action]
) -> None:
    lyon.clock.set(three_dates[0].starts_at + timedelta(minutes=30))

    said = await ok(lyon, "ana", "action list", space=f"space-{CROIX_ROUSSE}")

    assert titles(said) == ["Marché", "Métro", "Gare"]


async def test_a_cancelled_action_is_marked(lyon: Harness, three_dates: list[Action]) -> None:
    middle = three_dates[1]
    await ok(lyon, "ines", f"action cancel {middle.id} pluie", space=f"space-{CROIX_ROUSSE}")

    said = await ok(lyon, "ana", "action list", space=f"space-{CROIX_ROUSSE}")

    assert (f"• {middle.id} · leafleting: Métro — Saturday 5 December 2026, 10:00–12:00"
            " (Paris time) · cancelled") in said.text.splitlines()
    assert f"action rsvp {middle.id} going" not in said.buttons


async def test_pages_with_a_next_page_button(lyon: Harness) -> None:
    await schedule(lyon, "ines", CROIX_ROUSSE, "Marché", "2026-12-05 10:00",
                   "repeat=weekly", "until=2026-12-31")  # 5, 12, 19, 26 December

    first = await ok(lyon, "sam", "action list", space=f"space-{CROIX_ROUSSE}")

    assert first.text.splitlines()[0] == "Coming actions of Lyon Croix-Rousse (1–3 of 4):"
    assert first.text.splitlines()[-1] == "Page 1 of 2."
    assert len(titles(first)) == 3
    next_page = f"action list upcoming committee={CROIX_ROUSSE} page=2"
    assert first.buttons[-1] == next_page

    second = await ok(lyon, "sam", next_page)

    assert second.text.splitlines()[0] == "Coming actions of Lyon Croix-Rousse (4–4 of 4):"
    assert "Saturday 26 December 2026" in second.text
    assert "Page" not in second.text
    assert "action list" not in " ".join(second.buttons)
    refusal = await refused(lyon, "sam", "action list page=3", space=f"space-{CROIX_ROUSSE}")
    assert refusal.text == "There is no page 3."


async def test_no_action_yet(lyon: Harness) -> None:
    said = await ok(lyon, "sam", f"action list committee={PLATEAU}")

    assert said.text == "No coming action for Lyon Plateau."


async def test_listing_changes_nothing(lyon: Harness, three_dates: list[Action]) -> None:
    before = await dump(lyon.db)

    await ok(lyon, "sam", "action list near=69004")
    await ok(lyon, "sam", "action list", space=f"space-{CROIX_ROUSSE}")

    assert await dump(lyon.db) == before


# Near a place


async def test_near_lists_the_departement_same_postal_code_first(lyon: Harness) -> None:
    await create(lyon, "vera", "Villeurbanne Gratte-Ciel", "Villeurbanne", "69100")
    marseille = await create(lyon, "marc", "Marseille Centre", "Marseille", "13001")
    await schedule(lyon, "paul", PLATEAU, "Terreaux", "2026-12-02 10:00")
    await schedule(lyon, "vera", "villeurbanne-gratte-ciel", "Gratte-Ciel", "2026-12-03 10:00")
    await schedule(lyon, "ines", CROIX_ROUSSE, "Gare", "2026-12-10 18:00")
    await schedule(lyon, "ines", CROIX_ROUSSE, "Marché", "2026-12-05 10:00")
    await schedule(lyon, "marc", marseille.slug, "Vieux-Port", "2026-12-02 10:00")

    said = await ok(lyon, "sam", "action list near=69004")

    assert said.text.splitlines()[0] == "Coming actions near 69004 (1–3 of 4):"
    assert titles(said) == ["Marché", "Gare", "Terreaux"]
    assert "· Lyon Croix-Rousse (Lyon) · Going: 0" in said.text.splitlines()[1]
    assert said.buttons[-1] == "action list near=69004 page=2"
    second = await ok(lyon, "sam", said.buttons[-1])
    assert titles(second) == ["Gratte-Ciel"]
    assert titles(await ok(lyon, "sam", "action list near=69")) == [
        "Terreaux", "Gratte-Ciel", "Marché"]


async def test_near_leaves_out_cancelled_actions_and_hidden_committees(
    lyon: Harness, three_dates: list[Action]
) -> None:
    await ok(lyon, "ines", f"action cancel {three_dates[0].id} pluie",
             space=f"space-{CROIX_ROUSSE}")
    for flagger in ("f1", "f2", "f3"):
        await ok(lyon, flagger, f"flag {PLATEAU} fake committee")

    said = await ok(lyon, "sam", "action list near=69")

    assert titles(said) == ["Métro", "Gare"]


async def test_near_outside_the_departement_finds_nothing(
    lyon: Harness, three_dates: list[Action]
) -> None:
    said = await ok(lyon, "sam", "action list near=13001")

    assert said.text == ("No coming action near 13001. committee list near=13001 shows the"
                         " committees there.")


# Mistakes


async def test_outside_a_space_with_nothing_said_it_asks_which_committee_or_where(
    lyon: Harness,
) -> None:
    said = await refused(lyon, "sam", "action list")

    assert said.text.splitlines()[0] == (
        "Say which committee (committee=lyon-croix-rousse) or where (near=69004), or type this"
        " in a committee's space."
    )
    assert said.text.splitlines()[1].startswith("Usage: action list [upcoming|past]")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("action list committee=nowhere", "There is no committee with the id “nowhere”."),
        ("action list committee=lyon-plateau near=69", "Give either a committee or near="),
        ("action list past near=69", "near= lists coming actions only"),
        ("action list near=6", "is neither a postal code"),
        ("action list soon", "period must be one of: upcoming, past."),
    ],
)
async def test_mistakes_are_refused_clearly(lyon: Harness, line: str, says: str) -> None:
    said = await refused(lyon, "sam", line)

    assert says in said.text
