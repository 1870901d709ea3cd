"""What the committee tests share: running commands in English, reading what was stored."""

from __future__ import annotations

import re
from typing import Any

from storage.audit import AuditEntry
from storage.committees import Committee
from storage.db import Database
from storage.memberships import MemberRole
from storage.users import User
from tests.conftest import Harness, Said

SLUG_IN_LINE = re.compile(r"· id ([a-z0-9-]+)$")


def space(slug: str) -> str:
    """The recording platform names a committee's space after its slug."""
    return f"space-{slug}"


async def ok(harness: Harness, user: str, line: str, *, space: str | None = None) -> Said:
    said = await harness.say(user, line, space=space, locale="en")
    assert said.ok, said.text
    return said


async def refused(harness: Harness, user: str, line: str, *, space: str | None = None) -> Said:
    said = await harness.say(user, line, space=space, locale="en")
    assert not said.ok, said.text
    return said


async def known(harness: Harness, *users: str) -> None:
    """Have each person type a harmless command, so the bot knows them (a users row)."""
    for user in users:
        await ok(harness, user, "help")


async def create(
    harness: Harness, user: str, name: str, place: str, postal_code: str, *extra: str
) -> Committee:
    """Create a committee (it must succeed) and return it as stored."""
    line = " ".join([f'committee create "{name}" "{place}" {postal_code}', *extra])
    await ok(harness, user, line)
    newest = await harness.db.fetchval("SELECT slug FROM committees ORDER BY id DESC LIMIT 1")
    committee = await harness.repos.committees.by_slug(newest)
    assert committee is not None
    return committee


async def committee(harness: Harness, slug: str) -> Committee:
    found = await harness.repos.committees.by_slug(slug)
    assert found is not None, slug
    return found


async def user(harness: Harness, name: str) -> User:
    found = await harness.repos.users.find(harness.platform.name, name)
    assert found is not None, name
    return found


async def role(harness: Harness, slug: str, name: str) -> MemberRole | None:
    """The stored role of `name` in the committee, None when not a member."""
    found = await harness.repos.users.find(harness.platform.name, name)
    if found is None:
        return None
    membership = await harness.repos.memberships.get((await committee(harness, slug)).id, found.id)
    return None if membership is None else membership.role


async def audit(harness: Harness, action: str | None = None) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally only one kind of action."""
    entries = list(reversed(await harness.repos.audit.recent(limit=10_000)))
    return [entry for entry in entries if action is None or entry.action == action]


async def count(harness: Harness, table: str) -> int:
    return int(await harness.db.fetchval(f'SELECT COUNT(*) FROM "{table}"'))


async def row_counts(db: Database) -> dict[str, int]:
    """How many rows every table holds."""
    return {
        table: int(await db.fetchval(f'SELECT COUNT(*) FROM "{table}"'))
        for table in await _tables(db)
    }


async def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare a database before and after a command.

    The per-minute command counter is the one value left out: every command counts toward
    the rate limit, refused ones included (otherwise a flood of refusals would be free), so
    only which counters exist is compared, not their values.
    """
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in await _tables(db):
        columns = "user_id, bucket" if table == "rate_limits" else "*"
        rows = await db.fetchall(f'SELECT {columns} FROM "{table}" ORDER BY rowid')
        tables[table] = [tuple(row) for row in rows]
    return tables


async def _tables(db: Database) -> list[str]:
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    return [row[0] for row in rows]


def listed_slugs(said: Said) -> list[str]:
    """The committee ids a `committee list` answer shows, in order."""
    return [
        match.group(1)
        for line in said.text.splitlines()
        if (match := SLUG_IN_LINE.search(line))
    ]
