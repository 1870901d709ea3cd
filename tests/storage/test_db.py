"""The connection: pragmas, units of work, isolation between tasks, online backup."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest

from storage import Database, open_database
from storage.db import CHECKPOINT_EVERY, from_db_time, to_db_time
from storage.migrations import LATEST, current_version, upgrade


async def state_count(db: Database) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM platform_state"))


async def put(db: Database, key: str, value: str = "v") -> None:
    await db.execute(
        "INSERT INTO platform_state (platform, key, value) VALUES ('test', ?, ?)", (key, value)
    )


# --- pragmas ----------------------------------------------------------------------------


async def test_pragmas_are_set_on_the_connection(db: Database) -> None:
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA synchronous") == 1  # NORMAL
    assert await db.fetchval("PRAGMA busy_timeout") > 0


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            "INSERT INTO memberships (committee_id, user_id, role, joined_at)"
            " VALUES (999, 999, 'member', '2026-01-01T00:00:00.000000Z')"
        )


async def test_the_wal_file_is_beside_the_database(db: Database) -> None:
    await put(db, "k")
    assert await asyncio.to_thread(Path(db.path + "-wal").exists)



async def test_the_log_is_copied_back_every_so_many_commits(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "c.db")
    main_file = tmp_path / "c.db"
    grew_at = []
    try:
        size = main_file.stat().st_size
        for number in range(3 * CHECKPOINT_EVERY):
            async with db.unit():
                await put(db, f"k{number}", "x" * 2000)
            await db.checkpointer.settled()
            if main_file.stat().st_size != size:
                grew_at.append(number)
                size = main_file.stat().st_size
    finally:
        await db.close()
    # Commits only write the log; every CHECKPOINT_EVERY of them, it is copied to the file.
    assert len(grew_at) >= 2
    assert {later - earlier for earlier, later in pairwise(grew_at)} == {CHECKPOINT_EVERY}


# --- time -------------------------------------------------------------------------------


def test_times_are_stored_in_utc_and_read_back() -> None:
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 1, 10, 30, 15, 123456, tzinfo=paris)
    text = to_db_time(moment)
    assert text == "2026-12-01T09:30:15.123456Z"
    assert from_db_time(text) == moment
    assert from_db_time(text).tzinfo is UTC


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_db_time(datetime(2026, 12, 1, 9, 0))


def test_stored_times_sort_as_text() -> None:
    base = datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    moments = [base + timedelta(microseconds=step * 7919) for step in range(-50, 50)]
    assert sorted(to_db_time(moment) for moment in moments) == [
        to_db_time(moment) for moment in sorted(moments)
    ]


# --- statements -------------------------------------------------------------------------


async def test_execute_returns_the_new_row_id(db: Database) -> None:
    first = await db.execute(
        "INSERT INTO users (platform, platform_user_id, created_at) VALUES ('t', 'a', 'x')"
    )
    second = await db.execute(
        "INSERT INTO users (platform, platform_user_id, created_at) VALUES ('t', 'b', 'x')"
    )
    assert second == first + 1


async def test_execute_rowcount_and_named_parameters(db: Database) -> None:
    await db.executemany(
        "INSERT INTO platform_state (platform, key, value) VALUES (:platform, :key, 'v')",
        [{"platform": "p", "key": str(n)} for n in range(5)],
    )
    changed = await db.execute_rowcount(
        "UPDATE platform_state SET value = 'w' WHERE platform = :platform", {"platform": "p"}
    )
    assert changed == 5
    assert await db.fetchval("SELECT COUNT(*) FROM platform_state WHERE value = 'w'") == 5


async def test_fetch_helpers_on_empty_results(db: Database) -> None:
    assert await db.fetchone("SELECT * FROM platform_state") is None
    assert await db.fetchall("SELECT * FROM platform_state") == []
    assert await db.fetchval("SELECT value FROM platform_state") is None


# --- units of work ----------------------------------------------------------------------


async def test_unit_commits_when_the_block_ends(db: Database) -> None:
    async with db.unit():
        await put(db, "a")
        await put(db, "b")
    assert await state_count(db) == 2


async def test_unit_rolls_back_on_exception(db: Database) -> None:
    seen: list[int] = []

    async def abandoned() -> None:
        async with db.unit():
            await put(db, "a")
            seen.append(await state_count(db))
            raise RuntimeError("abandon")

    with pytest.raises(RuntimeError):
        await abandoned()
    assert seen == [1]
    assert await state_count(db) == 0
    # The connection is usable afterwards, outside any transaction.
    await put(db, "b")
    assert await state_count(db) == 1


async def test_unit_rolls_back_on_a_failing_statement(db: Database) -> None:
    async def twice() -> None:
        async with db.unit():
            await put(db, "a")
            await put(db, "a")  # primary key taken

    with pytest.raises(sqlite3.IntegrityError):
        await twice()
    assert await state_count(db) == 0


async def test_unit_rolls_back_on_cancellation(db: Database) -> None:
    started = asyncio.Event()

    async def slow() -> None:
        async with db.unit():
            await put(db, "a")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await state_count(db) == 0


async def test_nested_units_join_the_outer_one(db: Database) -> None:
    async def abandoned() -> None:
        async with db.unit():
            async with db.unit():
                await put(db, "inner")
            # The inner unit did not commit on its own...
            await put(db, "outer")
            raise RuntimeError("abandon")

    with pytest.raises(RuntimeError):
        await abandoned()
    # ...so the outer rollback takes the inner write with it.
    assert await state_count(db) == 0


async def test_nested_unit_failure_rolls_back_the_whole_unit(db: Database) -> None:
    async def abandoned() -> None:
        async with db.unit():
            await put(db, "outer")
            async with db.unit():
                await put(db, "inner")
                raise RuntimeError("abandon")

    with pytest.raises(RuntimeError):
        await abandoned()
    assert await state_count(db) == 0


async def test_a_nested_unit_that_fails_undoes_only_its_own_writes(db: Database) -> None:
    async def refused() -> None:
        async with db.unit():
            await put(db, "inner")
            async with db.unit():
                await put(db, "innermost")
            raise RuntimeError("refused")

    async with db.unit():
        await put(db, "outer")
        with pytest.raises(RuntimeError):
            await refused()
        await put(db, "after")
    rows = await db.fetchall("SELECT key FROM platform_state ORDER BY key")
    assert [row["key"] for row in rows] == ["after", "outer"]


async def test_nested_units_commit_together(db: Database) -> None:
    async with db.unit() as outer:
        async with outer.unit() as inner:
            assert inner is outer
            await put(db, "inner")
        await put(db, "outer")
    assert await state_count(db) == 2


async def test_concurrent_units_do_not_see_uncommitted_rows(db: Database) -> None:
    written = asyncio.Event()
    events: list[str] = []
    seen: list[int] = []

    async def writer() -> None:
        try:
            async with db.unit():
                await put(db, "uncommitted")
                written.set()
                # Give the reader every chance to run while the row is uncommitted.
                for _step in range(5):
                    await asyncio.sleep(0.01)
                raise RuntimeError("abandon")
        finally:
            events.append("writer done")

    async def reader() -> None:
        await written.wait()
        async with db.unit():
            seen.append(await state_count(db))
        events.append("reader done")

    results = await asyncio.gather(writer(), reader(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert seen == [0]
    assert events == ["writer done", "reader done"]


async def test_concurrent_reader_sees_rows_once_committed(db: Database) -> None:
    written = asyncio.Event()
    seen: list[int] = []

    async def writer() -> None:
        async with db.unit():
            await put(db, "a")
            written.set()
            await asyncio.sleep(0.02)
            await put(db, "b")

    async def reader() -> None:
        await written.wait()
        seen.append(await state_count(db))

    await asyncio.gather(writer(), reader())
    # Never the half-written state with only "a".
    assert seen == [2]


async def test_many_concurrent_units_all_commit(db: Database) -> None:
    async def one(n: int) -> None:
        async with db.unit():
            await put(db, f"{n}-a")
            await asyncio.sleep(0)
            await put(db, f"{n}-b")

    await asyncio.gather(*(one(n) for n in range(30)))
    assert await state_count(db) == 60


# --- backup -----------------------------------------------------------------------------


class Writer:
    """Keeps writing two rows per unit of work until stopped; says when it reached a count."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.written = 0
        self.stop = asyncio.Event()
        self.reached = asyncio.Event()
        self.goal = 0

    async def wait_for(self, goal: int) -> None:
        self.goal = goal
        self.reached.clear()
        await asyncio.wait_for(self.reached.wait(), timeout=10)

    async def run(self) -> None:
        while not self.stop.is_set():
            # Two rows per unit: a consistent copy holds both or neither.
            async with self.db.unit():
                await put(self.db, f"{self.written:05d}-a")
                await asyncio.sleep(0)
                await put(self.db, f"{self.written:05d}-b")
            self.written += 1
            if self.written >= self.goal:
                self.reached.set()
            await asyncio.sleep(0)


