"""`committee create`: anyone starts a committee; friction (caps, name checks), no approval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commands.settings import Limits, Organisation, Settings
from storage.committees import CommitteeStatus
from storage.memberships import MemberRole
from tests.commands.committees.helpers import (
    audit,
    committee,
    count,
    create,
    dump,
    known,
    ok,
    refused,
    role,
    row_counts,
    space,
    user,
)
from tests.conftest import Harness

CREATE_LYON = 'committee create "Lyon Croix-Rousse" Lyon 69004'


async def assert_refused_changes_nothing(harness: Harness, who: str, line: str) -> str:
    """Run a create that must be refused; check nothing was stored or asked of the platform."""
    await known(harness, who)
    counts, rows = await row_counts(harness.db), await dump(harness.db)
    calls, sent = list(harness.platform.calls), list(harness.platform.sent)
    said = await refused(harness, who, line)
    assert await row_counts(harness.db) == counts
    assert await dump(harness.db) == rows
    assert harness.platform.calls == calls
    assert harness.platform.sent == sent
    return said.text


# The founder and what they see


async def test_founder_becomes_lead(harness: Harness) -> None:
    await ok(harness, "ana", CREATE_LYON)

    assert await role(harness, "lyon-croix-rousse", "ana") is MemberRole.LEAD
    lyon = await committee(harness, "lyon-croix-rousse")
    assert lyon.created_by == (await user(harness, "ana")).id
    assert await harness.repos.memberships.count(lyon.id) == 1


async def test_reply_shows_the_slug_and_a_button_to_the_committee(harness: Harness) -> None:
    said = await ok(harness, "ana", CREATE_LYON)

    assert "id lyon-croix-rousse" in said.text
    assert "You are its lead" in said.text
    assert "committee info lyon-croix-rousse" in said.buttons


async def test_stored_fields(harness: Harness) -> None:
    await ok(harness, "ana", 'committee create "  Lyon   Croix-Rousse " "Lyon 4e" 69004'
                             ' description="Porte-à-porte le samedi."')

    lyon = await committee(harness, "lyon-croix-rousse")
    assert (lyon.name, lyon.place, lyon.postal_code, lyon.departement) == (
        "Lyon Croix-Rousse", "Lyon 4e", "69004", "69"
    )
    assert lyon.description == "Porte-à-porte le samedi."
    assert lyon.status is CommitteeStatus.ACTIVE
    assert not lyon.hidden
    assert lyon.timezone == "Europe/Paris"


async def test_the_committee_speaks_its_founders_language(harness: Harness) -> None:
    assert (await harness.say("ana", CREATE_LYON, locale="fr")).ok
    await ok(harness, "bob", "lang fr")
    await ok(harness, "bob", 'committee create "Lyon Sud" Lyon 69007')

    assert (await committee(harness, "lyon-croix-rousse")).locale == "fr"
    assert (await committee(harness, "lyon-sud")).locale == "fr"


async def test_charter_text_is_shown(harness: Harness, settings: Settings) -> None:
    said = await ok(harness, "ana", CREATE_LYON)

    assert settings.organisation.charter in said.text
    assert "accept the charter" in said.text


async def test_charter_acceptance_is_recorded_with_the_charter_hash(
    harness: Harness, settings: Settings
) -> None:
    await ok(harness, "ana", CREATE_LYON)

    lyon = await committee(harness, "lyon-croix-rousse")
    rows = await harness.db.fetchall(
        "SELECT user_id, committee_id, charter_hash FROM charter_acceptances"
    )
    assert [tuple(row) for row in rows] == [
        ((await user(harness, "ana")).id, lyon.id, settings.organisation.charter_hash)
    ]


class TestCustomCharter:
    CHARTER = "We knock on doors politely and never argue with a closed one."

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(organisation=Organisation(name="Union Locale", charter=self.CHARTER))

    async def test_the_configured_charter_is_shown_and_its_hash_recorded(
        self, harness: Harness, settings: Settings
    ) -> None:
        said = await ok(harness, "ana", CREATE_LYON)

        assert self.CHARTER in said.text
        assert "Union Locale" in said.text
        stored = await harness.db.fetchval("SELECT charter_hash FROM charter_acceptances")
        assert stored == settings.organisation.charter_hash
        assert stored != Settings().organisation.charter_hash


async def test_space_is_created_and_lead_rights_granted(harness: Harness) -> None:
    await ok(harness, "ana", CREATE_LYON)

    assert harness.platform.calls == [
        ("create_space", "lyon-croix-rousse", "ana"),
        ("set_lead", space("lyon-croix-rousse"), "ana", "True"),
    ]
    assert harness.platform.spaces[space("lyon-croix-rousse")]["leads"] == {"ana"}
    lyon = await committee(harness, "lyon-croix-rousse")
    assert await harness.repos.committees.spaces_of(lyon.id) == {
        harness.platform.name: space("lyon-croix-rousse")
    }


async def test_commands_in_the_new_space_are_about_the_committee(harness: Harness) -> None:
    await ok(harness, "ana", CREATE_LYON)

    said = await ok(harness, "ana", "committee info", space=space("lyon-croix-rousse"))

    assert "Lyon Croix-Rousse" in said.text
    assert "Your role: lead" in said.text


async def test_create_writes_an_audit_row(harness: Harness, settings: Settings) -> None:
    await ok(harness, "ana", CREATE_LYON)

    lyon = await committee(harness, "lyon-croix-rousse")
    [entry] = await audit(harness, "committee.create")
    assert entry.actor_id == (await user(harness, "ana")).id
    assert (entry.target_kind, entry.target_id, entry.committee_id) == (
        "committee", lyon.id, lyon.id
    )
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["slug"] == "lyon-croix-rousse"
    assert entry.after["name"] == "Lyon Croix-Rousse"
    assert entry.after["postal_code"] == "69004"
    assert entry.after["charter"] == settings.organisation.charter_hash


# Places


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [
        ("69004", "69"),
        ("01000", "01"),
        ("75011", "75"),
        ("95000", "95"),
        ("20000", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97400", "974"),
        ("97100", "971"),
        ("97600", "976"),
        ("69 004", "69"),
    ],
)
async def test_departement_is_derived_from_the_postal_code(
    harness: Harness, postal_code: str, departement: str
) -> None:
    await ok(harness, "ana", f'committee create "Comité Central" Ville "{postal_code}"')

    stored = await committee(harness, "comite-central")
    assert stored.postal_code == postal_code.replace(" ", "")
    assert stored.departement == departement


@pytest.mark.parametrize(
    "postal_code",
    ["00000", "96000", "98000", "20900", "20700", "97700", "99999", "abcde", "6900", "690040",
     "６９００４", "-6900"],
)
async def test_a_postal_code_that_is_not_french_is_refused(
    harness: Harness, postal_code: str
) -> None:
    text = await assert_refused_changes_nothing(
        harness, "ana", f'committee create "Comité Central" Ville "{postal_code}"'
    )
    assert "not a French postal code" in text


# Names


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Ly", "3 to 60 characters"),
        ("L" * 61, "3 to 60 characters"),
        ("Lyon\x07Nord", "control characters"),
        ("Lyon\x00Nord", "control characters"),
        ("Lyon \u202eNord", "control characters"),
        ("Lyon \u2066Nord", "control characters"),
        ("Lyon\u200bNord", "cannot contain"),
        ("@everyone", "cannot contain “@”"),
        ("Lyon @here", "cannot contain “@”"),
        ("<@123>", "cannot contain “<”"),
        ("<#42> Lyon", "cannot contain “<”"),
        ("**bold**", "cannot contain “*”"),
        ("`Lyon`", "cannot contain “`”"),
        ("Lyon ```Nord```", "cannot contain “`”"),
        ("__Lyon__", "cannot contain “_”"),
        ("~~Lyon~~", "cannot contain “~”"),
        ("Lyon || spoiler ||", "cannot contain “|”"),
        ("[Lyon](https://evil.example)", "cannot contain “[”"),
        ("# Lyon", "cannot contain “#”"),
        ("1234", "at least one letter"),
        ("--- ...", "at least one letter"),
    ],
)
async def test_bad_names_are_refused(harness: Harness, name: str, why: str) -> None:
    text = await assert_refused_changes_nothing(
        harness, "ana", f'committee create "{name}" Lyon 69004'
    )
    assert why in text


@pytest.mark.parametrize(
    "name",
    ["Saint-Étienne Nord", "L’Isle-d’Abeau", "Lyon 3e (Part-Dieu)", "Ça & là / 2",
     "Croix\u2011Rousse", "Croix–Rousse"],
)
async def test_names_real_places_use_are_accepted(harness: Harness, name: str) -> None:
    created = await create(harness, "ana", name, "Ville", "69004")

    assert created.name == name


@pytest.mark.parametrize("place", ["L", "Lyon <@1>", "Lyon\u202e", "75011"])
async def test_bad_places_are_refused(harness: Harness, place: str) -> None:
    await assert_refused_changes_nothing(
        harness, "ana", f'committee create "Lyon Nord" "{place}" 69004'
    )


async def test_a_description_that_is_too_long_is_refused(
    harness: Harness, settings: Settings
) -> None:
    too_long = "a" * (settings.limits.description_max_length + 1)

    text = await assert_refused_changes_nothing(
        harness, "ana", f'{CREATE_LYON} description="{too_long}"'
    )
    assert "description is too long" in text


async def test_missing_arguments_get_the_usage(harness: Harness) -> None:
    text = await assert_refused_changes_nothing(harness, "ana", 'committee create "Lyon Nord"')

    assert "Missing: place" in text
    assert "Usage: committee create <name> <place> <postal_code>" in text


# Duplicates


async def test_same_name_in_same_postal_code_is_refused_with_a_pointer(harness: Harness) -> None:
    await ok(harness, "ana", CREATE_LYON)

    text = await assert_refused_changes_nothing(harness, "bob", CREATE_LYON)

    assert "already exists in 69004" in text
    assert "committee join lyon-croix-rousse" in text
    assert await count(harness, "committees") == 1


@pytest.mark.parametrize(
    "same", ["lyon  croix rousse", "LYON CROIX-ROUSSE", "Lyon Croix–Rousse", "Lyon-Croix-Rousse",
             "Lyon Croix-Roussé"]
)
async def test_names_differing_only_in_case_spaces_dashes_or_accents_are_the_same(
    harness: Harness, same: str
) -> None:
    await ok(harness, "ana", CREATE_LYON)

    text = await assert_refused_changes_nothing(
        harness, "bob", f'committee create "{same}" Lyon 69004'
    )

    assert "committee join lyon-croix-rousse" in text


async def test_same_name_in_another_postal_code_gets_a_distinct_slug(harness: Harness) -> None:
    first = await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    second = await create(harness, "bob", "Lyon Croix-Rousse", "Lyon", "69001")

    assert first.slug == "lyon-croix-rousse"
    assert second.slug == "lyon-croix-rousse-69001"
    assert await role(harness, second.slug, "bob") is MemberRole.LEAD
    assert ("create_space", "lyon-croix-rousse-69001", "bob") in harness.platform.calls


async def test_the_slug_spells_out_ligatures(harness: Harness) -> None:
    created = await create(harness, "ana", "Cœur de Lyon", "Lyon", "69001")

    assert created.slug == "coeur-de-lyon"


async def test_a_ligature_does_not_make_a_different_name(harness: Harness) -> None:
    await create(harness, "ana", "Cœur de Lyon", "Lyon", "69001")

    text = await assert_refused_changes_nothing(
        harness, "bob", 'committee create "Coeur de Lyon" Lyon 69001'
    )
    assert "committee join coeur-de-lyon" in text


async def test_slugs_stay_unique_for_many_homonyms(harness: Harness) -> None:
    slugs = set()
    for index, postal_code in enumerate(["69001", "69002", "69003", "69005"]):
        created = await create(harness, f"user{index}", "Comité Jeunes", "Lyon", postal_code)
        slugs.add(created.slug)

    assert len(slugs) == 4
    assert "comite-jeunes" in slugs


# Caps


async def test_one_person_leads_at_most_two_committees(harness: Harness) -> None:
    await create(harness, "ana", "Lyon Nord", "Lyon", "69004")
    await create(harness, "ana", "Lyon Sud", "Lyon", "69007")

    text = await assert_refused_changes_nothing(
        harness, "ana", 'committee create "Lyon Est" Lyon 69003'
    )
    assert "already lead 2 committees" in text
    assert "committee handover" in text


async def test_handing_a_committee_over_frees_a_place_under_the_cap(harness: Harness) -> None:
    await create(harness, "ana", "Lyon Nord", "Lyon", "69004")
    await create(harness, "ana", "Lyon Sud", "Lyon", "69007")
    await ok(harness, "bob", "committee join lyon-nord")
    await ok(harness, "ana", "committee handover @bob lyon-nord")

    await create(harness, "ana", "Lyon Est", "Lyon", "69003")

    assert await role(harness, "lyon-est", "ana") is MemberRole.LEAD


async def test_archiving_a_committee_frees_a_place_under_the_cap(harness: Harness) -> None:
    await create(harness, "ana", "Lyon Nord", "Lyon", "69004")
    await create(harness, "ana", "Lyon Sud", "Lyon", "69007")
    await ok(harness, "ana", "committee archive lyon-nord confirm=yes")

    await create(harness, "ana", "Lyon Est", "Lyon", "69003")


async def test_co_leading_does_not_count_toward_the_cap(harness: Harness) -> None:
    await create(harness, "bob", "Lyon Nord", "Lyon", "69004")
    await ok(harness, "ana", "committee join lyon-nord")
    await ok(harness, "bob", "committee promote @ana lyon-nord")

    await create(harness, "ana", "Lyon Sud", "Lyon", "69007")
    await create(harness, "ana", "Lyon Est", "Lyon", "69003")


async def test_at_most_three_creations_a_day_even_when_archived(harness: Harness) -> None:
    for name in ("Lyon Un", "Lyon Deux", "Lyon Trois"):
        created = await create(harness, "ana", name, "Lyon", "69001")
        await ok(harness, "ana", f"committee archive {created.slug} confirm=yes")

    text = await assert_refused_changes_nothing(
        harness, "ana", 'committee create "Lyon Quatre" Lyon 69001'
    )
    assert "started 3 committees in the last 24 hours" in text


async def test_the_daily_creation_cap_resets_after_24_hours(harness: Harness) -> None:
    for name in ("Lyon Un", "Lyon Deux", "Lyon Trois"):
        created = await create(harness, "ana", name, "Lyon", "69001")
        await ok(harness, "ana", f"committee archive {created.slug} confirm=yes")

    harness.clock.advance(timedelta(hours=23, minutes=59))
    await refused(harness, "ana", 'committee create "Lyon Quatre" Lyon 69001')

    harness.clock.advance(timedelta(minutes=2))
    await create(harness, "ana", "Lyon Quatre", "Lyon", "69001")


async def test_the_creation_cap_is_per_person(harness: Harness) -> None:
    for name in ("Lyon Un", "Lyon Deux", "Lyon Trois"):
        created = await create(harness, "ana", name, "Lyon", "69001")
        await ok(harness, "ana", f"committee archive {created.slug} confirm=yes")

    await create(harness, "bob", "Lyon Quatre", "Lyon", "69001")


class TestConfiguredCaps:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(limits=Limits(committees_led_per_person=1, committee_creations_per_day=2))

    async def test_the_lead_cap_comes_from_config(self, harness: Harness) -> None:
        await create(harness, "ana", "Lyon Nord", "Lyon", "69004")

        text = await assert_refused_changes_nothing(
            harness, "ana", 'committee create "Lyon Sud" Lyon 69007'
        )
        assert "already lead 1 committees" in text

    async def test_the_creation_cap_comes_from_config(self, harness: Harness) -> None:
        for name in ("Lyon Un", "Lyon Deux"):
            created = await create(harness, "ana", name, "Lyon", "69001")
            await ok(harness, "ana", f"committee archive {created.slug} confirm=yes")

        text = await assert_refused_changes_nothing(
            harness, "ana", 'committee create "Lyon Trois" Lyon 69001'
        )
        assert "started 2 committees" in text


# Refusals change nothing


async def test_a_refused_create_after_a_good_one_leaves_every_table_as_it_was(
    harness: Harness,
) -> None:
    await ok(harness, "ana", CREATE_LYON)
    await ok(harness, "bob", "committee join lyon-croix-rousse")

    for line in (
        CREATE_LYON,
        'committee create "Lyon <@1>" Lyon 69004',
        'committee create "Lyon Sud" Lyon 00000',
        'committee create "Lyon Sud" Lyon',
        'committee create "Lyon Sud" Lyon 69007 colour=red',
    ):
        await assert_refused_changes_nothing(harness, "bob", line)


async def test_a_platform_failure_leaves_no_committee_and_no_open_space(harness: Harness) -> None:
    harness.platform.failing.add("set_lead")
    said = await harness.say("ines", 'committee create "Lyon Croix-Rousse" Lyon 69004', locale="en")
    assert not said.ok
    assert await harness.db.fetchval("SELECT COUNT(*) FROM committees") == 0
    assert harness.platform.spaces["space-lyon-croix-rousse"]["archived"] is True
