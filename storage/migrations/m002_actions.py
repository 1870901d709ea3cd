"""Field actions, their series, RSVPs and attendance, reminders, campaigns."""

from storage.db import Database

DESCRIPTION = "actions, series, rsvps, reminders, campaigns"

STATEMENTS = (
    """CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        goals TEXT NOT NULL DEFAULT '{}',
        created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        committee_id INTEGER NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
        repeat TEXT NOT NULL CHECK (repeat IN ('weekly', 'biweekly', 'monthly')),
        until_at TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        committee_id INTEGER NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
        series_id INTEGER REFERENCES series (id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '',
        capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
        campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
        status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        cancel_reason TEXT,
        silence_warned INTEGER NOT NULL DEFAULT 0,
        created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX actions_committee_start ON actions (committee_id, starts_at)",
    "CREATE INDEX actions_start ON actions (starts_at)",
    "CREATE INDEX actions_series ON actions (series_id, starts_at)",
    "CREATE INDEX actions_campaign ON actions (campaign_id)",
    # answer: going, maybe, no, or waitlist (wanted to go, no place yet).
    # attended: NULL until check-in is closed, then 1 (came) or 0 (no-show).
    """CREATE TABLE rsvps (
        action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        answer TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no', 'waitlist')),
        answered_at TEXT NOT NULL,
        attended INTEGER CHECK (attended IS NULL OR attended IN (0, 1)),
        PRIMARY KEY (action_id, user_id)
    )""",
    "CREATE INDEX rsvps_user ON rsvps (user_id)",
    "CREATE INDEX rsvps_answer ON rsvps (action_id, answer, answered_at)",
    # One row per action and kind of reminder; the database decides what is due.
    """CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('day_before', 'hour_before', 'report_prompt')),
        due_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'claimed', 'sent', 'skipped', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at TEXT,
        done_at TEXT,
        UNIQUE (action_id, kind)
    )""",
    "CREATE INDEX reminders_due ON reminders (state, due_at)",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
