"""Migrations: from empty to latest, idempotent, and refusing a database from the future."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from storage import Database, open_database
from storage.migrations import LATEST, MIGRATIONS, current_version, upgrade

SPINE_TABLES = {
    "users",
    "committees",
    "committee_spaces",
    "memberships",
    "charter_acceptances",
    "flags",
    "audit_log",
    "platform_state",
    "schema_version",
}


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row["name"] for row in rows}


@pytest.fixture
async def empty(tmp_path: Path) -> Database:
    database = await open_database(tmp_path / "empty.db", migrate=False)
    yield database  # type: ignore[misc]
    await database.close()


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    assert [migration.version for migration in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == LATEST
    for migration in MIGRATIONS:
        assert migration.description.strip()


async def test_an_unmigrated_database_is_empty(empty: Database) -> None:
    assert await tables(empty) == set()
    assert await current_version(empty) == 0


async def test_upgrade_from_empty_creates_every_table(empty: Database) -> None:
    applied = await upgrade(empty)
    assert applied == list(MIGRATIONS)
    assert await tables(empty) >= SPINE_TABLES
    assert await current_version(empty) == LATEST
    rows = await empty.fetchall("SELECT version, description, applied_at FROM schema_version"
                                " ORDER BY version")
    assert [(row["version"], row["description"]) for row in rows] == [
        (migration.version, migration.description) for migration in MIGRATIONS
    ]
    assert all(row["applied_at"].endswith("Z") for row in rows)


async def test_upgrade_twice_applies_nothing_the_second_time(empty: Database) -> None:
    await upgrade(empty)
    schema = await empty.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    assert await upgrade(empty) == []
    assert await empty.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name") == schema
    assert await empty.fetchval("SELECT COUNT(*) FROM schema_version") == len(MIGRATIONS)


async def test_open_database_migrates_and_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "data" / "comites.db"
    first = await open_database(path)
    assert path.exists()
    assert await current_version(first) == LATEST
    await first.execute("INSERT INTO platform_state (platform, key, value) VALUES ('t', 'k', 'v')")
    await first.close()

    second = await open_database(path)
    try:
        assert await current_version(second) == LATEST
        assert await second.fetchval("SELECT value FROM platform_state") == "v"
        assert await second.fetchval("SELECT COUNT(*) FROM schema_version") == len(MIGRATIONS)
    finally:
        await second.close()


async def test_upgrade_only_applies_the_missing_migrations(empty: Database) -> None:
    if len(MIGRATIONS) < 2:
        pytest.skip("needs at least two migrations")
    first = MIGRATIONS[0]
    await current_version(empty)
    async with empty.unit():
        await first.apply(empty)
        await empty.execute(
            "INSERT INTO schema_version (version, description, applied_at)"
            " VALUES (?, ?, '2026-01-01T00:00:00.000000Z')",
            (first.version, first.description),
        )
    applied = await upgrade(empty)
    assert applied == list(MIGRATIONS[1:])
    assert await current_version(empty) == LATEST


async def test_a_failing_migration_leaves_nothing_behind(empty: Database) -> None:
    await current_version(empty)

    async def broken_migration() -> None:
        async with empty.unit():
            await MIGRATIONS[0].apply(empty)
            await empty.execute("CREATE TABLE users (id INTEGER)")  # already exists

    with pytest.raises(sqlite3.OperationalError):
        await broken_migration()
    assert await tables(empty) == {"schema_version"}
    assert await current_version(empty) == 0


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = await open_database(path)
    await db.execute(
        "INSERT INTO schema_version (version, description, applied_at)"
        " VALUES (?, 'from the future', '2030-01-01T00:00:00.000000Z')",
        (LATEST + 1,),
    )
    await db.close()

    threads_before = threading.active_count()
    with pytest.raises(RuntimeError, match=f"schema version {LATEST + 1}, newer"):
        await open_database(path)
    # The refused connection was closed, not left running behind the error.
    for _attempt in range(50):
        if threading.active_count() <= threads_before:
            break
        await asyncio.sleep(0.01)
    assert threading.active_count() <= threads_before

    # Nothing was changed by the refusal.
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT MAX(version) FROM schema_version").fetchone() == (LATEST + 1,)
    finally:
        raw.close()


async def test_upgrade_refuses_a_newer_database_without_touching_it(empty: Database) -> None:
    await current_version(empty)
    await empty.execute(
        "INSERT INTO schema_version (version, description, applied_at)"
        " VALUES (?, 'x', '2030-01-01T00:00:00.000000Z')",
        (LATEST + 5,),
    )
    with pytest.raises(RuntimeError, match="newer than this program"):
        await upgrade(empty)
    assert await tables(empty) == {"schema_version"}
