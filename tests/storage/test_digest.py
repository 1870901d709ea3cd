"""The digest's SQL on its own: windows, week buckets, and the export's snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.digest import DigestRepository, Window
from storage.export import ExportRepository
from tests.commands.digest.world import build, paris

MONDAYS = [paris(11, 16, 0), paris(11, 23, 0), paris(11, 30, 0), paris(12, 7, 0)]


async def test_windows_must_not_overlap(db: Database) -> None:
    current = Window(paris(11, 30, 0), paris(12, 7, 0))
    overlapping = Window(paris(11, 23, 0), paris(12, 1, 0))

    with pytest.raises(ValueError, match="previous window"):
        await DigestRepository(db).active_committees(current, overlapping, None)


async def test_week_buckets_follow_the_boundaries(db: Database) -> None:
    await build(db)

    rows = await DigestRepository(db).actions_per_week(MONDAYS, None)

    per_week = {week: 0 for week in range(3)}
    for row in rows:
        per_week[row.week] += row.count
    # 16-22 November: the meeting of Sunday 22, 23:00; then the two weeks of world.py.
    assert per_week == {0: 1, 1: 5, 2: 10}
    assert await DigestRepository(db).actions_per_week(MONDAYS[:2], "75") == []


async def test_a_single_week(db: Database) -> None:
    await build(db)

    rows = await DigestRepository(db).actions_per_week(MONDAYS[2:], "75")

    assert {(row.week, row.kind, row.count) for row in rows} == {(0, "door_to_door", 2)}


async def test_the_export_reads_one_snapshot(db: Database) -> None:
    await build(db)
    export = ExportRepository(db)

    async with export.snapshot() as reader:
        tables = await reader.tables()
        assert "actions" in tables
        assert "schema_version" in tables
        rows = [row async for row in reader.rows("committees")]

    header, *committees = rows
    assert header[:3] == ("id", "slug", "name")
    assert len(committees) == 6
    with pytest.raises(ValueError, match="no table"):
        async with export.snapshot() as reader:
            _ = [row async for row in reader.rows("committees; DROP TABLE users")]


async def test_an_empty_database_has_zero_everywhere(db: Database) -> None:
    repo = DigestRepository(db)
    now = datetime(2026, 12, 7, tzinfo=UTC)
    current, previous = Window(now - timedelta(days=7), now), Window(
        now - timedelta(days=14), now - timedelta(days=7))

    held = await repo.held_by_kind(current, previous, None, phone_kind="phone_bank")

    assert held == {"current": {}, "previous": {}}
    assert await repo.active_committees(current, previous, "69") == {
        "current": 0, "previous": 0}
    assert (await repo.open_flags("69")).items == 0
    assert await repo.silent_committees(current, None, limit=3) == (0, [])
