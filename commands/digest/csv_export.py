"""The digest as a spreadsheet: one row per committee, what it did in the period.

Column names are stable identifiers, not translated, so a spreadsheet's formulas survive a
change of language. The file is UTF-8 with a byte order mark: without it, Excel reads
"Comité" as "ComitÃ©". Dates are local (the organisation's timezone), ISO 8601.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.digest.figures import PHONE_KIND, Span, estimate
from commands.settings import Impact, Settings
from storage.digest import CommitteeExport
from storage.reports import COUNTS
from storage.repositories import Repositories

COLUMNS = (
    "id", "slug", "name", "place", "postal_code", "departement", "status", "created_on",
    "members", "actions", "reports", *COUNTS,
    "face_to_face_conversations", "voters_persuaded",
)
CONTENT_TYPE = "text/csv"
# Where the report sums sit in a row, in the order of COUNTS.
_FIRST = CommitteeExport._fields.index(COUNTS[0])
_AFTER = CommitteeExport._fields.index(COUNTS[-1]) + 1


async def committees_csv(
    repos: Repositories, settings: Settings, span: Span, departement: str | None
) -> bytes:
    rows = await repos.digest.committees_export(span.current, departement,
                                                phone_kind=PHONE_KIND)
    return to_csv(rows, settings, span.period.timezone)


def to_csv(rows: list[CommitteeExport], settings: Settings, timezone: str) -> bytes:
    zone, impact = ZoneInfo(timezone), settings.impact
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_cells(row, zone, impact) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# Most committees hold no action in a given week: their figures are all nought.
_NOTHING_HELD = (0, 0, *(0 for _ in COUNTS), 0, "0.00")


def _cells(row: CommitteeExport, zone: ZoneInfo, impact: Impact) -> tuple[object, ...]:
    if not row.held:
        return (*row[:7], _day(row.created_at, zone), row.members, *_NOTHING_HELD)
    face_to_face = row.conversations - row.phone_conversations
    persuaded = estimate(face_to_face, row.calls_answered, row.leaflets, impact)
    return (*row[:7], _day(row.created_at, zone), row.members, row.held, row.reported,
            *row[_FIRST:_AFTER], face_to_face, f"{persuaded:.2f}")


def _day(stored: str, zone: ZoneInfo) -> str:
    """A stored UTC time as the local date it fell on."""
    return datetime.fromisoformat(stored).astimezone(zone).date().isoformat()
