"""`privacy export` and `privacy forget`: everything about one person, handed over or erased.

The world: inesk42 (a platform id found nowhere else, so a scan can look for it) leads Lyon
Croix-Rousse, where colin and dina co-lead (colin joined first), and Villeurbanne, where she
has no co-lead; she is co-lead of Lyon Plateau, led by sam. She reported on a past action,
flagged a committee, shared a material, and holds the one place at an action in Lyon
Plateau, where bob waits. colin wrote her mention into Lyon Croix-Rousse's description.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from storage.privacy import USER_COLUMNS, USER_TARGETS
from storage.rsvps import Answer
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    known,
    ok,
    refused,
    role,
    space,
    user,
)
from tests.conftest import Harness

INES = "inesk42"
LYON = "lyon-croix-rousse"
VILLEURBANNE = "villeurbanne-gratte-ciel"
PLATEAU = "lyon-plateau"
OTHERS = ("colin", "dina", "sambo", "anouk", "bob", "chloe")


async def step(harness: Harness, who: str, line: str, *, where: str | None = None) -> None:
    """Run a command a minute after the previous one, so join order is well defined."""
    harness.clock.advance(timedelta(minutes=1))
    await ok(harness, who, line, space=where)


@pytest.fixture
async def world(harness: Harness) -> Harness:
    h = harness
    await known(h, "chloe", "bob")  # so her id is not 1, a number found everywhere
    await create(h, INES, "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("colin", "dina", "anouk"):
        await step(h, name, f"committee join {LYON}")
    await step(h, INES, f"committee promote @dina {LYON}")
    await step(h, INES, f"committee promote @colin {LYON}")
    await step(h, "colin", f'committee edit {LYON} description="Contact : @{INES}"')

    await create(h, INES, "Villeurbanne Gratte-Ciel", "Villeurbanne", "69100")
    await step(h, "anouk", f"committee join {VILLEURBANNE}")

    await create(h, "sambo", "Lyon Plateau", "Lyon", "69001")
    for name in (INES, "anouk", "bob"):
        await step(h, name, f"committee join {PLATEAU}")
    await step(h, "sambo", f"committee promote @{INES} {PLATEAU}")
    await step(h, INES, "lang en")

    # A past action in Lyon Croix-Rousse, reported by ines.
    await step(h, INES, 'action schedule leafleting "Marché" samedi 10h', where=space(LYON))
    market = await h.db.fetchval("SELECT MAX(id) FROM actions")
    await step(h, INES, f"action rsvp {market} going")
    h.clock.advance(timedelta(days=4, hours=3))
    await step(h, INES, f'report {market} attendees=5 leaflets=300 conversations=12'
                        ' notes="Belle matinée"')

    # An action in Lyon Plateau with one place: ines got it from the waiting list; bob waits.
    await step(h, "sambo", 'action schedule door_to_door "Porte-à-porte" samedi 10h capacity=1',
               where=space(PLATEAU))
    doors = await h.db.fetchval("SELECT MAX(id) FROM actions")
    await step(h, "anouk", f"action rsvp {doors} going")
    await step(h, INES, f"action rsvp {doors} going")
    await step(h, "anouk", f"action rsvp {doors} no")
    await step(h, "bob", f"action rsvp {doors} going")

    ines = await user(h, INES)
    plateau = await committee(h, PLATEAU)
    await h.repos.flags.add("committee", plateau.id, ines.id, "Nom trompeur", h.clock.now())
    lyon = await committee(h, LYON)
    await h.db.execute(
        "INSERT INTO materials (committee_id, title, url, search_key, shared_by, created_at)"
        " VALUES (?, 'Tract logement', 'https://example.org/tract.pdf', 'tract logement', ?,"
        " '2026-12-01T09:00:00.000000Z')", (lyon.id, ines.id))
    colin = await user(h, "colin")
    await h.db.execute(
        "INSERT INTO materials (committee_id, title, url, search_key, shared_by, created_at)"
        " VALUES (?, 'Affiche', 'https://example.org/affiche.png', 'affiche', ?,"
        " '2026-12-01T09:00:00.000000Z')", (lyon.id, colin.id))
    for key, value in ((f"direct {INES}", "!room:example.org"),
                       ("command:abc", f"committee promote @{INES} {LYON}"),
                       ("direct colin", "!other:example.org")):
        await h.repos.platform_state.set(h.platform.name, key, value)
    h.platform.sent.clear()
    h.platform.calls.clear()
    return h


async def forget(harness: Harness) -> None:
    await step(harness, INES, "privacy forget confirm=yes")
    await harness.services.drain()


# --- privacy forget -------------------------------------------------------------------------


async def test_forget_asks_first_and_changes_nothing(world: Harness) -> None:
    before = await dump(world.db)

    said = await ok(world, INES, "privacy forget")

    assert "cannot be undone" in said.text
    assert "Lyon Croix-Rousse will be handed to @colin" in said.text
    assert "Villeurbanne Gratte-Ciel has no co-lead: it will be archived" in said.text
    assert "privacy forget confirm=yes" in said.buttons
    assert said.outcome.replies[0].private
    assert await dump(world.db) == before


async def test_the_confirm_button_erases(world: Harness) -> None:
    said = await ok(world, INES, "privacy forget")
    (button,) = [command for command in said.buttons if "confirm=yes" in command]

    await ok(world, INES, button)

    assert await world.repos.users.find(world.platform.name, INES) is None


async def test_a_led_committee_goes_to_the_longest_serving_co_lead(world: Harness) -> None:
    await forget(world)

    assert await role(world, LYON, "colin") == "lead"
    assert await role(world, LYON, "dina") == "co_lead"
    assert "@colin now leads the committee." in world.platform.to(space(LYON))
    (entry,) = [e for e in await audit(world, "committee.role")
                if e.after and e.after.get("reason") == "privacy.forget"]
    assert entry.target_id == (await user(world, "colin")).id
    assert entry.after == {"role": "lead", "reason": "privacy.forget"}


async def test_a_committee_with_no_co_lead_is_archived(world: Harness) -> None:
    await forget(world)

    villeurbanne = await committee(world, VILLEURBANNE)
    assert villeurbanne.status == "archived"
    assert world.platform.spaces[space(VILLEURBANNE)]["archived"] is True
    (notice,) = world.platform.to(space(VILLEURBANNE))
    assert "archived" in notice
    assert (await committee(world, LYON)).status == "active"
    assert (await committee(world, PLATEAU)).status == "active"


async def test_the_freed_place_goes_to_the_next_person_waiting(world: Harness) -> None:
    doors = await world.db.fetchval("SELECT MAX(id) FROM actions")

    await forget(world)

    rsvps = await world.repos.rsvps.with_answer(doors, Answer.GOING)
    assert [r.user_id for r in rsvps] == [(await user(world, "bob")).id]
    (told,) = world.platform.to("dm:bob")
    assert "A place freed up" in told


async def test_they_leave_every_space(world: Harness) -> None:
    await forget(world)

    calls = world.platform.calls
    for slug in (LYON, VILLEURBANNE, PLATEAU):
        assert ("remove_member", space(slug), INES) in calls
    assert ("set_lead", space(PLATEAU), INES, "False") in calls


async def test_the_reply_says_what_happened(world: Harness) -> None:
    world.clock.advance(timedelta(minutes=1))
    said = await ok(world, INES, "privacy forget confirm=yes")

    assert "no longer stores anything about you" in said.text
    assert "@colin now leads Lyon Croix-Rousse." in said.text
    assert "Villeurbanne Gratte-Ciel had no co-lead to take over" in said.text


async def test_totals_are_unchanged(world: Harness) -> None:
    before = await _totals(world)

    await forget(world)

    assert await _totals(world) == before


async def _totals(harness: Harness) -> dict[str, Any]:
    row = await harness.db.fetchone(
        "SELECT COUNT(*), SUM(attendees), SUM(leaflets), SUM(conversations) FROM reports")
    assert row is not None
    counted = {table: await harness.db.fetchval(f"SELECT COUNT(*) FROM {table}")
               for table in ("actions", "reports", "flags", "materials", "committees",
                             "campaigns")}
    return {"reports": tuple(row), **counted}


async def test_their_records_stay_without_their_name(world: Harness) -> None:
    await forget(world)

    report = await world.db.fetchone("SELECT reported_by, notes FROM reports")
    assert report is not None
    assert tuple(report) == (None, "Belle matinée")
    assert await world.db.fetchval(
        "SELECT shared_by FROM materials WHERE title = 'Tract logement'") is None
    assert await world.db.fetchval(
        "SELECT shared_by FROM materials WHERE title = 'Affiche'") == (
        await user(world, "colin")).id
    flag = await world.db.fetchone("SELECT flagged_by, reason, status FROM flags")
    assert flag is not None
    assert tuple(flag) == (None, "Nom trompeur", "open")
    description = (await committee(world, LYON)).description
    assert description == "Contact : @[forgotten]"


async def test_other_peoples_data_is_untouched(world: Harness) -> None:
    colin = await user(world, "colin")
    before = await world.repos.memberships.of_user(colin.id)

    await forget(world)

    assert [m.committee_id for m in await world.repos.memberships.of_user(colin.id)] == [
        m.committee_id for m in before]
    assert await world.repos.platform_state.get(world.platform.name, "direct colin")
    assert await world.repos.users.find(world.platform.name, "sambo") is not None


async def test_the_erasure_is_audited_without_naming_them(world: Harness) -> None:
    await forget(world)

    (entry,) = await audit(world, "privacy.forget")
    assert entry.actor_id is None
    assert entry.target_id is None
    assert entry.after == {"handed_over": 1, "archived": 1}


async def test_a_command_after_forget_starts_a_new_person(world: Harness) -> None:
    old = await user(world, INES)
    await forget(world)

    await ok(world, INES, "help")

    new = await user(world, INES)
    assert new.locale is None
    assert await world.repos.memberships.of_user(new.id) == []
    assert new.created_at > old.created_at


async def test_forget_with_nothing_stored_works(harness: Harness) -> None:
    said = await ok(harness, "nobody", "privacy forget confirm=yes")

    assert "no longer stores anything about you" in said.text


# --- The scan: every table, every column -------------------------------------------------


async def test_the_person_is_found_nowhere(world: Harness) -> None:
    ines = await user(world, INES)
    assert await _traces(world, ines.id, INES), "the scan must see her before"

    await forget(world)

    assert await _traces(world, ines.id, INES) == []


async def _traces(harness: Harness, user_id: int, platform_user_id: str) -> list[str]:
    """Every place the person's id or platform id is still stored, found from the schema."""
    found: list[str] = []
    for table in await _tables(harness):
        columns = [row["name"] for row in await harness.db.fetchall(
            f'PRAGMA table_info("{table}")')]
        references = {row["from"] for row in await harness.db.fetchall(
            f'PRAGMA foreign_key_list("{table}")') if row["table"] == "users"}
        if table == "users":
            references.add("id")
        for row in await harness.db.fetchall(f'SELECT * FROM "{table}"'):
            for column in columns:
                value = row[column]
                refers = column in references or (column == "target_id" and _about_a_user(row))
                mentions = isinstance(value, str) and (
                    platform_user_id in value or user_id in _user_ids_in_json(value))
                if (refers and value == user_id) or mentions:
                    found.append(f"{table}.{column} = {value!r}")
    return found


