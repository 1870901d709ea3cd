"""Users, committees, memberships, charter, flags, audit, rate limits, platform state."""

from storage.db import Database

DESCRIPTION = "users, committees, memberships, charter, flags, audit log, rate limits, state"

STATEMENTS = (
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        platform_user_id TEXT NOT NULL,
        locale TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (platform, platform_user_id)
    )""",
    """CREATE TABLE committees (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        place TEXT NOT NULL,
        postal_code TEXT NOT NULL,
        departement TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        search_key TEXT NOT NULL,
        timezone TEXT NOT NULL,
        locale TEXT,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'suspended', 'archived')),
        hidden INTEGER NOT NULL DEFAULT 0,
        status_reason TEXT,
        created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )""",
    # A name may be reused in a postal code once the old committee is archived.
    """CREATE UNIQUE INDEX committees_live_name
        ON committees (postal_code, name_key) WHERE status <> 'archived'""",
    "CREATE INDEX committees_departement ON committees (departement, postal_code)",
    "CREATE INDEX committees_creator ON committees (created_by, created_at)",
    """CREATE TABLE committee_spaces (
        committee_id INTEGER NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
        platform TEXT NOT NULL,
        space_id TEXT NOT NULL,
        PRIMARY KEY (committee_id, platform),
        UNIQUE (platform, space_id)
    )""",
    """CREATE TABLE memberships (
        committee_id INTEGER NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('member', 'co_lead', 'lead')),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (committee_id, user_id)
    )""",
    "CREATE INDEX memberships_user ON memberships (user_id, role)",
    """CREATE TABLE charter_acceptances (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        committee_id INTEGER REFERENCES committees (id) ON DELETE CASCADE,
        charter_hash TEXT NOT NULL,
        accepted_at TEXT NOT NULL
    )""",
    "CREATE INDEX charter_user ON charter_acceptances (user_id)",
    """CREATE TABLE flags (
        id INTEGER PRIMARY KEY,
        target_kind TEXT NOT NULL,
        target_id INTEGER NOT NULL,
        flagged_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'removed')),
        created_at TEXT NOT NULL,
        reviewed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        reviewed_at TEXT
    )""",
    """CREATE UNIQUE INDEX flags_one_per_person
        ON flags (target_kind, target_id, flagged_by) WHERE status = 'open'""",
    "CREATE INDEX flags_status ON flags (status, target_kind, target_id)",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        target_kind TEXT NOT NULL,
        target_id INTEGER,
        committee_id INTEGER REFERENCES committees (id) ON DELETE SET NULL,
        before TEXT,
        after TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX audit_committee ON audit_log (committee_id, id)",
    "CREATE INDEX audit_actor ON audit_log (actor_id)",
    """CREATE TABLE rate_limits (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        bucket TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (user_id, bucket)
    )""",
    """CREATE TABLE platform_state (
        platform TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (platform, key)
    )""",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
