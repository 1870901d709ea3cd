"""`python -m benchmarks generate`: a deterministic national-scale database.

The schema comes from the real migrations; the rows go in through bulk SQL, one
transaction and one `executemany` per table, in the formats the repositories read
(`storage.db.to_db_time`, slugs and keys as `commands/committees/naming.py` makes them).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from benchmarks.progress import Progress, tracked
from benchmarks.scale import NOW, PLATFORM, SEED, Scale
from benchmarks.world import Action, World, spread
from commands.materials.common import search_key as material_key
from commands.settings import Settings
from storage.db import open_database, to_db_time

Row = Sequence[Any]
# Marks a file as a generated dataset, so that `generate` never overwrites anything else.
MARK = "dataset"

T = to_db_time


class NotADataset(Exception):
    pass


def generate(path: Path, scale: Scale, *, seed: int = SEED,
             stream: TextIO | None = None) -> dict[str, float]:
    """Build the dataset at `path` (replacing an earlier one); returns rows per table."""
    started = time.perf_counter()
    _clear(path)
    asyncio.run(_migrate(path))
    world = World(scale, seed)
    rng = random.Random(seed + 1)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # A dataset is rebuilt rather than recovered: no journal while loading.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -262144")
        loader = _Loader(connection, stream)
        _load(loader, world, rng)
        loader.insert("platform_state", ("platform", "key", "value"), [(
            PLATFORM, MARK, json.dumps({"scale": scale.name, "seed": seed, "now": T(NOW)}),
        )], progress=False)
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    loader.counts["seconds"] = round(time.perf_counter() - started, 1)
    return loader.counts


def _clear(path: Path) -> None:
    if path.exists():
        if read_mark(path) is None:
            raise NotADataset(f"{path} exists and is not a benchmark dataset: not replacing it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


def read_mark(path: Path) -> dict[str, Any] | None:
    """What `generate` wrote about a dataset (scale, seed, moment), or None."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT value FROM platform_state WHERE platform = ? AND key = ?",
                (PLATFORM, MARK)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return None if row is None else dict(json.loads(row[0]))


async def _migrate(path: Path) -> None:
    db = await open_database(path)
    await db.close()


class _Loader:
    def __init__(self, connection: sqlite3.Connection, stream: TextIO | None) -> None:
        self.connection = connection
        self.stream = stream
        self.counts: dict[str, float] = {}

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Row], *,
               total: int | None = None, progress: bool = True) -> None:
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        bar = Progress(table, total or 1, self.stream) if progress else None
        counted = _Counted(rows)
        self.connection.execute("BEGIN")
        self.connection.executemany(sql, tracked(counted, bar) if bar else counted)
        self.connection.execute("COMMIT")
        if bar is not None:
            bar.total = max(bar.total, counted.count)
            bar.close()
        self.counts[table] = self.counts.get(table, 0) + counted.count


class _Counted:
    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row


def _load(loader: _Loader, world: World, rng: random.Random) -> None:
    scale = world.scale
    committees = world.committees
    loader.insert("users", ("id", "platform", "platform_user_id", "locale", "created_at"), (
        (uid, PLATFORM, f"u{uid}", rng.choice((None,) * 18 + ("fr", "en")),
         T(world.user_created[uid])) for uid in range(1, scale.members + 1)
    ), total=scale.members)
    loader.insert("committees", (
        "id", "slug", "name", "name_key", "place", "postal_code", "departement", "description",
        "search_key", "timezone", "locale", "status", "hidden", "status_reason", "created_by",
        "created_at"), (
        (c.id, c.slug, c.name, c.name_key, c.place, c.postal_code, c.departement,
         f"Le comité local de {c.place}.", c.search_key, "Europe/Paris", c.locale, c.status,
         c.hidden, c.status_reason, c.lead, T(c.created_at)) for c in committees
    ), total=len(committees))
    loader.insert("committee_spaces", ("committee_id", "platform", "space_id"), (
        (c.id, PLATFORM, space_of(c.id)) for c in committees), total=len(committees))
    memberships = sorted(world.memberships, key=lambda m: (m.committee_id, m.user_id))
    loader.insert("memberships", ("committee_id", "user_id", "role", "joined_at"), (
        (m.committee_id, m.user_id, m.role, T(m.joined_at)) for m in memberships
    ), total=len(memberships))
    charter = Settings().organisation.charter_hash
    loader.insert("charter_acceptances", ("user_id", "committee_id", "charter_hash",
                                          "accepted_at"), (
        (c.lead, c.id, charter, T(c.created_at)) for c in committees), total=len(committees))
    staff = committees[0].lead
    loader.insert("campaigns", ("id", "slug", "name", "starts_at", "ends_at", "goals",
                                "created_by", "created_at"), (
        (c.id, c.slug, c.name, T(c.starts_at), T(c.ends_at), json.dumps(c.goals, sort_keys=True),
         staff, T(c.starts_at - timedelta(days=30))) for c in world.campaigns), progress=False)
    loader.insert("series", ("id", "committee_id", "repeat", "until_at", "created_at"), (
        (s.id, s.committee_id, s.repeat, T(s.until_at), T(s.created_at)) for s in world.series
    ), total=len(world.series))
    loader.insert("actions", (
        "id", "committee_id", "series_id", "kind", "title", "starts_at", "ends_at", "location",
        "details", "capacity", "campaign_id", "status", "cancel_reason", "created_by",
        "created_at"), (
        (a.id, a.committee_id, a.series_id, a.kind, a.title, T(a.starts_at), T(a.ends_at),
         a.location, a.details, a.capacity, a.campaign_id, a.status, a.cancel_reason,
         a.created_by, T(a.created_at)) for a in world.actions
    ), total=len(world.actions))
    came = _rsvps(loader, world, rng)
    loader.insert("reminders", ("action_id", "kind", "due_at", "state", "attempts",
                                "claimed_at", "done_at"),
                  _reminders(world.actions), total=3 * len(world.actions))
    _reports(loader, world, rng, came)
    _materials(loader, world, rng)


