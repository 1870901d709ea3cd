"""Numbered, append-only migrations. A shipped migration is never edited: add the next one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from storage.db import Database, to_db_time, utc_now
from storage.migrations import (
    m001_initial,
    m002_actions,
    m003_reports_materials,
    m004_search_indexes,
    m005_digest_indexes,
    m006_rate_limits_in_memory,
)

Step = Callable[[Database], Awaitable[None]]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Step


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, m001_initial.DESCRIPTION, m001_initial.apply),
    Migration(2, m002_actions.DESCRIPTION, m002_actions.apply),
    Migration(3, m003_reports_materials.DESCRIPTION, m003_reports_materials.apply),
    Migration(4, m004_search_indexes.DESCRIPTION, m004_search_indexes.apply),
    Migration(5, m005_digest_indexes.DESCRIPTION, m005_digest_indexes.apply),
    Migration(6, m006_rate_limits_in_memory.DESCRIPTION, m006_rate_limits_in_memory.apply),
)

LATEST = MIGRATIONS[-1].version


async def current_version(db: Database) -> int:
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY,"
        " description TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    version = await db.fetchval("SELECT MAX(version) FROM schema_version")
    return int(version or 0)


async def upgrade(db: Database) -> list[Migration]:
    """Apply every migration newer than the database, each in its own transaction."""
    applied: list[Migration] = []
    version = await current_version(db)
    if version > LATEST:
        raise RuntimeError(
            f"the database is at schema version {version}, newer than this program ({LATEST})"
        )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        async with db.unit():
            await migration.apply(db)
            await db.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, to_db_time(utc_now())),
            )
        applied.append(migration)
    return applied