async def test_backup_while_another_task_keeps_writing(db: Database, tmp_path: Path) -> None:
    writer = Writer(db)
    task = asyncio.create_task(writer.run())
    try:
        await writer.wait_for(20)
        target = tmp_path / "backups" / "copy.db"
        await db.backup(target)
        await writer.wait_for(writer.written + 20)
    finally:
        writer.stop.set()
        await task

    live = [tuple(row) for row in await db.fetchall("SELECT * FROM platform_state ORDER BY key")]
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        backed = copy.execute("SELECT * FROM platform_state ORDER BY key").fetchall()
        versions = copy.execute("SELECT MAX(version) FROM schema_version").fetchone()
    finally:
        copy.close()

    assert len(backed) % 2 == 0
    assert len(backed) >= 40
    # The copy is exactly the live rows as they were at that moment: a prefix of them.
    assert backed == live[: len(backed)]
    assert len(live) > len(backed)
    assert versions == (LATEST,)


async def test_backup_can_be_opened_as_a_database(db: Database, tmp_path: Path) -> None:
    await put(db, "kept", "value")
    target = tmp_path / "copy.db"
    await db.backup(target)
    copy = await open_database(target, migrate=False)
    try:
        assert await current_version(copy) == LATEST
        assert await upgrade(copy) == []
        assert await copy.fetchval("SELECT value FROM platform_state WHERE key = 'kept'") == "value"
    finally:
        await copy.close()


async def test_backup_overwrites_an_older_copy(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    await put(db, "first")
    await db.backup(target)
    await put(db, "second")
    await db.backup(target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT COUNT(*) FROM platform_state").fetchone() == (2,)
    finally:
        copy.close()
