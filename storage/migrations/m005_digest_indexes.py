"""Indexes for the national digest, read over every committee of the country.

- Actions held in a period are found by their start, and the digest then needs only their
  status, kind and committee: with those in the index, a month of actions is counted
  without reading the actions table itself.
- The CSV lists every committee by département then name: read in that order from an
  index instead of sorted each time.
"""

from storage.db import Database

DESCRIPTION = "indexes for the national digest"

STATEMENTS = (
    "CREATE INDEX actions_held_start ON actions (starts_at, status, kind, committee_id)",
    "CREATE INDEX committees_departement_name ON committees (departement, name)",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
