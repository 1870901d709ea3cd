"""One SQLite connection, serialised per task, with one transaction per unit of work.

A command's statements are short: a few rows found by index, well under a millisecond. They
run on the event loop itself, because handing each one to another thread and back costs
more than the statement (about 60 µs a trip, eight or nine trips a command). Reads that go
over a whole table or a whole period (the digest, the export, a backup) run in aiosqlite's
thread instead, through :meth:`Database.scan`, :meth:`Database.stream` and
:meth:`Database.backup`, so that they never hold the loop. Both use the one connection, and
never at the same time: every access holds the database's lock.
"""

from __future__ import annotations

import asyncio
import logging
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
    # The log is copied back into the database file by a `Checkpointer`, in its own thread,
    # rather than by whichever commit happens to find it long.
    "PRAGMA wal_autocheckpoint = 0",
)

# Commits between two checkpoints: a few hundred pages of log at most (SQLite's own
# default waits for a thousand).
CHECKPOINT_EVERY = 100

# UPDATE ... RETURNING (SQLite 3.35, and PostgreSQL) changes many rows and says which.
RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)

log = logging.getLogger(__name__)

# Rows handed over per trip when a long read is streamed (see `Database.stream`).
STREAM_BATCH = 5_000


def as_dict(row: sqlite3.Row) -> dict[str, Any]:
    """A row as a dict (twice as fast as dict(row), which looks each name up)."""
    return dict(zip(row.keys(), row, strict=True))


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db_time(moment: datetime) -> str:
    """Timestamps are stored as ISO 8601 in UTC, which sorts as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"  # "+00:00" written "Z"


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Database:
    """The process's connection to its SQLite file.

    Every access holds an asyncio lock, so that one task's transaction (:meth:`unit`)
    never sees another's uncommitted rows on the shared connection, nor runs its
    statements.
    """

    def __init__(self, connection: sqlite3.Connection, worker: aiosqlite.Connection,
                 path: str) -> None:
        self._conn = connection
        self._worker = worker
        self.path = path
        self._lock = _ReentrantLock()
        self._depth = 0  # savepoints open in the current unit
        self.checkpointer = Checkpointer(path)

    def unit(self) -> Unit:
        """A transaction: committed when the block ends, rolled back when it raises.

        A unit inside another is a savepoint: when it raises, its own writes are undone and
        the outer unit goes on (and commits, unless the error reaches it too).
        """
        return Unit(self)

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        if self._lock.held_by_current_task():
            yield
        else:
            async with self._lock:
                yield

    # A statement outside a unit of work needs no BEGIN and COMMIT of its own (SQLite
    # commits it by itself), only the lock, so that it never lands inside another task's
    # transaction. The lock is free unless another task is inside a unit that awaits
    # something else (a platform call); the usual path is one check and the statement.

    def _free(self) -> bool:
        return self._lock.held_by_current_task() or not self._lock.locked()

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the last inserted row id."""
        if self._free():
            return self._conn.execute(sql, params).lastrowid or 0
        async with self._locked():
            return self._conn.execute(sql, params).lastrowid or 0

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        if self._free():
            return self._conn.execute(sql, params).rowcount
        async with self._locked():
            return self._conn.execute(sql, params).rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        if self._lock.held_by_current_task():  # inside a unit, which is all or nothing
            self._conn.executemany(sql, rows)
            return
        # In a transaction even alone: without one, SQLite would commit row by row.
        async with self.unit():
            self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        if self._free():
            return self._conn.execute(sql, params).fetchall()
        async with self._locked():
            return self._conn.execute(sql, params).fetchall()

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query that returns one (or a few)."""
        if self._free():
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row
        async with self._locked():
            row = self._conn.execute(sql, params).fetchone()
            return row

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def insert_returning(
        self, sql: str, params: Params, *, table: str, columns: str
    ) -> sqlite3.Row:
        """Insert one row and read it back, defaults filled in.

        By its row id rather than with RETURNING: on the loop, the second statement costs
        less than what RETURNING adds to the first (SQLite buffers the returned rows).
        """
        async with self._locked():
            row_id = self._conn.execute(sql, params).lastrowid
            row: sqlite3.Row | None = self._conn.execute(
                f"SELECT {columns} FROM {table} WHERE rowid = ?", (row_id,)).fetchone()
        assert row is not None
        return row

    # Long reads, in aiosqlite's thread: the loop goes on serving other work meanwhile
    # (whatever needs the database waits for the lock).

    async def scan(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All the rows of a query that reads much of a table (a digest, a report)."""
        async with self._locked():
            rows = await self._worker.execute_fetchall(sql, params)
        return rows if isinstance(rows, list) else list(rows)

    async def stream(self, sql: str, params: Params = ()) -> AsyncIterator[Sequence[Any]]:
        """The column names, then every row, fetched in batches in aiosqlite's thread.

        The lock is held until the iteration ends: call it inside a unit of work to read
        several tables from one snapshot.
        """
        async with self._locked():
            cursor = await self._worker.execute(sql, params)
            try:
                yield tuple(column[0] for column in cursor.description)
                while batch := await cursor.fetchmany(STREAM_BATCH):
                    for row in batch:
                        yield tuple(row)
            finally:
                await cursor.close()

    async def backup(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._locked():
            dest = sqlite3.connect(target)
            try:
                await self._worker.backup(dest)
            finally:
                dest.close()

    async def close(self) -> None:
        await self.checkpointer.close()
        async with self._locked():
            await self._worker.close()


class Unit:
    """`Database.unit()`: a plain class, as every command enters two."""

    __slots__ = ("_db", "_savepoint")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._savepoint: str | None = None

    async def __aenter__(self) -> Database:
        db = self._db
        if db._lock.held_by_current_task():
            db._depth += 1
            self._savepoint = f"unit_{db._depth}"
            db._conn.execute(f"SAVEPOINT {self._savepoint}")
            return db
        await db._lock.acquire()
        try:
            db._conn.execute("BEGIN")
        except BaseException:
            db._lock.release()
            raise
        return db

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        db, name = self._db, self._savepoint
        if name is not None:
            try:
                if kind is not None:
                    db._conn.execute(f"ROLLBACK TO {name}")
                db._conn.execute(f"RELEASE {name}")
            finally:
                db._depth -= 1
            return
        try:
            if kind is None:
                try:
                    db._conn.commit()
                except BaseException:
                    db._conn.rollback()
                    raise
                db.checkpointer.wrote()
            else:
                db._conn.rollback()
        finally:
            db._lock.release()


class Checkpointer:
    """Copies the write-ahead log back into the database file, off the event loop.

    A checkpoint can take a few milliseconds (tens, after a large write). Left to SQLite,
    it is paid by the commit that finds the log long, in the middle of someone's command.
    Here it runs every `CHECKPOINT_EVERY` commits in a thread of its own, on a connection of
    its own, in PASSIVE mode: it copies what it can without waiting for, or blocking, the
    bot's readers and writers.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._writes = 0
        self._connection: sqlite3.Connection | None = None
        self._running: asyncio.Task[None] | None = None

    def wrote(self) -> None:
        self._writes += 1
        if self._writes >= CHECKPOINT_EVERY and self._running is None and (
                self._path != ":memory:"):
            self._writes = 0
            self._running = asyncio.create_task(asyncio.to_thread(self._checkpoint))
            self._running.add_done_callback(self._done)

    def _checkpoint(self) -> None:
        if self._connection is None:
            self._connection = sqlite3.connect(self._path, check_same_thread=False)
        self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running = None
        if not task.cancelled() and task.exception() is not None:
            # Nothing is lost: the log stays, and the next checkpoint (or closing the
            # database) copies it.
            log.warning("checkpoint failed: %s", task.exception())

    async def settled(self) -> None:
        """Wait for the checkpoint under way, if any."""
        if self._running is not None:
            await asyncio.gather(self._running, return_exceptions=True)

    async def close(self) -> None:
        await self.settled()
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _ReentrantLock:
    """An asyncio lock that the task holding it may enter again."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    def held_by_current_task(self) -> bool:
        return self._holder is not None and self._holder is asyncio.current_task()

    def locked(self) -> bool:
        return self._lock.locked()

    async def acquire(self) -> None:
        await self._lock.acquire()
        self._holder = asyncio.current_task()

    def release(self) -> None:
        self._holder = None
        self._lock.release()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


async def open_database(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database file, set the pragmas and migrate it."""
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    opened: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        # Opened in aiosqlite's thread, used from the loop too (never both at once).
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        opened.append(connection)
        return connection

    worker = await aiosqlite.Connection(connect, iter_chunk_size=64)
    connection = opened[0]
    connection.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        connection.execute(pragma)
    db = Database(connection, worker, path)
    if migrate:
        from storage.migrations import upgrade

        try:
            await upgrade(db)
        except BaseException:
            # A refused or failed migration must not leave the file open behind the error.
            await worker.close()
            raise
    return db
