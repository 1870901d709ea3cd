"""Indexes for `committee list`: the visible committees in name order, by place.

The list shows the same postal code first, then the same département, then the rest, each
in name order. With these, each of the three parts is read in order from an index and the
page stops early, instead of sorting every committee of the country for each page.
"""

from storage.db import Database

DESCRIPTION = "indexes for finding committees near a place"

VISIBLE = "WHERE status = 'active' AND hidden = 0"
STATEMENTS = (
    f"CREATE INDEX committees_visible_name ON committees (name_key) {VISIBLE}",
    f"CREATE INDEX committees_visible_postal ON committees (postal_code, name_key) {VISIBLE}",
    "CREATE INDEX committees_visible_departement"
    f" ON committees (departement, name_key) {VISIBLE}",
)


async def apply(db: Database) -> None:
    for statement in STATEMENTS:
        await db.execute(statement)