def space_of(committee_id: int) -> str:
    return f"{PLATFORM}-space-{committee_id}"


def _rsvps(loader: _Loader, world: World, rng: random.Random) -> dict[int, int]:
    """A million answers, from each committee's members; returns how many came per action."""
    members = {c.id: c.members for c in world.committees}
    actions = world.actions
    weights = [rng.lognormvariate(0, 0.6) for _ in actions]
    caps = [len(members[a.committee_id]) for a in actions]
    counts = spread(rng, world.scale.rsvps, weights, caps)
    came: dict[int, int] = {}

    def rows() -> Iterator[Row]:
        for action, count in zip(actions, counts, strict=True):
            latest = min(action.starts_at, NOW)
            answers = sorted(
                (rng.uniform(0, 1), user_id)
                for user_id in rng.sample(members[action.committee_id], count))
            ended = action.ends_at <= NOW
            going = attended = 0
            found = []
            for share, user_id in answers:
                answer = rng.choices(("going", "maybe", "no"), weights=(60, 22, 18))[0]
                if answer == "going" and action.capacity is not None \
                        and going >= action.capacity:
                    answer = "waitlist"
                if answer == "going":
                    going += 1
                present = None
                if ended and answer == "going":
                    present = rng.choices((1, 0, None), weights=(65, 25, 10))[0]
                    attended += present == 1
                at = action.created_at + (latest - action.created_at) * share
                found.append((action.id, user_id, answer, T(max(at, action.created_at)),
                              present))
            came[action.id] = attended
            found.sort(key=lambda row: row[1])
            yield from found

    loader.insert("rsvps", ("action_id", "user_id", "answer", "answered_at", "attended"),
                  rows(), total=world.scale.rsvps)
    return came


def _reminders(actions: Sequence[Action]) -> Iterator[Row]:
    """Three per action, as `plan_reminders` plans them: the past ones sent (or skipped)."""
    settings = Settings().reminders
    for action in actions:
        times = (
            ("day_before", action.starts_at - timedelta(hours=settings.day_before_hours)),
            ("hour_before", action.starts_at - timedelta(minutes=settings.hour_before_minutes)),
            ("report_prompt",
             action.ends_at + timedelta(minutes=settings.report_prompt_after_minutes)),
        )
        for kind, due in times:
            if action.status == "cancelled":
                yield action.id, kind, T(due), "cancelled", 0, None, None
            elif due > NOW:
                yield action.id, kind, T(due), "pending", 0, None, None
            else:
                done = T(due + timedelta(seconds=2))
                yield action.id, kind, T(due), "sent", 1, T(due), done


