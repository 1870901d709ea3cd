"""Commands per minute are counted in memory (`commands.ratelimit`), so their table goes;
files shared in a day are counted from the materials themselves, found by who shared them."""

from storage.db import Database

DESCRIPTION = "rate limits in memory; materials by who shared them"

STATEMENTS = (
    "DROP TABLE rate_limits",
    "CREATE INDEX materials_sharer ON materials (shared_by, created_at)",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
