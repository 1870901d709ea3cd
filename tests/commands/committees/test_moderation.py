"""After the fact, never before: anyone flags, staff suspend and restore; all of it audited."""

from __future__ import annotations

import pytest

from commands.i18n import RenderContext, render
from commands.settings import Settings
from storage.committees import CommitteeStatus
from storage.flags import FlagStatus
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    known,
    listed_slugs,
    ok,
    refused,
    space,
    user,
)
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = space(SLUG)
SUSPEND = f"staff suspend {SLUG} hate speech in the space"


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse: ana leads, bob co-leads, carl is a member; zoe is a stranger.

    The platform's record of calls and messages starts empty.
    """
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    for member in ("bob", "carl"):
        await ok(harness, member, f"committee join {SLUG}")
    await ok(harness, "ana", f"committee promote @bob {SLUG}")
    await known(harness, "zoe", "chloe", "x1", "x2", "x3", "x4")
    harness.platform.calls.clear()
    harness.platform.sent.clear()
    return harness


async def flags(harness: Harness) -> list[tuple[str, str, str]]:
    """Every flag as (who, reason, status)."""
    rows = await harness.db.fetchall(
        "SELECT u.platform_user_id, f.reason, f.status FROM flags f"
        " JOIN users u ON u.id = f.flagged_by ORDER BY f.id"
    )
    return [tuple(row) for row in rows]


async def refused_unchanged(harness: Harness, who: str, line: str) -> str:
    before = await dump(harness.db)
    calls, sent = list(harness.platform.calls), list(harness.platform.sent)
    said = await refused(harness, who, line)
    assert await dump(harness.db) == before
    assert harness.platform.calls == calls
    assert harness.platform.sent == sent
    return said.text


async def flag_by(harness: Harness, *people: str) -> None:
    for person in people:
        await ok(harness, person, f"flag {SLUG} fake committee run by trolls")


# flag


async def test_a_flag_is_stored_and_thanked(lyon: Harness) -> None:
    said = await ok(lyon, "zoe", f"flag {SLUG} posts   insults\tabout neighbours")

    assert "staff will review your report about Lyon Croix-Rousse" in said.text
    assert await flags(lyon) == [("zoe", "posts insults about neighbours", "open")]
    assert not (await committee(lyon, SLUG)).hidden


async def test_a_flag_is_audited(lyon: Harness) -> None:
    await ok(lyon, "zoe", f"flag {SLUG} posts insults")

    [entry] = await audit(lyon, "flag.add")
    assert entry.actor_id == (await user(lyon, "zoe")).id
    assert entry.committee_id == (await committee(lyon, SLUG)).id
    assert entry.after is not None
    assert entry.after["reason"] == "posts insults"


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (f"flag {SLUG}", "Missing: reason"),
        (f'flag {SLUG} ""', "reason cannot be empty"),
        (f"flag {SLUG} no", "Give a reason"),
        (f"flag {SLUG} " + "x" * 301, "at most 300 characters"),
        (f"flag {SLUG} spam\u202ereversed", "control characters"),
        ("flag", "Usage: flag <target> <reason…>"),
        ("flag lyon-nowhere spam", "no committee with the id"),
    ],
)
async def test_a_flag_needs_a_committee_and_a_reason(lyon: Harness, line: str, why: str) -> None:
    text = await refused_unchanged(lyon, "zoe", line)

    assert why in text


async def test_the_same_person_flagging_twice_counts_once(lyon: Harness) -> None:
    await flag_by(lyon, "x1")

    text = await refused_unchanged(lyon, "x1", f"flag {SLUG} and again")
    await flag_by(lyon, "x2")

    assert "already reported Lyon Croix-Rousse" in text
    assert [who for who, _reason, _status in await flags(lyon)] == ["x1", "x2"]
    assert not (await committee(lyon, SLUG)).hidden
    assert lyon.platform.to("staff") == []


async def test_three_distinct_flags_hide_the_committee(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2")
    assert SLUG in listed_slugs(await ok(lyon, "zoe", "committee list"))

    await flag_by(lyon, "x3")

    assert (await committee(lyon, SLUG)).hidden
    assert listed_slugs(await ok(lyon, "zoe", "committee list")) == []
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ACTIVE


async def test_hiding_tells_staff_with_buttons(lyon: Harness, settings: Settings) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    [sent] = [sent for sent in lyon.platform.sent if sent.where == "staff"]
    assert sent.locale == settings.organisation.locale
    message = render(sent.reply.text, RenderContext("en"))
    assert "Lyon Croix-Rousse (lyon-croix-rousse) was reported 3 times" in message
    assert "fake committee run by trolls" in message
    assert [button.command for button in sent.reply.buttons] == [
        f"staff restore {SLUG}", f"committee info {SLUG}"
    ]


async def test_hiding_is_audited(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    [entry] = await audit(lyon, "committee.hide")
    assert entry.actor_id == (await user(lyon, "x3")).id
    assert entry.before == {"hidden": False}
    assert entry.after == {"hidden": True, "flags": 3}


async def test_more_flags_on_a_hidden_committee_do_not_tell_staff_again(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3", "x4")

    assert len(lyon.platform.to("staff")) == 1
    assert len(await audit(lyon, "committee.hide")) == 1
    assert len(await flags(lyon)) == 4


async def test_a_hidden_committee_still_works_for_its_members(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    await ok(lyon, "zoe", f"committee join {SLUG}")
    await ok(lyon, "ana", f'committee edit {SLUG} description="We are real"')


async def test_members_and_staff_may_flag_too(lyon: Harness) -> None:
    await flag_by(lyon, "carl", "chloe")

    assert [who for who, _reason, _status in await flags(lyon)] == ["carl", "chloe"]


# staff suspend


async def test_staff_suspend_with_a_reason(lyon: Harness) -> None:
    said = await ok(lyon, "chloe", SUSPEND)

    assert "Lyon Croix-Rousse is suspended" in said.text
    suspended = await committee(lyon, SLUG)
    assert suspended.status is CommitteeStatus.SUSPENDED
    assert suspended.status_reason == "hate speech in the space"


async def test_suspension_is_announced_in_the_space(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)

    assert lyon.platform.to(SPACE) == [
        "National staff suspended this committee: hate speech in the space"
    ]


async def test_suspension_is_audited_with_before_and_after(lyon: Harness) -> None:
    await flag_by(lyon, "x1")

    await ok(lyon, "chloe", SUSPEND)

    [entry] = await audit(lyon, "committee.suspend")
    assert entry.actor_id == (await user(lyon, "chloe")).id
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["status"], entry.after["status"]) == ("active", "suspended")
    assert entry.after["status_reason"] == "hate speech in the space"
    assert entry.after["flags_closed"] == 1


async def test_suspension_closes_open_flags_as_removed(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2")

    await ok(lyon, "chloe", SUSPEND)

    assert [status for _who, _reason, status in await flags(lyon)] == ["removed", "removed"]
    reviewers = await lyon.db.fetchall("SELECT DISTINCT reviewed_by FROM flags")
    assert [row[0] for row in reviewers] == [(await user(lyon, "chloe")).id]


async def test_a_suspension_needs_a_reason(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "chloe", f"staff suspend {SLUG}")

    assert "Missing: reason" in text


@pytest.mark.parametrize(
    ("who", "line"),
    [
        ("zoe", f"committee join {SLUG}"),
        ("carl", f"committee leave {SLUG}"),
        ("ana", f'committee edit {SLUG} description="back soon"'),
        ("ana", f"committee promote @carl {SLUG}"),
        ("ana", f"committee demote @bob {SLUG}"),
        ("ana", f"committee handover @carl {SLUG}"),
        ("ana", f"committee archive {SLUG} confirm=yes"),
        ("zoe", f"flag {SLUG} still bad"),
        ("chloe", f"staff suspend {SLUG} once more"),
    ],
)
async def test_a_suspended_committee_refuses_every_command_but_info(
    lyon: Harness, who: str, line: str
) -> None:
    await ok(lyon, "chloe", SUSPEND)
    lyon.platform.sent.clear()

    text = await refused_unchanged(lyon, who, line)

    assert "Lyon Croix-Rousse is suspended by national staff (hate speech in the space)" in text
    assert "only committee info works" in text


async def test_a_suspended_committee_refuses_commands_typed_in_its_space(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)

    said = await refused(lyon, "carl", "committee leave", space=SPACE)

    assert "hate speech in the space" in said.text


async def test_a_suspended_committee_still_answers_info(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)

    said = await ok(lyon, "carl", "committee info", space=SPACE)

    assert "Suspended by national staff: hate speech in the space" in said.text


@pytest.mark.parametrize("who", ["ana", "bob", "carl", "zoe"])
async def test_only_staff_suspend(lyon: Harness, who: str) -> None:
    text = await refused_unchanged(lyon, who, SUSPEND)

    assert "Only national staff can do that" in text
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ACTIVE


# staff restore


async def test_restore_lifts_a_suspension(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)

    said = await ok(lyon, "chloe", f"staff restore {SLUG}")

    assert "Lyon Croix-Rousse is restored" in said.text
    restored = await committee(lyon, SLUG)
    assert (restored.status, restored.status_reason) == (CommitteeStatus.ACTIVE, None)
    assert lyon.platform.to(SPACE)[-1] == "National staff restored this committee."
    await ok(lyon, "ana", f'committee edit {SLUG} description="Back to work"')


async def test_restore_unhides_and_closes_flags_as_kept(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    await ok(lyon, "chloe", f"staff restore {SLUG}")

    assert not (await committee(lyon, SLUG)).hidden
    assert SLUG in listed_slugs(await ok(lyon, "zoe", "committee list"))
    assert [status for _who, _reason, status in await flags(lyon)] == [FlagStatus.KEPT] * 3
    reviewed = await lyon.db.fetchall("SELECT reviewed_by, reviewed_at FROM flags")
    chloe = await user(lyon, "chloe")
    assert all(row[0] == chloe.id and row[1] is not None for row in reviewed)


async def test_restoring_a_hidden_committee_says_nothing_in_its_space(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    await ok(lyon, "chloe", f"staff restore {SLUG}")

    assert lyon.platform.to(SPACE) == []


async def test_restore_is_audited_with_before_and_after(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")

    await ok(lyon, "chloe", f"staff restore {SLUG}")

    [entry] = await audit(lyon, "committee.restore")
    assert entry.actor_id == (await user(lyon, "chloe")).id
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["hidden"], entry.after["hidden"]) == (True, False)
    assert entry.after["flags_closed"] == 3


async def test_after_a_restore_people_may_flag_again(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")
    await ok(lyon, "chloe", f"staff restore {SLUG}")

    await flag_by(lyon, "x1", "x2")
    assert not (await committee(lyon, SLUG)).hidden
    await flag_by(lyon, "x3")

    assert (await committee(lyon, SLUG)).hidden
    assert len(lyon.platform.to("staff")) == 2


async def test_the_staff_restore_button_works(lyon: Harness) -> None:
    await flag_by(lyon, "x1", "x2", "x3")
    [sent] = [sent for sent in lyon.platform.sent if sent.where == "staff"]

    await ok(lyon, "chloe", sent.reply.buttons[0].command)

    assert not (await committee(lyon, SLUG)).hidden


async def test_restoring_a_committee_in_good_standing_is_refused(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "chloe", f"staff restore {SLUG}")

    assert "neither suspended nor hidden" in text


@pytest.mark.parametrize("who", ["ana", "bob", "carl", "zoe"])
async def test_only_staff_restore(lyon: Harness, who: str) -> None:
    await ok(lyon, "chloe", SUSPEND)

    text = await refused_unchanged(lyon, who, f"staff restore {SLUG}")

    assert "Only national staff can do that" in text
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.SUSPENDED


# Every mutation leaves an audit row


@pytest.mark.parametrize(
    ("who", "line", "action", "has_before", "has_after"),
    [
        ("zoe", "committee create \"Lyon Plateau\" Lyon 69001", "committee.create", False, True),
        ("zoe", f"committee join {SLUG}", "committee.join", False, True),
        ("carl", f"committee leave {SLUG}", "committee.leave", True, False),
        ("bob", f'committee edit {SLUG} place="Lyon 4e"', "committee.edit", True, True),
        ("ana", f"committee promote @carl {SLUG}", "committee.role", True, True),
        ("ana", f"committee demote @bob {SLUG}", "committee.role", True, True),
        ("ana", f"committee handover @carl {SLUG}", "committee.role", True, True),
        ("ana", f"committee archive {SLUG} confirm=yes", "committee.archive", True, True),
        ("zoe", f"flag {SLUG} spam everywhere", "flag.add", False, True),
        ("chloe", SUSPEND, "committee.suspend", True, True),
        ("zoe", "lang fr", "user.locale", True, True),
    ],
)
async def test_every_mutation_is_audited(
    lyon: Harness, who: str, line: str, action: str, has_before: bool, has_after: bool
) -> None:
    already = len(await audit(lyon))

    await ok(lyon, who, line)

    new = (await audit(lyon))[already:]
    assert new, "no audit row"
    actor = await user(lyon, who)
    assert all(entry.actor_id == actor.id for entry in new)
    [entry] = [entry for entry in new if entry.action == action][:1]
    assert (entry.before is not None) == has_before
    assert (entry.after is not None) == has_after
    if has_before and has_after:
        assert entry.before != entry.after


async def test_restore_is_audited_too(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)
    already = len(await audit(lyon))

    await ok(lyon, "chloe", f"staff restore {SLUG}")

    assert [entry.action for entry in (await audit(lyon))[already:]] == ["committee.restore"]


async def test_staff_commands_typed_in_a_space_still_name_their_committee(lyon: Harness) -> None:
    # Staff moderate from anywhere; typing in a space must not pick that committee silently.
    said = await refused(lyon, "chloe", 'staff suspend reason="spam"', space=SPACE)
    assert "Say which committee" in said.text
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ACTIVE


async def test_staff_can_archive_a_suspended_committee(lyon: Harness) -> None:
    await ok(lyon, "chloe", SUSPEND)
    await refused(lyon, "ines", f"committee archive {SLUG} confirm=yes")
    await ok(lyon, "chloe", f"committee archive {SLUG} confirm=yes")
    assert (await committee(lyon, SLUG)).status is CommitteeStatus.ARCHIVED