def _reports(loader: _Loader, world: World, rng: random.Random, came: dict[int, int]) -> None:
    prompt = timedelta(minutes=Settings().reminders.report_prompt_after_minutes)
    eligible = [a for a in world.actions
                if a.status == "scheduled" and a.ends_at + prompt <= NOW]
    chosen = rng.sample(eligible, min(world.scale.reports, len(eligible)))
    leads = {c.id: c.lead for c in world.committees}
    filed = []
    for action in chosen:
        created = min(action.ends_at + timedelta(hours=rng.uniform(1, 72)), NOW)
        filed.append((created, action))
    filed.sort(key=lambda item: (item[0], item[1].id))

    def rows() -> Iterator[Row]:
        for created, action in filed:
            figures = _figures(rng, action.kind, came.get(action.id) or rng.randint(2, 15))
            notes = "Bon accueil, beaucoup de questions sur le logement." \
                if rng.random() < 0.3 else ""
            yield (action.id, action.committee_id, action.kind, T(action.starts_at),
                   *(figures.get(name) for name in COUNTS), notes,
                   leads[action.committee_id], T(created), T(created))

    loader.insert("reports", ("action_id", "committee_id", "kind", "held_at", *COUNTS, "notes",
                              "reported_by", "created_at", "updated_at"),
                  rows(), total=len(filed))


COUNTS = ("attendees", "doors_knocked", "doors_opened", "conversations", "contacts",
          "leaflets", "calls_made", "calls_answered", "posters", "new_members")


def _figures(rng: random.Random, kind: str, attendees: int) -> dict[str, int]:
    """Plausible counts for the fields this kind of action takes (see reports/fields.py)."""
    figures = {"attendees": attendees}
    if kind == "door_to_door":
        knocked = rng.randint(40, 300)
        opened = rng.randint(knocked // 5, knocked // 2)
        talks = rng.randint(opened // 3, opened)
        figures |= {"doors_knocked": knocked, "doors_opened": opened, "conversations": talks,
                    "contacts": rng.randint(0, talks // 3)}
    elif kind == "leafleting":
        figures |= {"leaflets": rng.randint(200, 3_000), "conversations": rng.randint(5, 60)}
    elif kind == "phone_bank":
        made = rng.randint(50, 400)
        answered = rng.randint(made // 5, made // 2)
        figures |= {"calls_made": made, "calls_answered": answered,
                    "conversations": rng.randint(answered // 3, answered)}
    elif kind == "postering":
        figures["posters"] = rng.randint(10, 120)
    elif kind == "meeting":
        figures["new_members"] = rng.randint(0, min(5, attendees))
    return figures


TAGS = ("tract", "affiche", "porte-a-porte", "argumentaire", "programme", "phoning",
        "formation", "logement", "sante", "ecologie", "transports", "ecole")
TOPICS = ("Tract", "Affiche", "Argumentaire", "Guide", "Fiche", "Kit")


def _materials(loader: _Loader, world: World, rng: random.Random) -> None:
    """Links and kept files: most a committee's own, one in twenty national."""
    total = world.scale.materials
    blobs: list[Row] = []
    rows: list[Row] = []
    for number in range(1, total + 1):
        committee = None if rng.random() < 0.05 else rng.choice(world.committees)
        tags = tuple(rng.sample(TAGS, rng.randint(1, 3)))
        title = f"{rng.choice(TOPICS)} {tags[0]} n°{number}"
        since = committee.created_at if committee else NOW - timedelta(days=365)
        created = since + (NOW - since) * rng.random()
        url = sha = filename = None
        if rng.random() < 0.15:
            sha = hashlib.sha256(f"bench-blob-{number}".encode()).hexdigest()
            kind = rng.choice((("application/pdf", "pdf"), ("image/png", "png")))
            filename = f"{tags[0]}-{number}.{kind[1]}"
            blobs.append((sha, rng.randint(20_000, 5_000_000), kind[0], T(created)))
        else:
            url = f"https://example.org/materiel/{number}"
        sharer = rng.choice(committee.members) if committee else world.committees[0].lead
        roll = rng.random()
        rows.append((committee.id if committee else None, title, url, sha, filename,
                     " ".join(tags), material_key(title, tags), int(roll < 0.01),
                     int(0.01 <= roll < 0.02), sharer, T(created)))
    rows.sort(key=lambda row: row[-1])
    loader.insert("blobs", ("sha256", "size", "content_type", "created_at"), blobs,
                  total=len(blobs))
    loader.insert("materials", ("committee_id", "title", "url", "blob_sha256", "filename",
                                "tags", "search_key", "hidden", "removed", "shared_by",
                                "created_at"), rows, total=len(rows))


def describe(counts: dict[str, float]) -> str:
    seconds = counts.get("seconds", 0)
    tables = ", ".join(f"{table} {int(count):,}" for table, count in counts.items()
                       if table != "seconds")
    return f"{tables} in {seconds} s"