def _about_a_user(row: sqlite3.Row) -> bool:
    return "target_kind" in row.keys() and row["target_kind"] == "user"  # noqa: SIM118


def _user_ids_in_json(text: str) -> set[int]:
    """Integers a JSON document holds under a key that names a person."""
    try:
        document = json.loads(text)
    except ValueError:
        return set()
    ids: set[int] = set()

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, str(name))
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, int) and not isinstance(value, bool):
            personal = "user" in key or key.endswith("_by") or key in ("actor", "member")
            if personal:
                ids.add(value)

    walk(document)
    return ids


async def _tables(harness: Harness) -> list[str]:
    rows = await harness.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows]


async def test_every_column_pointing_at_users_has_a_fate(harness: Harness) -> None:
    """A new table referencing users fails here until storage/privacy.py says what to do."""
    listed = {(table, column) for table, column, _fate in USER_COLUMNS}
    listed |= {(table, column) for table, _kind, column, _fate in USER_TARGETS}
    for table in await _tables(harness):
        for row in await harness.db.fetchall(f'PRAGMA foreign_key_list("{table}")'):
            if row["table"] == "users":
                assert (table, row["from"]) in listed, f"{table}.{row['from']}"


# --- privacy export ---------------------------------------------------------------------


async def export(harness: Harness, who: str = INES) -> dict[str, Any]:
    """Ask for the export in a committee's space; the file arrives as a private message."""
    harness.clock.advance(timedelta(minutes=1))
    said = await ok(harness, who, "privacy export", space=space(PLATEAU))
    assert "private message" in said.text
    assert said.outcome.replies[0].private
    assert all(reply.file is None for reply in said.outcome.replies)
    (sent,) = [s for s in harness.platform.sent if s.where == f"dm:{who}"]
    assert sent.reply.file is not None
    assert sent.reply.file.content_type == "application/json"
    data: dict[str, Any] = json.loads(sent.reply.file.data)
    return data


