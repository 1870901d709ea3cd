"""What leads do: edit, promote, demote, handover, archive."""

from __future__ import annotations

import pytest

from storage.committees import CommitteeStatus
from storage.memberships import MemberRole
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    known,
    listed_slugs,
    ok,
    refused,
    role,
    space,
    user,
)
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = space(SLUG)


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse in 69004: ana leads, bob co-leads, carl is a member; zoe is a stranger
    and chloe is staff.

    The platform's record of calls and messages starts empty.
    """
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    for member in ("bob", "carl"):
        await ok(harness, member, f"committee join {SLUG}")
    await ok(harness, "ana", f"committee promote @bob {SLUG}")
    await known(harness, "zoe", "chloe")
    harness.platform.calls.clear()
    harness.platform.sent.clear()
    return harness


async def refused_unchanged(harness: Harness, who: str, line: str, *, space: str | None = None
                            ) -> str:
    """A command that must be refused without changing the database or the platform."""
    before, calls = await dump(harness.db), list(harness.platform.calls)
    said = await refused(harness, who, line, space=space)
    assert await dump(harness.db) == before
    assert harness.platform.calls == calls
    return said.text


# edit


async def test_the_lead_edits_the_description(lyon: Harness) -> None:
    said = await ok(lyon, "ana", f'committee edit {SLUG} description="Tractage au marché."')

    assert "Lyon Croix-Rousse is updated" in said.text
    assert (await committee(lyon, SLUG)).description == "Tractage au marché."


async def test_a_co_lead_edits_in_the_space(lyon: Harness) -> None:
    await ok(lyon, "bob", 'committee edit place="Lyon 4e"', space=SPACE)

    assert (await committee(lyon, SLUG)).place == "Lyon 4e"


@pytest.mark.parametrize("who", ["carl", "zoe", "chloe"])
async def test_members_strangers_and_staff_cannot_edit(lyon: Harness, who: str) -> None:
    text = await refused_unchanged(lyon, who, f'committee edit {SLUG} description="Hacked"')

    assert "Only the committee's lead and co-leads can do that" in text


async def test_edit_is_audited_with_before_and_after(lyon: Harness) -> None:
    await ok(lyon, "ana", f'committee edit {SLUG} name="Croix-Rousse Ensemble" place="Lyon 4e"')

    [entry] = await audit(lyon, "committee.edit")
    assert entry.actor_id == (await user(lyon, "ana")).id
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == (
        "Lyon Croix-Rousse", "Croix-Rousse Ensemble"
    )
    assert (entry.before["place"], entry.after["place"]) == ("Lyon", "Lyon 4e")


async def test_renaming_keeps_the_slug_and_renames_the_space(lyon: Harness) -> None:
    await ok(lyon, "ana", f'committee edit {SLUG} name="Croix-Rousse Ensemble"')

    renamed = await committee(lyon, SLUG)
    assert renamed.name == "Croix-Rousse Ensemble"
    assert lyon.platform.calls == [("update_space", SPACE, "Croix-Rousse Ensemble")]


async def test_a_renamed_committee_is_found_by_its_new_name(lyon: Harness) -> None:
    await ok(lyon, "ana", f'committee edit {SLUG} name="Plateau Ensemble"')

    assert listed_slugs(await ok(lyon, "zoe", "committee list plateau")) == [SLUG]
    assert listed_slugs(await ok(lyon, "zoe", "committee list croix")) == []


async def test_a_new_postal_code_moves_the_committee_to_its_departement(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee edit {SLUG} postal_code=20200")

    moved = await committee(lyon, SLUG)
    assert (moved.postal_code, moved.departement) == ("20200", "2B")
    assert listed_slugs(await ok(lyon, "zoe", "committee list 20200")) == [SLUG]


async def test_the_committee_language_can_be_set(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee edit {SLUG} locale=fr")

    assert (await committee(lyon, SLUG)).locale == "fr"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("", "Say what to change"),
        ('name="<@everyone>"', "cannot contain"),
        ('name="Ly"', "3 to 60 characters"),
        ('name="Lyon \u202eNord"', "control characters"),
        ('place="**Lyon**"', "cannot contain"),
        ("postal_code=96000", "not a French postal code"),
        ("locale=de", "fr or en"),
        ('description="' + "x" * 501 + '"', "description is too long"),
        ("colour=red", "no option called colour"),
    ],
)
async def test_bad_edits_are_refused(lyon: Harness, change: str, why: str) -> None:
    text = await refused_unchanged(lyon, "ana", f"committee edit {SLUG} {change}")

    assert why in text


async def test_renaming_onto_another_committee_in_the_postal_code_is_refused(
    lyon: Harness,
) -> None:
    await create(lyon, "yan", "Lyon Plateau", "Lyon", "69004")

    text = await refused_unchanged(lyon, "ana", f'committee edit {SLUG} name="lyon plateau"')

    assert "already exists in 69004 (lyon-plateau)" in text


async def test_moving_onto_a_homonym_in_another_postal_code_is_refused(lyon: Harness) -> None:
    await create(lyon, "yan", "Lyon Croix-Rousse", "Lyon", "69001")

    text = await refused_unchanged(lyon, "ana", f"committee edit {SLUG} postal_code=69001")

    assert "already exists in 69001" in text


async def test_changing_only_the_case_of_the_own_name_is_allowed(lyon: Harness) -> None:
    await ok(lyon, "ana", f'committee edit {SLUG} name="LYON CROIX-ROUSSE"')

    assert (await committee(lyon, SLUG)).name == "LYON CROIX-ROUSSE"


# promote and demote


async def test_the_lead_promotes_a_member_to_co_lead(lyon: Harness) -> None:
    said = await ok(lyon, "ana", f"committee promote @carl {SLUG}")

    assert "@carl is now co-lead of Lyon Croix-Rousse" in said.text
    assert await role(lyon, SLUG, "carl") is MemberRole.CO_LEAD
    assert lyon.platform.calls == [("set_lead", SPACE, "carl", "True")]
    assert "carl" in lyon.platform.spaces[SPACE]["leads"]


async def test_promotion_is_audited(lyon: Harness) -> None:
    await ok(lyon, "ana", "committee promote @carl", space=SPACE)

    entry = (await audit(lyon, "committee.role"))[-1]
    assert entry.actor_id == (await user(lyon, "ana")).id
    assert (entry.target_kind, entry.target_id) == ("user", (await user(lyon, "carl")).id)
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "co_lead"})


@pytest.mark.parametrize(("who", "target"), [("bob", "carl"), ("carl", "carl"), ("zoe", "carl"),
                                             ("chloe", "carl")])
async def test_only_the_lead_promotes(lyon: Harness, who: str, target: str) -> None:
    text = await refused_unchanged(lyon, who, f"committee promote @{target} {SLUG}")

    assert "Only the committee's lead can do that" in text


@pytest.mark.parametrize(
    ("target", "why"),
    [("bob", "already co-lead or lead"), ("ana", "already co-lead or lead"),
     ("zoe", "is not a member"), ("nobody", "don't know @nobody")],
)
async def test_promote_needs_a_plain_member(lyon: Harness, target: str, why: str) -> None:
    text = await refused_unchanged(lyon, "ana", f"committee promote @{target} {SLUG}")

    assert why in text


async def test_the_lead_demotes_a_co_lead(lyon: Harness) -> None:
    said = await ok(lyon, "ana", f"committee demote @bob {SLUG}")

    assert "@bob is no longer co-lead" in said.text
    assert await role(lyon, SLUG, "bob") is MemberRole.MEMBER
    assert lyon.platform.spaces[SPACE]["leads"] == {"ana"}
    entry = (await audit(lyon, "committee.role"))[-1]
    assert (entry.before, entry.after) == ({"role": "co_lead"}, {"role": "member"})


@pytest.mark.parametrize(("target", "why"), [("carl", "not a co-lead"), ("ana", "not a co-lead"),
                                             ("zoe", "is not a member")])
async def test_demote_needs_a_co_lead(lyon: Harness, target: str, why: str) -> None:
    text = await refused_unchanged(lyon, "ana", f"committee demote @{target} {SLUG}")

    assert why in text


@pytest.mark.parametrize("who", ["bob", "carl", "zoe", "chloe"])
async def test_only_the_lead_demotes(lyon: Harness, who: str) -> None:
    await refused_unchanged(lyon, who, f"committee demote @bob {SLUG}")


# handover


async def test_handover_makes_the_member_lead_and_the_old_lead_co_lead(lyon: Harness) -> None:
    said = await ok(lyon, "ana", f"committee handover @carl {SLUG}")

    assert "You handed Lyon Croix-Rousse over to @carl; you stay co-lead" in said.text
    assert await role(lyon, SLUG, "carl") is MemberRole.LEAD
    assert await role(lyon, SLUG, "ana") is MemberRole.CO_LEAD
    assert lyon.platform.spaces[SPACE]["leads"] == {"ana", "bob", "carl"}
    assert lyon.platform.to(SPACE) == ["@carl now leads the committee."]


async def test_handover_is_audited_for_both_people(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee handover @bob {SLUG}")

    ana, bob = await user(lyon, "ana"), await user(lyon, "bob")
    entries = (await audit(lyon, "committee.role"))[-2:]
    assert [(entry.target_id, entry.before, entry.after) for entry in entries] == [
        (bob.id, {"role": "co_lead"}, {"role": "lead"}),
        (ana.id, {"role": "lead"}, {"role": "co_lead"}),
    ]


async def test_the_new_lead_has_the_lead_powers_and_the_old_one_not(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee handover @carl {SLUG}")

    await ok(lyon, "carl", f"committee demote @bob {SLUG}")
    await refused(lyon, "ana", f"committee promote @bob {SLUG}")
    await ok(lyon, "ana", f'committee edit {SLUG} description="Still co-lead"')


@pytest.mark.parametrize(
    ("target", "why"),
    [("ana", "You already lead"), ("zoe", "is not a member"), ("nobody", "don't know")],
)
async def test_handover_needs_another_member(lyon: Harness, target: str, why: str) -> None:
    text = await refused_unchanged(lyon, "ana", f"committee handover @{target} {SLUG}")

    assert why in text


@pytest.mark.parametrize("who", ["bob", "carl", "zoe", "chloe"])
async def test_only_the_lead_hands_over(lyon: Harness, who: str) -> None:
    text = await refused_unchanged(lyon, who, f"committee handover @carl {SLUG}")

    assert "Only the committee's lead can do that" in text


async def test_handover_respects_the_new_leads_cap(lyon: Harness) -> None:
    await create(lyon, "carl", "Villeurbanne Nord", "Villeurbanne", "69100")
    await create(lyon, "carl", "Caluire Sud", "Caluire", "69300")

    text = await refused_unchanged(lyon, "ana", f"committee handover @carl {SLUG}")

    assert "@carl already leads 2 committees" in text
    assert await role(lyon, SLUG, "ana") is MemberRole.LEAD


async def test_handover_to_someone_leading_one_committee_is_fine(lyon: Harness) -> None:
    await create(lyon, "carl", "Villeurbanne Nord", "Villeurbanne", "69100")

    await ok(lyon, "ana", f"committee handover @carl {SLUG}")

    assert await role(lyon, SLUG, "carl") is MemberRole.LEAD


async def test_an_archived_committee_does_not_count_toward_the_new_leads_cap(
    lyon: Harness,
) -> None:
    await create(lyon, "carl", "Villeurbanne Nord", "Villeurbanne", "69100")
    await create(lyon, "carl", "Caluire Sud", "Caluire", "69300")
    await ok(lyon, "carl", "committee archive caluire-sud confirm=yes")

    await ok(lyon, "ana", f"committee handover @carl {SLUG}")


# archive


async def test_archive_asks_for_confirmation_first(lyon: Harness) -> None:
    before = await dump(lyon.db)

    said = await ok(lyon, "ana", f"committee archive {SLUG}")

    assert "Archive Lyon Croix-Rousse?" in said.text
    assert "cannot be undone" in said.text
    assert said.buttons == [f"committee archive {SLUG} confirm=yes"]
    assert await dump(lyon.db) == before
    assert lyon.platform.calls == []
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ACTIVE


async def test_the_confirmation_button_archives(lyon: Harness) -> None:
    [button] = (await ok(lyon, "ana", f"committee archive {SLUG}")).buttons

    said = await ok(lyon, "ana", button)

    assert "Lyon Croix-Rousse is archived" in said.text
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ARCHIVED
    assert lyon.platform.spaces[SPACE]["archived"] is True
    assert lyon.platform.calls == [("archive_space", SPACE)]
    assert lyon.platform.to(SPACE) == [
        "This committee is archived; this space is now read-only."
    ]


async def test_confirm_no_does_not_archive(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee archive {SLUG} confirm=no")

    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ACTIVE


async def test_archive_is_audited(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee archive {SLUG} confirm=yes")

    [entry] = await audit(lyon, "committee.archive")
    assert entry.actor_id == (await user(lyon, "ana")).id
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["status"], entry.after["status"]) == ("active", "archived")


async def test_staff_archive_a_committee_they_are_not_in(lyon: Harness) -> None:
    await ok(lyon, "chloe", f"committee archive {SLUG} confirm=yes")

    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ARCHIVED
    [entry] = await audit(lyon, "committee.archive")
    assert entry.actor_id == (await user(lyon, "chloe")).id


@pytest.mark.parametrize("who", ["bob", "carl", "zoe"])
async def test_co_leads_members_and_strangers_cannot_archive(lyon: Harness, who: str) -> None:
    text = await refused_unchanged(lyon, who, f"committee archive {SLUG} confirm=yes")

    assert "Only the committee's lead, or staff can do that" in text


@pytest.mark.parametrize(
    "line",
    [
        f"committee join {SLUG}",
        f"committee leave {SLUG}",
        f'committee edit {SLUG} description="again"',
        f"committee promote @carl {SLUG}",
        f"committee demote @bob {SLUG}",
        f"committee handover @carl {SLUG}",
        f"committee archive {SLUG} confirm=yes",
        f"flag {SLUG} still here",
        f"staff suspend {SLUG} for the record",
        f"staff restore {SLUG}",
    ],
)
async def test_an_archived_committee_refuses_commands(lyon: Harness, line: str) -> None:
    await ok(lyon, "ana", f"committee archive {SLUG} confirm=yes")
    who = {"join": "zoe", "leave": "carl", "edit": "bob", "flag": "zoe"}.get(
        line.split()[1] if line.startswith("committee") else line.split()[0], "ana"
    )
    if line.startswith("staff"):
        who = "chloe"

    text = await refused_unchanged(lyon, who, line)

    assert "archived" in text


async def test_archived_committee_commands_in_its_space_are_refused(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee archive {SLUG} confirm=yes")

    text = await refused_unchanged(lyon, "carl", "committee leave", space=SPACE)

    assert "Lyon Croix-Rousse is archived: it no longer takes commands" in text


async def test_a_new_committee_can_reuse_an_archived_name(lyon: Harness) -> None:
    await ok(lyon, "ana", f"committee archive {SLUG} confirm=yes")

    reborn = await create(lyon, "carl", "Lyon Croix-Rousse", "Lyon", "69004")

    assert reborn.slug != SLUG
    assert reborn.name == "Lyon Croix-Rousse"
    assert await role(lyon, reborn.slug, "carl") is MemberRole.LEAD
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ARCHIVED
    assert listed_slugs(await ok(lyon, "zoe", "committee list croix")) == [reborn.slug]
