"""Every table, whole, for `comites export`: a deployer's own copy of their data as CSV.

All tables are read in one transaction, so the files agree with each other even while the bot
writes (WAL readers see one snapshot). Rows are streamed in batches, never all in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from storage.db import Database


class TableReader:
    """Reads tables inside the export's transaction; see `ExportRepository.snapshot`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def tables(self) -> list[str]:
        # The catalogue is each backend's own (information_schema.tables on PostgreSQL);
        # the schema's migration bookkeeping is a table like any other and is exported too.
        rows = await self.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        return [str(row[0]) for row in rows]

    async def rows(self, table: str) -> AsyncIterator[Sequence[Any]]:
        """The table's column names first, then its rows, read in batches."""
        if table not in await self.tables():
            raise ValueError(f"no table {table!r}")
        async for row in self.db.stream(f'SELECT * FROM "{table}"'):
            yield row


class ExportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[TableReader]:
        async with self.db.unit():
            yield TableReader(self.db)
