"""Reads and writes that take one statement for many rows, or for a write and its result,
and the same without RETURNING (SQLite before 3.35), which they fall back to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import storage.db
import storage.reminders
from storage import Database
from storage.actions import NewAction
from storage.committees import NewCommittee
from storage.memberships import MemberRole
from storage.reminders import ReminderKind, ReminderState
from storage.repositories import Repositories
from storage.rsvps import Answer, Counts

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=[True, False], ids=["returning", "without-returning"])
def returning(request: pytest.FixtureRequest) -> Iterator[bool]:
    with pytest.MonkeyPatch.context() as patch:
        for module in (storage.db, storage.reminders):
            patch.setattr(module, "RETURNING", request.param)
        yield request.param


@pytest.fixture
def repos(db: Database, returning: bool) -> Repositories:
    return Repositories(db)


async def committee_with_actions(repos: Repositories, count: int) -> tuple[int, list[int]]:
    lead = await repos.users.ensure("test", "ines", NOW)
    committee = await repos.committees.create(NewCommittee(
        slug="lyon-3e", name="Lyon 3e", name_key="lyon 3e", place="Lyon", postal_code="69003",
        departement="69", description="", search_key="lyon 3e lyon 69003",
        timezone="Europe/Paris", locale=None, created_by=lead.id, created_at=NOW))
    await repos.memberships.add(committee.id, lead.id, MemberRole.LEAD, NOW)
    await repos.committees.add_space(committee.id, "test", "space-lyon")
    actions = []
    for day in range(count):
        starts = NOW + timedelta(days=day + 1)
        action = await repos.actions.create(NewAction(
            committee_id=committee.id, kind="leafleting", title=f"Marché {day}",
            starts_at=starts, ends_at=starts + timedelta(hours=2), created_by=lead.id,
            created_at=NOW))
        actions.append(action.id)
    return committee.id, actions


async def test_a_created_action_comes_back_with_its_defaults(repos: Repositories) -> None:
    _committee, (action_id,) = await committee_with_actions(repos, 1)
    action = await repos.actions.get(action_id)
    assert action is not None
    assert action.status.value == "scheduled"
    assert action.location == ""
    assert not action.silence_warned


async def test_claims_are_taken_once(repos: Repositories) -> None:
    _committee, actions = await committee_with_actions(repos, 3)
    for action_id in actions:
        await repos.reminders.plan(action_id, [(ReminderKind.DAY_BEFORE, NOW)])
    due = [reminder.id for reminder in await repos.reminders.pending_until(NOW)]
    assert len(due) == 3
    assert await repos.reminders.claim(due[1], NOW)  # someone else was faster for this one
    assert await repos.reminders.claim_many(due, NOW) == [due[0], due[2]]
    assert await repos.reminders.claim_many(due, NOW) == []
    await repos.reminders.finish_many(due[:2], ReminderState.SENT, NOW)
    states = [(await repos.reminders.of_action(action_id))[0].state for action_id in actions]
    assert states == [ReminderState.SENT, ReminderState.SENT, ReminderState.CLAIMED]


async def test_rows_for_many_at_once_are_those_for_each(repos: Repositories) -> None:
    committee_id, actions = await committee_with_actions(repos, 2)
    people = [await repos.users.ensure("test", name, NOW) for name in ("ana", "bob", "cy")]
    for person, answer in zip(people, (Answer.GOING, Answer.MAYBE, Answer.GOING), strict=True):
        await repos.rsvps.set(actions[0], person.id, answer, NOW)
    assert set(await repos.actions.many([*actions, 999])) == set(actions)
    assert list(await repos.committees.many([committee_id])) == [committee_id]
    assert await repos.committees.spaces_of_many([committee_id, 999]) == {
        committee_id: {"test": "space-lyon"}, 999: {}}
    going = await repos.rsvps.with_answer_many(actions, Answer.GOING)
    assert going == {actions[0]: await repos.rsvps.with_answer(actions[0], Answer.GOING),
                     actions[1]: []}
    members = await repos.memberships.of_committees([committee_id])
    assert members == {committee_id: await repos.memberships.of_committee(committee_id)}
    counts, own = await repos.rsvps.counts_and_own(actions[0], people[1].id)
    assert counts == Counts(going=2, maybe=1)
    assert own == await repos.rsvps.get(actions[0], people[1].id)
    assert await repos.rsvps.counts_and_own(actions[1], people[1].id) == (Counts(), None)


async def test_an_action_comes_with_its_committee_and_the_persons_membership(
    repos: Repositories,
) -> None:
    committee_id, (action_id,) = await committee_with_actions(repos, 1)
    lead = await repos.users.find("test", "ines")
    stranger = await repos.users.ensure("test", "zoe", NOW)
    assert lead is not None
    found = await repos.actions.in_context(action_id, lead.id)
    assert found is not None
    action, committee, membership = found
    assert action == await repos.actions.get(action_id)
    assert committee == await repos.committees.get(committee_id)
    assert membership == await repos.memberships.get(committee_id, lead.id)
    found = await repos.actions.in_context(action_id, stranger.id)
    assert found is not None
    assert found[2] is None
    assert await repos.actions.in_context(999, lead.id) is None