async def test_export_holds_what_is_stored_about_them(world: Harness) -> None:
    data = await export(world)

    assert data["user"]["platform_user_id"] == INES
    assert data["user"]["locale"] == "en"
    memberships = {m["committee_name"]: m["role"] for m in data["memberships"]}
    assert memberships == {"Lyon Croix-Rousse": "lead", "Villeurbanne Gratte-Ciel": "lead",
                           "Lyon Plateau": "co_lead"}
    assert {c["committee"] for c in data["charter_acceptances"]} == {LYON, VILLEURBANNE}
    rsvps = {r["title"]: r for r in data["rsvps"]}
    assert rsvps["Marché"]["answer"] == "going"
    assert rsvps["Marché"]["starts_at"].startswith("2026-12-05T09:00")
    assert rsvps["Porte-à-porte"]["committee_name"] == "Lyon Plateau"
    assert [f["reason"] for f in data["flags_filed"]] == ["Nom trompeur"]
    (report,) = data["reports_written"]
    assert (report["action_title"], report["attendees"], report["leaflets"]) == ("Marché", 5, 300)
    assert [m["title"] for m in data["materials_shared"]] == ["Tract logement"]
    assert {c["slug"] for c in data["committees_created"]} == {LYON, VILLEURBANNE}
    assert {a["title"] for a in data["actions_created"]} == {"Marché"}
    actions = {entry["action"] for entry in data["audit_log"]}
    assert {"committee.create", "committee.join", "user.locale", "action.rsvp",
            "committee.role"} <= actions
    assert {key for key, _value in [(s["key"], s["value"]) for s in data["platform_state"]]} == {
        f"direct {INES}", "command:abc"}


