"""`committee join` and `committee leave`."""

from __future__ import annotations

import pytest

from storage.memberships import MemberRole
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    ok,
    refused,
    role,
    space,
    user,
)
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse, led by ana; the platform's record of calls starts empty."""
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    harness.platform.calls.clear()
    return harness


async def test_join_makes_a_member(lyon: Harness) -> None:
    said = await ok(lyon, "bob", f"committee join {SLUG}")

    assert "Welcome to Lyon Croix-Rousse" in said.text
    assert await role(lyon, SLUG, "bob") is MemberRole.MEMBER
    assert await lyon.repos.memberships.count((await committee(lyon, SLUG)).id) == 2


async def test_join_adds_to_the_space_and_says_so_there(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")

    assert lyon.platform.calls == [("add_member", space(SLUG), "bob")]
    assert lyon.platform.to(space(SLUG)) == ["@bob joined the committee. Welcome!"]


async def test_join_is_audited(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")

    [entry] = await audit(lyon, "committee.join")
    bob = await user(lyon, "bob")
    assert (entry.actor_id, entry.target_kind, entry.target_id) == (bob.id, "user", bob.id)
    assert entry.committee_id == (await committee(lyon, SLUG)).id
    assert entry.after == {"role": "member"}


async def test_the_slug_is_read_without_case_or_hash(lyon: Harness) -> None:
    await ok(lyon, "bob", "committee join #Lyon-Croix-Rousse")

    assert await role(lyon, SLUG, "bob") is MemberRole.MEMBER


async def test_join_typed_in_the_committee_space_needs_no_slug(lyon: Harness) -> None:
    await ok(lyon, "bob", "committee join", space=space(SLUG))

    assert await role(lyon, SLUG, "bob") is MemberRole.MEMBER


async def test_joining_twice_is_refused_and_changes_nothing(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")
    before, sent = await dump(lyon.db), list(lyon.platform.sent)

    said = await refused(lyon, "bob", f"committee join {SLUG}")

    assert "already a member of Lyon Croix-Rousse" in said.text
    assert await dump(lyon.db) == before
    assert lyon.platform.sent == sent


async def test_the_lead_cannot_join_their_own_committee(lyon: Harness) -> None:
    await refused(lyon, "ana", f"committee join {SLUG}")

    assert await role(lyon, SLUG, "ana") is MemberRole.LEAD


async def test_joining_an_unknown_committee_is_refused(lyon: Harness) -> None:
    said = await refused(lyon, "bob", "committee join lyon-nowhere")

    assert "no committee with the id “lyon-nowhere”" in said.text
    assert await role(lyon, SLUG, "bob") is None


async def test_join_outside_a_space_needs_the_slug(lyon: Harness) -> None:
    said = await refused(lyon, "bob", "committee join")

    assert "Say which committee" in said.text
    assert "Usage: committee join" in said.text


async def test_leave_removes_the_membership(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")
    lyon.platform.calls.clear()

    said = await ok(lyon, "bob", f"committee leave {SLUG}")

    assert "You have left Lyon Croix-Rousse" in said.text
    assert await role(lyon, SLUG, "bob") is None
    assert lyon.platform.calls == [("remove_member", space(SLUG), "bob")]


async def test_leave_is_audited(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")

    await ok(lyon, "bob", "committee leave", space=space(SLUG))

    [entry] = await audit(lyon, "committee.leave")
    assert entry.actor_id == (await user(lyon, "bob")).id
    assert entry.before == {"role": "member"}
    assert entry.after is None


async def test_one_can_join_again_after_leaving(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")
    await ok(lyon, "bob", f"committee leave {SLUG}")

    await ok(lyon, "bob", f"committee join {SLUG}")

    assert await role(lyon, SLUG, "bob") is MemberRole.MEMBER


async def test_the_lead_cannot_leave(lyon: Harness) -> None:
    before = await dump(lyon.db)

    said = await refused(lyon, "ana", f"committee leave {SLUG}")

    assert "hand it over first (committee handover)" in said.text
    assert await role(lyon, SLUG, "ana") is MemberRole.LEAD
    assert await dump(lyon.db) == before
    assert lyon.platform.calls == []


async def test_a_stranger_cannot_leave(lyon: Harness) -> None:
    said = await refused(lyon, "bob", f"committee leave {SLUG}")

    assert "Only members of the committee can do that" in said.text
    assert await audit(lyon, "committee.leave") == []


async def test_a_co_lead_who_leaves_loses_the_lead_rights(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")
    await ok(lyon, "ana", f"committee promote @bob {SLUG}")
    assert lyon.platform.spaces[space(SLUG)]["leads"] == {"ana", "bob"}
    lyon.platform.calls.clear()

    await ok(lyon, "bob", f"committee leave {SLUG}")

    assert await role(lyon, SLUG, "bob") is None
    assert lyon.platform.spaces[space(SLUG)]["leads"] == {"ana"}
    assert lyon.platform.calls == [
        ("set_lead", space(SLUG), "bob", "False"),
        ("remove_member", space(SLUG), "bob"),
    ]
    [entry] = await audit(lyon, "committee.leave")
    assert entry.before == {"role": "co_lead"}


async def test_a_former_lead_can_leave_once_they_handed_over(lyon: Harness) -> None:
    await ok(lyon, "bob", f"committee join {SLUG}")
    await ok(lyon, "ana", f"committee handover @bob {SLUG}")

    await ok(lyon, "ana", f"committee leave {SLUG}")

    assert await role(lyon, SLUG, "ana") is None
    assert await role(lyon, SLUG, "bob") is MemberRole.LEAD
    assert lyon.platform.spaces[space(SLUG)]["leads"] == {"bob"}
