"""The benchmark dataset: the rows the issue asks for, consistent, readable by the
repositories, the same every time. Correctness only: no timing is asserted here."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest

from benchmarks.generate import NotADataset, generate, read_mark
from benchmarks.scale import NATIONAL, NOW, PLATFORM
from commands.committees.naming import fold, search_key
from commands.places import departement_of
from storage import open_database
from storage.db import from_db_time
from storage.repositories import Repositories

TINY = NATIONAL.tiny()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "tiny.db"
    generate(path, TINY, stream=io.StringIO())
    return path


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def count(path: Path, table: str) -> int:
    return int(rows(path, f"SELECT COUNT(*) FROM {table}")[0][0])  # type: ignore[call-overload]


def test_every_table_has_the_rows_of_its_scale(dataset: Path) -> None:
    assert count(dataset, "users") == TINY.members
    assert count(dataset, "committees") == TINY.committees
    assert count(dataset, "committee_spaces") == TINY.committees
    assert count(dataset, "memberships") >= TINY.members
    assert count(dataset, "actions") == TINY.actions
    assert count(dataset, "rsvps") == TINY.rsvps
    assert count(dataset, "reminders") == 3 * TINY.actions
    assert count(dataset, "reports") == TINY.reports
    assert count(dataset, "materials") == TINY.materials
    assert count(dataset, "series") > 0
    assert count(dataset, "campaigns") > 0


def test_references_hold(dataset: Path) -> None:
    connection = sqlite3.connect(dataset)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def test_committees_are_named_as_committee_create_names_them(dataset: Path) -> None:
    found = rows(dataset, "SELECT slug, name, name_key, place, postal_code, departement,"
                          " search_key FROM committees")
    slugs = [row[0] for row in found]
    assert len(set(slugs)) == len(slugs)
    for _slug, name, name_key, place, postal_code, departement, key in found:
        assert name_key == fold(str(name))
        assert key == search_key(str(name), str(place), str(postal_code))
        assert departement == departement_of(str(postal_code))


def test_every_committee_has_a_lead_and_members_answer_their_own_actions(dataset: Path) -> None:
    leads = rows(dataset, "SELECT committee_id, COUNT(*) FROM memberships WHERE role = 'lead'"
                          " GROUP BY committee_id")
    assert len(leads) == TINY.committees
    assert all(row[1] == 1 for row in leads)
    strangers = rows(dataset, "SELECT COUNT(*) FROM rsvps r JOIN actions a ON a.id = r.action_id"
                              " LEFT JOIN memberships m ON m.committee_id = a.committee_id"
                              " AND m.user_id = r.user_id WHERE m.user_id IS NULL")
    assert strangers == [(0,)]


def test_times_are_stored_as_the_repositories_write_them(dataset: Path) -> None:
    for table, column in (("users", "created_at"), ("actions", "starts_at"),
                          ("rsvps", "answered_at"), ("reminders", "due_at"),
                          ("reports", "held_at"), ("materials", "created_at")):
        for (text,) in rows(dataset, f"SELECT {column} FROM {table} LIMIT 50"):
            from_db_time(str(text))
    # Reports come after their action, and reminders due before NOW are done.
    assert rows(dataset, "SELECT COUNT(*) FROM reports r JOIN actions a ON a.id = r.action_id"
                         " WHERE r.created_at < a.ends_at OR a.status <> 'scheduled'") == [(0,)]
    pending_past = rows(dataset, "SELECT COUNT(*) FROM reminders WHERE state = 'pending'"
                                 f" AND due_at <= '{NOW.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}'")
    assert pending_past == [(0,)]


async def test_the_repositories_read_the_rows(dataset: Path) -> None:
    db = await open_database(dataset)
    try:
        repos = Repositories(db)
        page = await repos.committees.search(
            postal_code=None, departement=None, query_key=None, limit=5, offset=0)
        assert len(page.listings) == 5
        assert page.more
        for action_id in range(1, TINY.actions + 1, 7):
            action = await repos.actions.get(action_id)
            assert action is not None
            await repos.rsvps.counts(action_id)
            await repos.reminders.of_action(action_id)
            await repos.reports.for_action(action_id)
        for material_id in range(1, TINY.materials + 1):
            assert await repos.materials.get(material_id) is not None
        assert await repos.users.find(PLATFORM, "u1") is not None
    finally:
        await db.close()


def test_the_same_seed_gives_the_same_rows(dataset: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    generate(again, TINY, stream=io.StringIO())

    def digest(path: Path) -> str:
        found = hashlib.sha256()
        for table in ("users", "committees", "memberships", "actions", "rsvps", "reports",
                      "materials"):
            for row in rows(path, f"SELECT * FROM {table} ORDER BY rowid"):
                found.update(repr(row).encode())
        return found.hexdigest()

    assert digest(again) == digest(dataset)
    assert read_mark(again) == read_mark(dataset)


def test_another_file_is_never_overwritten(tmp_path: Path) -> None:
    precious = tmp_path / "comites.db"
    connection = sqlite3.connect(precious)
    connection.execute("CREATE TABLE keep (x)")
    connection.close()
    with pytest.raises(NotADataset):
        generate(precious, TINY, stream=io.StringIO())
    assert rows(precious, "SELECT name FROM sqlite_master") == [("keep",)]
