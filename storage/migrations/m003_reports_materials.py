"""Field reports, the content-addressed blob store, shared materials."""

from storage.db import Database

DESCRIPTION = "reports, blobs, materials"

STATEMENTS = (
    # A file kept by the bot itself (never only a platform's expiring link), named by its hash.
    """CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # One report per action. Counts are NULL where the action's kind does not ask for them.
    # held_at repeats the action's start so digests read one table by period.
    """CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL UNIQUE REFERENCES actions (id) ON DELETE CASCADE,
        committee_id INTEGER NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        held_at TEXT NOT NULL,
        attendees INTEGER NOT NULL CHECK (attendees >= 0),
        doors_knocked INTEGER CHECK (doors_knocked >= 0),
        doors_opened INTEGER CHECK (doors_opened >= 0),
        conversations INTEGER CHECK (conversations >= 0),
        contacts INTEGER CHECK (contacts >= 0),
        leaflets INTEGER CHECK (leaflets >= 0),
        calls_made INTEGER CHECK (calls_made >= 0),
        calls_answered INTEGER CHECK (calls_answered >= 0),
        posters INTEGER CHECK (posters >= 0),
        new_members INTEGER CHECK (new_members >= 0),
        notes TEXT NOT NULL DEFAULT '',
        photo_sha256 TEXT REFERENCES blobs (sha256),
        reported_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX reports_held ON reports (held_at)",
    "CREATE INDEX reports_committee ON reports (committee_id, held_at)",
    # committee_id NULL: a national material, shared by staff with every committee.
    """CREATE TABLE materials (
        id INTEGER PRIMARY KEY,
        committee_id INTEGER REFERENCES committees (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        url TEXT,
        blob_sha256 TEXT REFERENCES blobs (sha256),
        filename TEXT,
        tags TEXT NOT NULL DEFAULT '',
        search_key TEXT NOT NULL,
        hidden INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        shared_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        CHECK (url IS NOT NULL OR blob_sha256 IS NOT NULL)
    )""",
    "CREATE INDEX materials_committee ON materials (committee_id, created_at)",
    "CREATE INDEX materials_blob ON materials (blob_sha256)",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
