"""Everything stored about one person: gathered to hand it over, or erased to forget them.

Political opinion is special-category data under the GDPR: a membership or an RSVP says what
someone supports. `USER_COLUMNS` lists every column that holds a `users.id`, with what
forgetting does to it; a test compares it with the schema, so a new table that points at
users fails until it is listed here. Ids also hide in audit snapshots (JSON), platform state
(a direct room kept under someone's platform id) and free text (a mention in a description):
`forget` takes them out of those too.
"""

from __future__ import annotations

import contextlib
import json
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict


class Fate(StrEnum):
    # The row is about the person (a membership, an answer): it goes.
    DELETE = "delete"
    # The row is the movement's record (a report, a flag): it stays, without its author,
    # so totals do not change.
    NULLIFY = "nullify"


# (table, column holding users.id, what forgetting does)
USER_COLUMNS: tuple[tuple[str, str, Fate], ...] = (
    ("memberships", "user_id", Fate.DELETE),
    ("rsvps", "user_id", Fate.DELETE),
    ("charter_acceptances", "user_id", Fate.DELETE),
    ("committees", "created_by", Fate.NULLIFY),
    ("campaigns", "created_by", Fate.NULLIFY),
    ("actions", "created_by", Fate.NULLIFY),
    ("flags", "flagged_by", Fate.NULLIFY),
    ("flags", "reviewed_by", Fate.NULLIFY),
    ("reports", "reported_by", Fate.NULLIFY),
    ("materials", "shared_by", Fate.NULLIFY),
    ("audit_log", "actor_id", Fate.NULLIFY),
)

# (table, kind column, id column, what forgetting does) where the id is a user's when the
# kind is 'user': an audit entry about someone, a flag about someone.
USER_TARGETS: tuple[tuple[str, str, str, Fate], ...] = (
    ("audit_log", "target_kind", "target_id", Fate.NULLIFY),
    ("flags", "target_kind", "target_id", Fate.DELETE),
)

# Free text other people wrote may name the person (a mention, "<@123>", "@ana:example.org"):
# the mention is replaced, the text stays. Every table here has an `id` primary key.
FREE_TEXT: tuple[tuple[str, str], ...] = (
    ("committees", "description"),
    ("committees", "status_reason"),
    ("actions", "title"),
    ("actions", "location"),
    ("actions", "details"),
    ("actions", "cancel_reason"),
    ("flags", "reason"),
    ("reports", "notes"),
    ("materials", "title"),
)

# Audit snapshots are JSON; these keys hold a user id ("user": 12, "created_by": 12).
_USER_KEYS = frozenset({"user", "user_id", "actor", "actor_id", "member"})
FORGOTTEN = "[forgotten]"


def is_user_key(key: str) -> bool:
    return key in _USER_KEYS or key.endswith("_by")


