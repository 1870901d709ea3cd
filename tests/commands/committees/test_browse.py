"""`committee list` (nearest first, search, pages) and `committee info`."""

from __future__ import annotations

import pytest

from tests.commands.committees.helpers import (
    create,
    dump,
    known,
    listed_slugs,
    ok,
    refused,
    space,
)
from tests.conftest import Harness

# One person leads at most 2 committees: spread creations over founders.
FOUNDERS = [f"founder{index}" for index in range(20)]


async def create_many(harness: Harness, *committees: tuple[str, str, str]) -> list[str]:
    """Create (name, place, postal code) committees, two per founder; returns their slugs."""
    slugs = []
    for index, (name, place, postal_code) in enumerate(committees):
        created = await create(harness, FOUNDERS[index // 2], name, place, postal_code)
        slugs.append(created.slug)
    return slugs


@pytest.fixture
async def france(harness: Harness) -> Harness:
    """Committees across France, created in an order that is neither by name nor by place."""
    await create_many(
        harness,
        ("Marseille Vieux-Port", "Marseille", "13001"),
        ("Villeurbanne Gratte-Ciel", "Villeurbanne", "69100"),
        ("Lyon Croix-Rousse", "Lyon", "69004"),
        ("Ajaccio Centre", "Ajaccio", "20000"),
        ("Bastia Nord", "Bastia", "20200"),
        ("Saint-Denis Réunion", "Saint-Denis", "97400"),
        ("Caluire Ouest", "Caluire", "69300"),
        ("Paris Belleville", "Paris", "75020"),
        ("Ateliers Croix-Rousse", "Lyon", "69004"),
    )
    return harness


# committee list: order


async def test_without_near_committees_are_listed_by_name(france: Harness) -> None:
    said = await ok(france, "zoe", "committee list")

    assert listed_slugs(said) == [
        "ajaccio-centre", "ateliers-croix-rousse", "bastia-nord", "caluire-ouest",
        "lyon-croix-rousse", "marseille-vieux-port", "paris-belleville", "saint-denis-reunion",
        "villeurbanne-gratte-ciel",
    ]
    assert "Committees 1–9, by name:" in said.text
    assert "Page" not in said.text  # one page: no next one


async def test_same_postal_code_first_then_same_departement_then_the_rest(
    france: Harness,
) -> None:
    said = await ok(france, "zoe", "committee list near=69004")

    assert listed_slugs(said) == [
        # 69004
        "ateliers-croix-rousse", "lyon-croix-rousse",
        # the rest of the Rhône
        "caluire-ouest", "villeurbanne-gratte-ciel",
        # everywhere else
        "ajaccio-centre", "bastia-nord", "marseille-vieux-port", "paris-belleville",
        "saint-denis-reunion",
    ]


async def test_near_a_departement_lists_it_first(france: Harness) -> None:
    said = await ok(france, "zoe", "committee list near=69")

    assert listed_slugs(said)[:4] == [
        "ateliers-croix-rousse", "caluire-ouest", "lyon-croix-rousse", "villeurbanne-gratte-ciel",
    ]


@pytest.mark.parametrize(
    ("near", "first"),
    [("2A", "ajaccio-centre"), ("2a", "ajaccio-centre"), ("2B", "bastia-nord"),
     ("20200", "bastia-nord"), ("974", "saint-denis-reunion"),
     ("97400", "saint-denis-reunion"), ("13", "marseille-vieux-port")],
)
async def test_near_corsica_and_overseas(france: Harness, near: str, first: str) -> None:
    said = await ok(france, "zoe", f"committee list near={near}")

    slugs = listed_slugs(said)
    assert slugs[0] == first
    assert len(slugs) == 9


@pytest.mark.parametrize(
    "near", ["6900", "690", "00", "20", "96", "99", "977", "00000", "20900", "abc", "2C", "9A"]
)
async def test_near_must_be_a_postal_code_or_a_departement(france: Harness, near: str) -> None:
    said = await refused(france, "zoe", f'committee list near="{near}"')

    assert "neither a postal code" in said.text or "not a French postal code" in said.text


# committee list: search


@pytest.mark.parametrize("query", ["croix", "CROIX", "Croix-Rousse", "croix rousse", "CROÎX"])
async def test_query_ignores_case_accents_and_dashes(france: Harness, query: str) -> None:
    said = await ok(france, "zoe", f'committee list "{query}"')

    assert listed_slugs(said) == ["ateliers-croix-rousse", "lyon-croix-rousse"]


@pytest.mark.parametrize("query", ["reunion", "RÉUNION", "Réunion"])
async def test_query_finds_accented_names_typed_without_accents(
    france: Harness, query: str
) -> None:
    said = await ok(france, "zoe", f"committee list {query}")

    assert listed_slugs(said) == ["saint-denis-reunion"]


async def test_query_finds_ligatures_either_way(harness: Harness) -> None:
    await create(harness, "ana", "Cœur de Lyon", "Lyon", "69001")

    for query in ("coeur", "cœur", "CŒUR"):
        assert listed_slugs(await ok(harness, "zoe", f"committee list {query}")) == [
            "coeur-de-lyon"
        ]


async def test_query_matches_the_place_and_the_postal_code(france: Harness) -> None:
    assert listed_slugs(await ok(france, "zoe", "committee list villeurbanne")) == [
        "villeurbanne-gratte-ciel"
    ]
    assert listed_slugs(await ok(france, "zoe", "committee list 75020")) == ["paris-belleville"]


async def test_query_of_several_words_without_quotes(france: Harness) -> None:
    said = await ok(france, "zoe", "committee list vieux port")

    assert listed_slugs(said) == ["marseille-vieux-port"]


async def test_query_and_near_together(france: Harness) -> None:
    said = await ok(france, "zoe", "committee list near=69300 ouest")

    assert listed_slugs(said) == ["caluire-ouest"]


async def test_query_with_sql_wildcards_matches_literally(france: Harness) -> None:
    said = await ok(france, "zoe", 'committee list "%"')

    assert listed_slugs(said) == listed_slugs(await ok(france, "zoe", "committee list"))
    assert "No committee found" in (await ok(france, "zoe", "committee list zz%zz")).text


async def test_nothing_found_says_how_to_start_one(france: Harness) -> None:
    said = await ok(france, "zoe", "committee list brest")

    assert "No committee found" in said.text
    assert "committee create" in said.text


async def test_list_shows_member_counts_and_join_buttons(france: Harness) -> None:
    await ok(france, "zoe", "committee join paris-belleville")
    await ok(france, "yan", "committee join paris-belleville")

    said = await ok(france, "zoe", "committee list belleville")

    assert "Paris Belleville — Paris (75020), 3 members · id paris-belleville" in said.text
    assert said.buttons == ["committee join paris-belleville"]


# committee list: pages


@pytest.fixture
async def many(harness: Harness) -> Harness:
    """23 committees in the Rhône: three pages of ten."""
    await create_many(
        harness,
        *[(f"Comité {chr(ord('A') + index)}", "Lyon", f"690{index:02d}") for index in range(23)],
    )
    return harness


async def test_the_first_page_has_ten_and_a_next_page_button(many: Harness) -> None:
    said = await ok(many, "zoe", "committee list")

    assert len(listed_slugs(said)) == 10
    assert "Committees 1–10, by name:" in said.text
    assert "Page 1; there are more on the next one." in said.text
    assert said.buttons[-1] == "committee list page=2"
    assert len(said.buttons) == 6  # five join buttons, then the next page


async def test_following_the_next_page_buttons_walks_every_committee(many: Harness) -> None:
    seen: list[str] = []
    line = "committee list"
    for _page in range(3):
        said = await ok(many, "zoe", line)
        seen += listed_slugs(said)
        pages = [button for button in said.buttons if button.startswith("committee list")]
        line = pages[0] if pages else ""

    assert line == ""  # the last page has no next page button
    assert len(seen) == len(set(seen)) == 23
    assert seen[:3] == ["comite-a", "comite-b", "comite-c"]
    assert seen[-1] == "comite-w"


async def test_page_two(many: Harness) -> None:
    said = await ok(many, "zoe", "committee list page=2")

    assert listed_slugs(said)[0] == "comite-k"
    assert "Committees 11–20, by name:" in said.text
    assert "committee list page=3" in said.buttons


async def test_the_next_page_button_keeps_near_and_query(many: Harness) -> None:
    said = await ok(many, "zoe", 'committee list near=69005 "comité"')

    assert said.buttons[-1] == 'committee list near=69005 page=2 "comité"'
    assert "Committees 1–10 of 23:" in said.text  # words looked for are counted
    assert "Page 1 of 3." in said.text
    second = await ok(many, "zoe", said.buttons[-1])
    assert "Committees 11–20 of 23:" in second.text


async def test_near_lists_nearest_first_and_says_so(many: Harness) -> None:
    said = await ok(many, "zoe", "committee list near=69005")

    assert listed_slugs(said)[0] == "comite-f"  # 69005 itself
    assert "Committees 1–10, nearest first:" in said.text
    last = await ok(many, "zoe", "committee list near=69005 page=3")
    assert len(listed_slugs(last)) == 3
    assert not [button for button in last.buttons if button.startswith("committee list")]


async def test_a_page_past_the_end_is_refused(many: Harness) -> None:
    said = await refused(many, "zoe", "committee list page=4")

    assert "There is no page 4" in said.text


@pytest.mark.parametrize("page", ["0", "-1", "two"])
async def test_a_page_must_be_a_positive_number(many: Harness, page: str) -> None:
    await refused(many, "zoe", f"committee list page={page}")


# committee list: what is not listed


@pytest.fixture
async def four(harness: Harness) -> Harness:
    """Four committees in Lyon; the test makes some of them disappear from the list."""
    await create_many(
        harness,
        ("Lyon Un", "Lyon", "69001"),
        ("Lyon Deux", "Lyon", "69002"),
        ("Lyon Trois", "Lyon", "69003"),
        ("Lyon Quatre", "Lyon", "69004"),
    )
    return harness


async def test_hidden_suspended_and_archived_committees_are_not_listed(four: Harness) -> None:
    for flagger in ("x1", "x2", "x3"):
        await ok(four, flagger, "flag lyon-un hateful posters")
    await ok(four, "chloe", "staff suspend lyon-deux breaks the charter")
    await ok(four, "founder1", "committee archive lyon-trois confirm=yes")

    said = await ok(four, "zoe", "committee list")

    assert listed_slugs(said) == ["lyon-quatre"]
    assert "Committees 1–1, by name:" in said.text
    assert listed_slugs(await ok(four, "zoe", "committee list lyon un")) == []
    assert "Committees 1–1 of 1:" in (await ok(four, "zoe", "committee list lyon")).text


async def test_a_restored_committee_is_listed_again(four: Harness) -> None:
    await ok(four, "chloe", "staff suspend lyon-deux breaks the charter")
    await ok(four, "chloe", "staff restore lyon-deux")

    assert "lyon-deux" in listed_slugs(await ok(four, "zoe", "committee list"))


async def test_listing_changes_nothing(four: Harness) -> None:
    await known(four, "zoe")
    before = await dump(four.db)

    await ok(four, "zoe", "committee list near=69 lyon")

    assert await dump(four.db) == before


# committee info


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse: ana leads, bob co-leads, carl and dan are members."""
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004",
                 'description="Porte-à-porte le samedi matin."')
    for member in ("bob", "carl", "dan"):
        await ok(harness, member, "committee join lyon-croix-rousse")
    await ok(harness, "ana", "committee promote @bob lyon-croix-rousse")
    return harness


async def test_info_shows_the_committee_and_its_leads(lyon: Harness) -> None:
    said = await ok(lyon, "zoe", "committee info lyon-croix-rousse")

    assert "Lyon Croix-Rousse — Lyon (69004, département 69) · id lyon-croix-rousse" in said.text
    assert "Porte-à-porte le samedi matin." in said.text
    assert "Lead: @ana" in said.text
    assert "Co-leads: @bob" in said.text
    assert "4 members" in said.text


@pytest.mark.parametrize("reader", ["ana", "bob", "chloe"])
async def test_leads_co_leads_and_staff_see_the_members(lyon: Harness, reader: str) -> None:
    said = await ok(lyon, reader, "committee info lyon-croix-rousse")

    assert "Members: @carl, @dan" in said.text


@pytest.mark.parametrize("reader", ["carl", "zoe"])
async def test_members_and_strangers_do_not_see_the_member_list(
    lyon: Harness, reader: str
) -> None:
    said = await ok(lyon, reader, "committee info lyon-croix-rousse")

    assert "Members:" not in said.text
    assert "@carl" not in said.text
    assert "@dan" not in said.text
    assert "4 members" in said.text


async def test_info_tells_members_their_role(lyon: Harness) -> None:
    assert "Your role: lead" in (await ok(lyon, "ana", "committee info lyon-croix-rousse")).text
    assert "Your role: co-lead" in (await ok(lyon, "bob", "committee info lyon-croix-rousse")).text
    assert "Your role: member" in (await ok(lyon, "carl", "committee info lyon-croix-rousse")).text
    assert "Your role" not in (await ok(lyon, "zoe", "committee info lyon-croix-rousse")).text


async def test_strangers_get_a_join_button_members_do_not(lyon: Harness) -> None:
    stranger = await ok(lyon, "zoe", "committee info lyon-croix-rousse")
    member = await ok(lyon, "carl", "committee info lyon-croix-rousse")

    assert stranger.buttons == ["committee join lyon-croix-rousse"]
    assert member.buttons == []


async def test_the_join_button_works(lyon: Harness) -> None:
    [button] = (await ok(lyon, "zoe", "committee info lyon-croix-rousse")).buttons

    await ok(lyon, "zoe", button)

    assert "Your role: member" in (await ok(lyon, "zoe", "committee info lyon-croix-rousse")).text


async def test_info_in_the_committee_space_needs_no_slug(lyon: Harness) -> None:
    said = await ok(lyon, "carl", "committee info", space=space("lyon-croix-rousse"))

    assert "id lyon-croix-rousse" in said.text


async def test_info_needs_a_committee_outside_a_space(lyon: Harness) -> None:
    said = await refused(lyon, "carl", "committee info")

    assert "Say which committee" in said.text


async def test_info_on_an_unknown_committee_is_refused(lyon: Harness) -> None:
    await refused(lyon, "carl", "committee info lyon-nowhere")


async def test_info_works_on_a_suspended_committee(lyon: Harness) -> None:
    await ok(lyon, "chloe", "staff suspend lyon-croix-rousse spam in the space")

    for reader in ("ana", "carl", "zoe"):
        said = await ok(lyon, reader, "committee info lyon-croix-rousse")
        assert "Suspended by national staff: spam in the space" in said.text
        assert said.buttons == []


async def test_info_works_on_an_archived_committee(lyon: Harness) -> None:
    await ok(lyon, "ana", "committee archive lyon-croix-rousse confirm=yes")

    said = await ok(lyon, "zoe", "committee info lyon-croix-rousse")

    assert "Archived." in said.text
    assert said.buttons == []


async def test_info_says_when_a_committee_is_hidden(lyon: Harness) -> None:
    for flagger in ("x1", "x2", "x3"):
        await ok(lyon, flagger, "flag lyon-croix-rousse fake committee")

    said = await ok(lyon, "zoe", "committee info lyon-croix-rousse")

    assert "Hidden from the list while staff review" in said.text


async def test_info_changes_nothing(lyon: Harness) -> None:
    await known(lyon, "zoe")
    before = await dump(lyon.db)

    await ok(lyon, "zoe", "committee info lyon-croix-rousse")

    assert await dump(lyon.db) == before


async def test_list_in_a_committee_space_puts_its_neighbours_first(harness: Harness) -> None:
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    await create(harness, "rose", "Rennes Nord", "Rennes", "35000")
    await create(harness, "paul", "Rennes Sud", "Rennes", "35200")
    said = await harness.say("rose", "committee list", space=space("rennes-nord"), locale="en")
    slugs = [line.rsplit("id ", 1)[1] for line in said.text.splitlines() if "· id " in line]
    assert slugs == ["rennes-nord", "rennes-sud", "lyon-croix-rousse"]
