"""One SQLite connection, serialised per task, with one transaction per unit of work."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 5000",
)

# INSERT/UPDATE ... RETURNING (SQLite 3.35, and PostgreSQL) writes and reads in one trip.
RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db_time(moment: datetime) -> str:
    """Timestamps are stored as ISO 8601 in UTC, which sorts as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class Database:
    """The process's connection to its SQLite file.

    Every access holds an asyncio lock, so that one task's transaction (:meth:`unit`)
    never sees another's uncommitted rows on the shared connection, nor runs its
    statements.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._conn = connection
        self.path = path
        self._lock = _ReentrantLock()

    @property
    def connection(self) -> aiosqlite.Connection:
        return self._conn

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Database]:
        """A transaction: committed when the block ends, rolled back when it raises."""
        if self._lock.held_by_current_task():
            yield self
            return
        async with self._lock:
            await self._conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                await self._conn.rollback()
                raise
            else:
                await self._conn.commit()

    # A statement outside a unit of work needs no BEGIN and COMMIT of its own (SQLite
    # commits it by itself), only the lock, so that it never lands inside another task's
    # transaction. Each call is one trip to aiosqlite's thread: the statement runs, and its
    # rows (or its row id, or its count) come back together.

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the last inserted row id."""
        if self._lock.held_by_current_task():
            cursor = await self._conn.execute(sql, params)
        else:
            async with self._lock:
                cursor = await self._conn.execute(sql, params)
        return cursor.lastrowid or 0

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        if self._lock.held_by_current_task():
            cursor = await self._conn.execute(sql, params)
        else:
            async with self._lock:
                cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        # In a transaction even alone: without one, SQLite would commit row by row.
        async with self.unit():
            await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query that returns one (or a few)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        if self._lock.held_by_current_task():
            rows = await self._conn.execute_fetchall(sql, params)
        else:
            async with self._lock:
                rows = await self._conn.execute_fetchall(sql, params)
        return rows if isinstance(rows, list) else list(rows)

    async def insert_returning(
        self, sql: str, params: Params, *, table: str, columns: str
    ) -> sqlite3.Row:
        """Insert one row and read it back, defaults filled in: in one trip where SQLite
        has RETURNING, else by its row id."""
        if RETURNING:
            row = await self.fetchone(f"{sql} RETURNING {columns}", params)
        else:
            async with self.unit():
                row_id = await self.execute(sql, params)
                row = await self.fetchone(
                    f"SELECT {columns} FROM {table} WHERE rowid = ?", (row_id,))
        assert row is not None
        return row

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def backup(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = sqlite3.connect(target)
            try:
                await self._conn.backup(dest)
            finally:
                dest.close()

    async def close(self) -> None:
        await self._conn.close()


class _ReentrantLock:
    """An asyncio lock that the task holding it may enter again."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    def held_by_current_task(self) -> bool:
        return self._holder is not None and self._holder is asyncio.current_task()

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        self._holder = asyncio.current_task()

    async def __aexit__(self, *exc: object) -> None:
        self._holder = None
        self._lock.release()


async def open_database(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database file, set the pragmas and migrate it."""
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        await connection.execute(pragma)
    db = Database(connection, path)
    if migrate:
        from storage.migrations import upgrade

        try:
            await upgrade(db)
        except BaseException:
            # A refused or failed migration must not leave the file open behind the error.
            await connection.close()
            raise
    return db