async def test_export_tells_nothing_about_other_people(world: Harness) -> None:
    ines = await user(world, INES)
    others = {(await user(world, name)).id for name in OTHERS}

    data = await export(world)

    text = json.dumps(data)
    for name in OTHERS:
        assert name not in text, name
    for entry in data["audit_log"]:
        assert entry["actor_id"] in (ines.id, None)
        if entry["target_kind"] == "user":
            assert entry["target_id"] in (ines.id, None)
        for snapshot in (entry["before"], entry["after"]):
            assert not _user_ids_in_json(json.dumps(snapshot)) & others
    assert "Affiche" not in text


async def test_export_typed_privately_is_the_reply_itself(world: Harness) -> None:
    said = await ok(world, INES, "privacy export")

    (reply,) = said.outcome.replies
    assert reply.private
    assert reply.file is not None
    assert json.loads(reply.file.data)["user"]["platform_user_id"] == INES
    assert world.platform.sent == []


async def test_export_is_refused_when_private_messages_are_closed(world: Harness) -> None:
    world.platform.direct_closed.add(INES)

    said = await refused(world, INES, "privacy export", space=space(PLATEAU))

    assert "private message" in said.text
    assert world.platform.sent == []


async def test_export_of_someone_new_is_nearly_empty(harness: Harness) -> None:
    said = await ok(harness, "newcomer", "privacy export")

    file = said.outcome.replies[0].file
    assert file is not None
    data = json.loads(file.data)
    assert data["user"]["platform_user_id"] == "newcomer"
    assert data["memberships"] == data["rsvps"] == data["reports_written"] == []


async def test_export_is_audited(world: Harness) -> None:
    await export(world)

    (entry,) = await audit(world, "privacy.export")
    assert entry.actor_id == entry.target_id == (await user(world, INES)).id
