"""`flag` on committees, actions and materials, and the registry staff review flags with.

Committee flags are covered in depth by tests/commands/committees/test_moderation.py; here,
what is shared by every kind and what differs.
"""

from __future__ import annotations

import pytest

from commands import flags
from commands.errors import UserError
from commands.i18n import RenderContext, render
from commands.invocation import Invocation
from commands.permissions import Role
from commands.ports import Place
from commands.spec import REGISTRY
from storage.actions import ActionStatus
from storage.committees import CommitteeStatus
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    known,
    listed_slugs,
    ok,
    refused,
    user,
)
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
URL = "https://exemple.fr/tract.pdf"
FLAGGERS = ("x1", "x2", "x3", "x4")


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse (ana leads, carl is a member) with action 1 on Saturday;
    material 1 is the committee's own, material 2 a national one. x1…x4 are strangers,
    chloe is staff."""
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    await ok(harness, "carl", f"committee join {SLUG}")
    await ok(harness, "ana", f'action schedule leafleting "Marché" samedi 10h committee={SLUG}')
    await ok(harness, "carl", f'material share "Tract du marché" url={URL}', space=SPACE)
    await ok(harness, "chloe", f'material share "Kit national" url={URL} national=yes')
    await known(harness, *FLAGGERS)
    harness.platform.sent.clear()
    return harness


async def flag_by(harness: Harness, target: str, *people: str) -> None:
    for person in people:
        await ok(harness, person, f"flag {target} not what it claims to be")


def staff_messages(harness: Harness) -> list[str]:
    return [render(sent.reply.text, RenderContext("en")) for sent in harness.platform.sent
            if sent.where == "staff"]


def staff_buttons(harness: Harness) -> list[list[str]]:
    return [[button.command for button in sent.reply.buttons]
            for sent in harness.platform.sent if sent.where == "staff"]


async def open_flags(harness: Harness) -> list[tuple[str, int, str]]:
    rows = await harness.db.fetchall(
        "SELECT target_kind, target_id, status FROM flags ORDER BY id")
    return [tuple(row) for row in rows]


# Naming what to report


@pytest.mark.parametrize(
    ("target", "kind", "item"),
    [
        (SLUG, "committee", 1),
        (f"committee:{SLUG}", "committee", 1),
        (f"Comité:{SLUG}", "committee", 1),
        ("action:1", "action", 1),
        ("ACTION:#1", "action", 1),
        ("material:2", "material", 2),
        ("matériel:2", "material", 2),
    ],
)
async def test_a_target_is_a_committee_id_or_kind_and_number(
    lyon: Harness, target: str, kind: str, item: int
) -> None:
    said = await ok(lyon, "x1", f"flag {target} spam everywhere")

    assert "Thank you: staff will review your report about" in said.text
    assert await open_flags(lyon) == [(kind, item, "open")]


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("thing:1", "Say what to report: a committee's id, action:<number> or material:<number>"),
        ("https://exemple.fr", "Say what to report"),
        ("material:abc", "There is no material abc"),
        ("material:99", "There is no material 99"),
        ("material:", "There is no material"),
        ("action:99", "There is no action “99”"),
        ("lyon-nowhere", "no committee with the id"),
    ],
)
async def test_unknown_targets_are_refused(lyon: Harness, target: str, why: str) -> None:
    before = await dump(lyon.db)

    said = await refused(lyon, "x1", f"flag {target} spam everywhere")

    assert why in said.text
    assert await dump(lyon.db) == before


async def test_a_material_one_may_not_see_cannot_be_flagged(lyon: Harness) -> None:
    said = await refused(lyon, "x1", "flag material:1 spam everywhere")

    assert "There is no material 1" in said.text
    await ok(lyon, "carl", "flag material:1 copied from elsewhere")


async def test_the_same_person_reports_a_material_once(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1")

    said = await refused(lyon, "x1", "flag material:2 and again")

    assert "You have already reported material 2 “Kit national”" in said.text


async def test_items_of_a_suspended_committee_cannot_be_flagged(lyon: Harness) -> None:
    await ok(lyon, "chloe", f"staff suspend {SLUG} breaks the charter")

    for target in ("action:1", "material:1"):
        said = await refused(lyon, "carl", f"flag {target} spam everywhere")
        assert "Lyon Croix-Rousse is suspended" in said.text


async def test_flags_are_audited_with_their_committee(lyon: Harness) -> None:
    await flag_by(lyon, "action:1", "x1")
    await flag_by(lyon, "material:2", "x1")

    on_action, on_material = await audit(lyon, "flag.add")
    lyon_id = (await committee(lyon, SLUG)).id
    assert (on_action.target_kind, on_action.target_id, on_action.committee_id) == (
        "action", 1, lyon_id)
    assert (on_material.target_kind, on_material.target_id, on_material.committee_id) == (
        "material", 2, None)


# Three people: materials are hidden, actions are not, staff are told once


async def test_three_flags_hide_a_material(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1", "x2")
    assert "Kit national" in (await ok(lyon, "x4", "material list")).text

    await flag_by(lyon, "material:2", "x3")

    material = await lyon.repos.materials.get(2)
    assert material is not None
    assert material.hidden
    assert "Kit national" not in (await ok(lyon, "x4", "material list")).text
    assert "There is no material 2" in (await refused(lyon, "x4", "material get 2")).text
    await ok(lyon, "chloe", "material get 2")
    [entry] = await audit(lyon, "material.hide")
    assert (entry.before, entry.after) == ({"hidden": False}, {"hidden": True, "flags": 3})


async def test_hiding_a_material_tells_staff_once_with_buttons(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1", "x2", "x3")
    # Hidden, it is out of sight: nobody else can come across it and report it again.
    await refused(lyon, "x4", "flag material:2 still there")

    assert staff_messages(lyon) == [
        "material 2 “Kit national” (national) was reported 3 times and is hidden until you"
        " review it. Last reason: not what it claims to be"
    ]
    assert staff_buttons(lyon) == [["material get 2", "staff flags"]]


async def test_a_committees_material_names_its_committee_to_staff(lyon: Harness) -> None:
    for person in ("x1", "x2", "x3"):
        await ok(lyon, person, f"committee join {SLUG}")
    lyon.platform.sent.clear()

    await flag_by(lyon, "material:1", "x1", "x2", "x3")

    [message] = staff_messages(lyon)
    assert message.startswith("material 1 “Tract du marché” (Lyon Croix-Rousse) was reported")


async def test_three_flags_leave_an_action_visible_and_tell_staff_once(lyon: Harness) -> None:
    await flag_by(lyon, "action:1", "x1", "x2")
    assert staff_messages(lyon) == []

    await flag_by(lyon, "action:1", "x3", "x4")

    [message] = staff_messages(lyon)
    assert message.startswith("action 1 “Marché” (Lyon Croix-Rousse) was reported 3 times.")
    assert "Actions stay visible" in message
    assert staff_buttons(lyon) == [["action info 1", "staff flags"]]
    assert await audit(lyon, "action.hide") == []
    assert "Marché" in (await ok(lyon, "x1", f"action list committee={SLUG}")).text
    await ok(lyon, "x1", "action info 1")


async def test_committees_still_hide_through_the_generic_flag(lyon: Harness) -> None:
    await flag_by(lyon, f"committee:{SLUG}", "x1", "x2", "x3")

    assert (await committee(lyon, SLUG)).hidden
    assert listed_slugs(await ok(lyon, "x4", "committee list")) == []
    assert staff_buttons(lyon) == [[f"staff restore {SLUG}", f"committee info {SLUG}"]]


# The registry staff review with


async def as_person(harness: Harness, who: str) -> Invocation:
    """An invocation as `who`, for calling the registry the way `staff flags` will."""
    actor = await user(harness, who)
    spec = REGISTRY.get(("flag",))
    assert spec is not None
    return Invocation(
        services=harness.services, platform=harness.platform,
        place=Place(harness.platform.name, None), actor=actor,
        is_staff=who in harness.staff, locale="en", spec=spec, committee=None,
        role=Role.STRANGER, place_committee=None,
    )


async def test_open_flags_lists_every_kind_most_reported_first(lyon: Harness) -> None:
    await flag_by(lyon, "action:1", "x1")
    await flag_by(lyon, "material:2", "x1", "x2", "x3")
    await flag_by(lyon, SLUG, "x1", "x2")

    waiting, total = await flags.open_flags(lyon.services, limit=10, offset=0)
    page, _total = await flags.open_flags(lyon.services, limit=1, offset=1)

    assert total == 3
    assert [(entry.item.kind.name, entry.item.ref, entry.people) for entry in waiting] == [
        ("material", "material:2", 3), ("committee", SLUG, 2), ("action", "action:1", 1)]
    assert [flag.reason for flag in waiting[0].flags] == ["not what it claims to be"] * 3
    assert waiting[0].item.hidden
    assert [entry.item.ref for entry in page] == [SLUG]


async def test_keeping_a_material_shows_it_again_and_closes_its_flags(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1", "x2", "x3")
    staff = await as_person(lyon, "chloe")

    async with lyon.db.unit():
        item = await flags.find(staff, "material:2")
        closed = await flags.keep(staff, item)

    assert closed == 3
    assert "Kit national" in (await ok(lyon, "x4", "material list")).text
    assert [status for _kind, _id, status in await open_flags(lyon)] == ["kept"] * 3
    [entry] = await audit(lyon, "material.keep")
    assert entry.actor_id == staff.actor.id
    assert entry.after == {"hidden": False, "flags_closed": 3}
    assert (await flags.open_flags(lyon.services, limit=10, offset=0))[1] == 0


async def test_after_a_review_a_new_round_tells_staff_again(lyon: Harness) -> None:
    await flag_by(lyon, "action:1", "x1", "x2", "x3")
    staff = await as_person(lyon, "chloe")
    async with lyon.db.unit():
        await flags.keep(staff, await flags.find(staff, "action:1"))

    await flag_by(lyon, "action:1", "x1", "x2", "x3")

    assert len(staff_messages(lyon)) == 2


async def test_removing_a_material_takes_it_out_for_good(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1")
    staff = await as_person(lyon, "chloe")

    async with lyon.db.unit():
        await flags.remove(staff, await flags.find(staff, "material:2"), "fake kit")

    material = await lyon.repos.materials.get(2)
    assert material is not None
    assert material.removed
    assert "There is no material 2" in (await refused(lyon, "chloe", "material get 2")).text
    [entry] = await audit(lyon, "material.remove")
    assert entry.after == {"removed": True, "reason": "fake kit", "flags_closed": 1}


async def test_removing_an_action_cancels_it_and_tells_its_space(lyon: Harness) -> None:
    await ok(lyon, "carl", "action rsvp 1 going")
    await flag_by(lyon, "action:1", "x1")
    lyon.platform.sent.clear()
    staff = await as_person(lyon, "chloe")

    async with lyon.db.unit():
        await flags.remove(staff, await flags.find(staff, "action:1"), "not a real event")

    action = await lyon.repos.actions.get(1)
    assert action is not None
    assert action.status is ActionStatus.CANCELLED
    notice = "National staff cancelled Marché: not a real event"
    assert lyon.platform.to(SPACE) == [notice]
    assert lyon.platform.to("dm:carl") == [notice]
    [entry] = await audit(lyon, "action.remove")
    assert (entry.before, entry.after) == (
        {"status": "scheduled"},
        {"status": "cancelled", "reason": "not a real event", "flags_closed": 1})


async def test_keeping_and_removing_a_committee_restore_or_suspend_it(lyon: Harness) -> None:
    await flag_by(lyon, SLUG, "x1", "x2", "x3")
    staff = await as_person(lyon, "chloe")

    async with lyon.db.unit():
        await flags.keep(staff, await flags.find(staff, SLUG))
    assert not (await committee(lyon, SLUG)).hidden

    await flag_by(lyon, SLUG, "x1")
    async with lyon.db.unit():
        await flags.remove(staff, await flags.find(staff, SLUG), "hate speech")
    suspended = await committee(lyon, SLUG)
    assert (suspended.status, suspended.status_reason) == (CommitteeStatus.SUSPENDED,
                                                            "hate speech")
    assert [status for _kind, _id, status in await open_flags(lyon)] == (
        ["kept"] * 3 + ["removed"])


async def test_only_staff_review(lyon: Harness) -> None:
    await flag_by(lyon, "material:2", "x1")
    person = await as_person(lyon, "ana")

    async with lyon.db.unit():
        item = await flags.find(person, "material:2")
        with pytest.raises(UserError):
            await flags.keep(person, item)
        with pytest.raises(UserError):
            await flags.remove(person, item, "not for me to say")


async def test_a_removal_needs_a_reason(lyon: Harness) -> None:
    staff = await as_person(lyon, "chloe")

    async with lyon.db.unit():
        item = await flags.find(staff, "material:2")
        with pytest.raises(UserError):
            await flags.remove(staff, item, "no")


async def test_every_kind_is_registered() -> None:
    assert set(flags.KINDS) == {"committee", "action", "material"}
    assert [kind.hides for kind in flags.KINDS.values()] == [True, False, True]
