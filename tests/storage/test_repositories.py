"""Repositories: frozen rows, platform state, rate-limit windows, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from storage import Database
from storage.committees import Committee, CommitteeStatus, NewCommittee
from storage.flags import FlagStatus
from storage.memberships import MemberRole
from storage.repositories import Repositories
from storage.users import User

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def repos(db: Database) -> Repositories:
    return Repositories(db)


async def make_committee(repos: Repositories, founder: User, slug: str = "lyon-3e") -> Committee:
    return await repos.committees.create(
        NewCommittee(
            slug=slug,
            name="Lyon 3e",
            name_key="lyon 3e",
            place="Lyon",
            postal_code="69003",
            departement="69",
            description="",
            search_key="lyon 3e lyon 69003",
            timezone="Europe/Paris",
            locale=None,
            created_by=founder.id,
            created_at=NOW,
        )
    )


# --- frozen rows ------------------------------------------------------------------------


async def test_users_come_back_frozen(repos: Repositories) -> None:
    user = await repos.users.ensure("test", "ines", NOW)
    with pytest.raises(ValidationError):
        user.locale = "en"  # type: ignore[misc]
    found = await repos.users.find("test", "ines")
    assert found == user
    with pytest.raises(ValidationError):
        found.platform_user_id = "someone else"  # type: ignore[misc,union-attr]


async def test_ensure_creates_once(repos: Repositories) -> None:
    first = await repos.users.ensure("test", "ines", NOW)
    again = await repos.users.ensure("test", "ines", NOW + timedelta(days=1))
    other_platform = await repos.users.ensure("matrix", "ines", NOW)
    assert again == first
    assert other_platform.id != first.id
    assert await repos.db.fetchval("SELECT COUNT(*) FROM users") == 2


async def test_ensure_returns_what_is_stored(repos: Repositories) -> None:
    paris = timezone(timedelta(hours=1))
    created = await repos.users.ensure("test", "ines", NOW.astimezone(paris))
    stored = await repos.users.get(created.id)
    assert stored == created
    assert stored is not None
    assert stored.created_at == NOW
    assert stored.created_at.tzinfo is not None


async def test_locale_is_set_and_cleared(repos: Repositories) -> None:
    user = await repos.users.ensure("test", "ines", NOW)
    await repos.users.set_locale(user.id, "en")
    updated = await repos.users.get(user.id)
    assert updated is not None
    assert updated.locale == "en"
    # The earlier row is a value: it did not change under our feet.
    assert user.locale is None
    await repos.users.set_locale(user.id, None)
    cleared = await repos.users.get(user.id)
    assert cleared is not None
    assert cleared.locale is None


async def test_many_users(repos: Repositories) -> None:
    a = await repos.users.ensure("test", "a", NOW)
    b = await repos.users.ensure("test", "b", NOW)
    assert await repos.users.many([]) == {}
    assert await repos.users.many([a.id, b.id, 999]) == {a.id: a, b.id: b}


async def test_committees_and_memberships_come_back_frozen(repos: Repositories) -> None:
    founder = await repos.users.ensure("test", "founder", NOW)
    committee = await make_committee(repos, founder)
    assert committee.status is CommitteeStatus.ACTIVE
    assert committee.hidden is False
    assert committee.created_at == NOW
    with pytest.raises(ValidationError):
        committee.name = "Renamed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        committee.status = CommitteeStatus.ARCHIVED  # type: ignore[misc]

    membership = await repos.memberships.add(committee.id, founder.id, MemberRole.LEAD, NOW)
    with pytest.raises(ValidationError):
        membership.role = MemberRole.MEMBER  # type: ignore[misc]
    assert await repos.memberships.get(committee.id, founder.id) == membership


async def test_committee_changes_return_new_values(repos: Repositories) -> None:
    founder = await repos.users.ensure("test", "founder", NOW)
    committee = await make_committee(repos, founder)
    updated = await repos.committees.update(committee.id, name="Lyon Troisième",
                                            description="On tracte.")
    assert (updated.name, updated.description) == ("Lyon Troisième", "On tracte.")
    assert committee.name == "Lyon 3e"
    with pytest.raises(ValueError, match="not editable"):
        await repos.committees.update(committee.id, slug="stolen")
    await repos.committees.set_status(committee.id, CommitteeStatus.SUSPENDED, "spam")
    suspended = await repos.committees.get(committee.id)
    assert suspended is not None
    assert (suspended.status, suspended.status_reason) == (CommitteeStatus.SUSPENDED, "spam")


async def test_committee_spaces(repos: Repositories) -> None:
    founder = await repos.users.ensure("test", "founder", NOW)
    committee = await make_committee(repos, founder)
    await repos.committees.add_space(committee.id, "discord", "123")
    await repos.committees.add_space(committee.id, "matrix", "!room:example.org")
    assert await repos.committees.by_space("discord", "123") == committee
    assert await repos.committees.by_space("matrix", "123") is None
    assert await repos.committees.space_of(committee.id, "matrix") == "!room:example.org"
    assert await repos.committees.spaces_of(committee.id) == {
        "discord": "123",
        "matrix": "!room:example.org",
    }


async def test_flags_come_back_frozen_and_count_distinct_people(repos: Repositories) -> None:
    founder = await repos.users.ensure("test", "founder", NOW)
    committee = await make_committee(repos, founder)
    a = await repos.users.ensure("test", "a", NOW)
    b = await repos.users.ensure("test", "b", NOW)
    await repos.flags.add("committee", committee.id, a.id, "spam", NOW)
    await repos.flags.add("committee", committee.id, b.id, "spam again", NOW)
    assert await repos.flags.open_count("committee", committee.id) == 2
    assert await repos.flags.has_open("committee", committee.id, a.id)
    flags = await repos.flags.open_for("committee", committee.id)
    assert [flag.reason for flag in flags] == ["spam", "spam again"]
    with pytest.raises(ValidationError):
        flags[0].status = FlagStatus.KEPT  # type: ignore[misc]
    closed = await repos.flags.close_all("committee", committee.id, FlagStatus.KEPT,
                                         founder.id, NOW)
    assert closed == 2
    assert await repos.flags.open_count("committee", committee.id) == 0
    assert not await repos.flags.has_open("committee", committee.id, a.id)


async def test_charter_acceptance(repos: Repositories) -> None:
    user = await repos.users.ensure("test", "ines", NOW)
    assert not await repos.charter.accepted(user.id, "abc")
    await repos.charter.record(user.id, None, "abc", NOW)
    assert await repos.charter.accepted(user.id, "abc")
    assert not await repos.charter.accepted(user.id, "a newer charter")


# --- platform state ---------------------------------------------------------------------


async def test_platform_state_set_get_overwrite(repos: Repositories) -> None:
    state = repos.platform_state
    assert await state.get("matrix", "sync_token") is None
    await state.set("matrix", "sync_token", "s1")
    assert await state.get("matrix", "sync_token") == "s1"
    await state.set("matrix", "sync_token", "s2")
    assert await state.get("matrix", "sync_token") == "s2"
    assert await repos.db.fetchval("SELECT COUNT(*) FROM platform_state") == 1


async def test_platform_state_is_per_platform_and_key(repos: Repositories) -> None:
    state = repos.platform_state
    await state.set("matrix", "sync_token", "m")
    await state.set("discord", "sync_token", "d")
    await state.set("matrix", "commands_hash", "h")
    assert await state.get("matrix", "sync_token") == "m"
    assert await state.get("discord", "sync_token") == "d"
    assert await state.get("matrix", "commands_hash") == "h"
    assert await state.get("discord", "commands_hash") is None


async def test_platform_state_keeps_any_text(repos: Repositories) -> None:
    value = "s72594_4483_1934_1_0 « été » \n 🌞 " + "x" * 10_000
    await repos.platform_state.set("matrix", "sync_token", value)
    assert await repos.platform_state.get("matrix", "sync_token") == value


# --- audit ------------------------------------------------------------------------------


async def test_audit_before_and_after_round_trip(repos: Repositories) -> None:
    actor = await repos.users.ensure("test", "ines", NOW)
    founder = await repos.users.ensure("test", "founder", NOW)
    committee = await make_committee(repos, founder)
    before = {"name": "Lyon 3e", "leads": [1, 2], "nested": {"hidden": False, "n": None}}
    after = {"name": "Lyon « Troisième » 🌞", "leads": [2], "nested": {"hidden": True, "n": 1.5}}
    await repos.audit.record(actor_id=actor.id, action="committee.edit", target_kind="committee",
                             target_id=committee.id, committee_id=committee.id, now=NOW,
                             before=before, after=after)
    (entry,) = await repos.audit.recent(committee.id)
    assert entry.before == before
    assert entry.after == after
    assert (entry.actor_id, entry.action, entry.target_kind, entry.target_id) == (
        actor.id, "committee.edit", "committee", committee.id
    )
    assert entry.created_at == NOW
    with pytest.raises(ValidationError):
        entry.action = "tampered"  # type: ignore[misc]


async def test_audit_without_before_or_after(repos: Repositories) -> None:
    await repos.audit.record(actor_id=None, action="system.start", target_kind="system",
                             target_id=None, committee_id=None, now=NOW)
    (entry,) = await repos.audit.recent()
    assert entry.before is None
    assert entry.after is None
    assert entry.actor_id is None


async def test_audit_stores_non_json_values_as_text(repos: Repositories) -> None:
    await repos.audit.record(actor_id=None, action="x", target_kind="x", target_id=None,
                             committee_id=None, now=NOW,
                             after={"when": NOW, "status": CommitteeStatus.ACTIVE})
    (entry,) = await repos.audit.recent()
    assert entry.after == {"when": str(NOW), "status": "active"}


async def test_audit_recent_is_newest_first_filtered_and_limited(repos: Repositories) -> None:
    founder = await repos.users.ensure("test", "founder", NOW)
    one = await make_committee(repos, founder, "one")
    two = await repos.committees.create(
        NewCommittee(slug="two", name="Two", name_key="two", place="Paris", postal_code="75001",
                     departement="75", description="", search_key="two", timezone="Europe/Paris",
                     locale=None, created_by=founder.id, created_at=NOW)
    )
    for n in range(4):
        committee = one if n % 2 == 0 else two
        await repos.audit.record(actor_id=founder.id, action=f"a{n}", target_kind="committee",
                                 target_id=committee.id, committee_id=committee.id,
                                 now=NOW + timedelta(minutes=n))
    assert [entry.action for entry in await repos.audit.recent()] == ["a3", "a2", "a1", "a0"]
    assert [entry.action for entry in await repos.audit.recent(one.id)] == ["a2", "a0"]
    assert [entry.action for entry in await repos.audit.recent(limit=1)] == ["a3"]