class Identity(BaseModel):
    """Who to export or forget: the users row and the platform identity it stands for."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    platform: str
    platform_user_id: str


Rows = list[dict[str, Any]]


class PersonalData(BaseModel):
    """What `privacy export` hands over; times as stored (ISO 8601, UTC)."""

    model_config = ConfigDict(frozen=True)

    user: dict[str, Any]
    memberships: Rows
    charter_acceptances: Rows
    rsvps: Rows
    committees_created: Rows
    actions_created: Rows
    campaigns_created: Rows
    flags_filed: Rows
    flags_reviewed: Rows
    reports_written: Rows
    materials_shared: Rows
    audit_log: Rows
    platform_state: Rows


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- Export ---------------------------------------------------------------------------

    async def export(self, who: Identity) -> PersonalData:
        uid = who.user_id
        user = await self.db.fetchone(
            "SELECT id, platform, platform_user_id, locale, created_at FROM users WHERE id = ?",
            (uid,),
        )
        return PersonalData(
            user={} if user is None else dict(user),
            memberships=await self._rows(
                "SELECT c.slug AS committee, c.name AS committee_name, m.role, m.joined_at"
                " FROM memberships m JOIN committees c ON c.id = m.committee_id"
                " WHERE m.user_id = ? ORDER BY m.joined_at", (uid,)),
            charter_acceptances=await self._rows(
                "SELECT c.slug AS committee, c.name AS committee_name, a.charter_hash,"
                " a.accepted_at FROM charter_acceptances a"
                " LEFT JOIN committees c ON c.id = a.committee_id"
                " WHERE a.user_id = ? ORDER BY a.accepted_at", (uid,)),
            rsvps=[_attended(row) for row in await self._rows(
                "SELECT a.id AS action_id, a.title, a.kind, a.starts_at, a.ends_at,"
                " a.status AS action_status, c.slug AS committee, c.name AS committee_name,"
                " r.answer, r.answered_at, r.attended"
                " FROM rsvps r JOIN actions a ON a.id = r.action_id"
                " JOIN committees c ON c.id = a.committee_id"
                " WHERE r.user_id = ? ORDER BY a.starts_at", (uid,))],
            committees_created=await self._rows(
                "SELECT slug, name, place, postal_code, status, created_at FROM committees"
                " WHERE created_by = ? ORDER BY created_at", (uid,)),
            actions_created=await self._rows(
                "SELECT a.id, a.title, a.kind, a.starts_at, a.ends_at, a.status,"
                " c.slug AS committee, a.created_at FROM actions a"
                " JOIN committees c ON c.id = a.committee_id"
                " WHERE a.created_by = ? ORDER BY a.starts_at", (uid,)),
            campaigns_created=await self._rows(
                "SELECT slug, name, starts_at, ends_at, created_at FROM campaigns"
                " WHERE created_by = ? ORDER BY created_at", (uid,)),
            # Flags they filed, with their own reason; of those they reviewed, only the verdict
            # (the reason and its author belong to someone else).
            flags_filed=await self._rows(
                "SELECT id, target_kind, target_id, reason, status, created_at, reviewed_at"
                " FROM flags WHERE flagged_by = ? ORDER BY id", (uid,)),
            flags_reviewed=await self._rows(
                "SELECT id, target_kind, target_id, status, reviewed_at FROM flags"
                " WHERE reviewed_by = ? ORDER BY id", (uid,)),
            reports_written=await self._rows(
                "SELECT r.*, a.title AS action_title FROM reports r"
                " JOIN actions a ON a.id = r.action_id WHERE r.reported_by = ? ORDER BY r.id",
                (uid,)),
            materials_shared=await self._rows(
                "SELECT m.*, c.slug AS committee FROM materials m"
                " LEFT JOIN committees c ON c.id = m.committee_id"
                " WHERE m.shared_by = ? ORDER BY m.id", (uid,)),
            audit_log=[_only_theirs(row, who) for row in await self._rows(
                "SELECT id, actor_id, action, target_kind, target_id, committee_id, before,"
                " after, created_at FROM audit_log"
                " WHERE actor_id = ? OR (target_kind = 'user' AND target_id = ?) ORDER BY id",
                (uid, uid))],
            platform_state=[
                {"key": key, "value": value}
                for key, value in await self._platform_state_of(who)
            ],
        )

    async def _rows(self, sql: str, params: tuple[Any, ...]) -> Rows:
        return [as_dict(row) for row in await self.db.fetchall(sql, params)]

    # --- Forget ---------------------------------------------------------------------------

    async def going_to(self, user_id: int) -> list[int]:
        """Actions this person holds a place at: forgetting them frees it."""
        rows = await self.db.fetchall(
            "SELECT action_id FROM rsvps WHERE user_id = ? AND answer = 'going'"
            " ORDER BY action_id",
            (user_id,),
        )
        return [int(row[0]) for row in rows]

    async def forget(self, who: Identity) -> dict[str, int]:
        """Erase the person, in one transaction; returns rows touched, per table and column.

        Call it after the committees they lead have found a new lead (or were archived):
        memberships are deleted here, whatever their role.
        """
        uid = who.user_id
        touched: dict[str, int] = {}
        async with self.db.unit():
            for table, column, fate in USER_COLUMNS:
                if fate is Fate.DELETE:
                    sql = f"DELETE FROM {table} WHERE {column} = ?"
                else:
                    sql = f"UPDATE {table} SET {column} = NULL WHERE {column} = ?"
                touched[f"{table}.{column}"] = await self.db.execute_rowcount(sql, (uid,))
            for table, kind, column, fate in USER_TARGETS:
                where = f"WHERE {kind} = 'user' AND {column} = ?"
                if fate is Fate.DELETE:
                    sql = f"DELETE FROM {table} {where}"
                else:
                    sql = f"UPDATE {table} SET {column} = NULL {where}"
                touched[f"{table}.{column}"] = await self.db.execute_rowcount(sql, (uid,))
            for table, column in FREE_TEXT:
                touched[f"{table}.{column}"] = await self._scrub_text(table, column, who)
            touched["audit_log.json"] = await self._scrub_audit(who)
            touched["platform_state"] = await self._forget_platform_state(who)
            touched["users"] = await self.db.execute_rowcount(
                "DELETE FROM users WHERE id = ?", (uid,)
            )
        return touched

    async def _scrub_text(self, table: str, column: str, who: Identity) -> int:
        rows = await self.db.fetchall(
            f"SELECT id, {column} AS text FROM {table} WHERE {column} LIKE ? ESCAPE '\\'",
            (_contains(who.platform_user_id),),
        )
        word = _word(who.platform_user_id)
        changed = 0
        for row in rows:
            text = word.sub(FORGOTTEN, row["text"])
            if text != row["text"]:
                await self.db.execute(
                    f"UPDATE {table} SET {column} = ? WHERE id = ?", (text, row["id"])
                )
                changed += 1
        return changed

    async def _scrub_audit(self, who: Identity) -> int:
        """Take their id and platform id out of audit snapshots; the entries stay."""
        rows = await self.db.fetchall(
            "SELECT id, before, after FROM audit_log"
            " WHERE before LIKE ? ESCAPE '\\' OR after LIKE ? ESCAPE '\\'"
            " OR before LIKE ? ESCAPE '\\' OR after LIKE ? ESCAPE '\\'",
            (*[_contains(str(who.user_id))] * 2, *[_contains(who.platform_user_id)] * 2),
        )
        changed = 0
        for row in rows:
            before, after = _scrubbed(row["before"], who), _scrubbed(row["after"], who)
            if (before, after) != (row["before"], row["after"]):
                await self.db.execute(
                    "UPDATE audit_log SET before = ?, after = ? WHERE id = ?",
                    (before, after, row["id"]),
                )
                changed += 1
        return changed

    async def _platform_state_of(self, who: Identity) -> list[tuple[str, str]]:
        """State a platform keeps about this person (their direct room, a stored button)."""
        pattern = _contains(who.platform_user_id)
        rows = await self.db.fetchall(
            "SELECT key, value FROM platform_state WHERE platform = ?"
            " AND (key LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\') ORDER BY key",
            (who.platform, pattern, pattern),
        )
        # LIKE finds candidates; only whole identifiers count (user "12" is not in "4125").
        word = _word(who.platform_user_id)
        return [
            (row["key"], row["value"]) for row in rows
            if word.search(row["key"]) or word.search(row["value"])
        ]

    async def _forget_platform_state(self, who: Identity) -> int:
        keys = [key for key, _value in await self._platform_state_of(who)]
        for key in keys:
            await self.db.execute(
                "DELETE FROM platform_state WHERE platform = ? AND key = ?", (who.platform, key)
            )
        return len(keys)


# --- JSON snapshots -------------------------------------------------------------------------


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _word(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")


def _scrubbed(raw: str | None, who: Identity) -> str | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return _word(who.platform_user_id).sub(FORGOTTEN, raw)
    cleaned = _walk(value, who, keep_theirs=False)
    if cleaned == value:
        return raw
    return json.dumps(cleaned, ensure_ascii=False, sort_keys=True, default=str)


def _walk(value: Any, who: Identity, *, keep_theirs: bool, key: str | None = None) -> Any:
    """The JSON value with user ids taken out.

    keep_theirs=False (forget): their id and platform id go. keep_theirs=True (export):
    everyone else's ids go, theirs stays.
    """
    if isinstance(value, dict):
        return {k: _walk(v, who, keep_theirs=keep_theirs, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        walked = [_walk(item, who, keep_theirs=keep_theirs, key=key) for item in value]
        if key is not None and is_user_key(key):
            return [item for item in walked if item is not None]
        return walked
    if key is not None and is_user_key(key) and isinstance(value, int) and not isinstance(
        value, bool
    ):
        return value if (value == who.user_id) == keep_theirs else None
    if isinstance(value, str) and not keep_theirs:
        return _word(who.platform_user_id).sub(FORGOTTEN, value)
    return value


def _only_theirs(row: dict[str, Any], who: Identity) -> dict[str, Any]:
    """An audit entry as its export shows it: nobody else's user id in it."""
    if row["target_kind"] == "user" and row["target_id"] != who.user_id:
        row["target_id"] = None
    if row["actor_id"] != who.user_id:
        row["actor_id"] = None
    for key in ("before", "after"):
        if row[key] is not None:
            with contextlib.suppress(ValueError):
                row[key] = _walk(json.loads(row[key]), who, keep_theirs=True)
    return row


def _attended(row: dict[str, Any]) -> dict[str, Any]:
    if row["attended"] is not None:
        row["attended"] = bool(row["attended"])
    return row
