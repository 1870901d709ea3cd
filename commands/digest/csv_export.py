"""The digest as a spreadsheet: one row per committee, what it did in the period.

Column names are stable identifiers, not translated, so a spreadsheet's formulas survive a
change of language. The file is UTF-8 with a byte order mark: without it, Excel reads
"Comité" as "ComitÃ©". Dates are local (the organisation's timezone), ISO 8601.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from commands.actions.when import local
from commands.digest.figures import PHONE_KIND, Span, persuaded
from commands.settings import Settings
from storage.digest import CommitteeExport
from storage.reports import COUNTS
from storage.repositories import Repositories

COLUMNS = (
    "id", "slug", "name", "place", "postal_code", "departement", "status", "created_on",
    "members", "last_action_on", "actions", "reports", *COUNTS,
    "face_to_face_conversations", "voters_persuaded",
)
CONTENT_TYPE = "text/csv"


async def committees_csv(
    repos: Repositories, settings: Settings, span: Span, departement: str | None
) -> bytes:
    rows = await repos.digest.committees_export(span.current, departement,
                                                phone_kind=PHONE_KIND)
    return to_csv(rows, settings, span.period.timezone)


def to_csv(rows: list[CommitteeExport], settings: Settings, timezone: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([
            row.id, row.slug, row.name, row.place, row.postal_code, row.departement,
            row.status, _day(row.created_at, timezone), row.members,
            _day(row.last_action, timezone), row.held, row.reported,
            *(getattr(row, name) for name in COUNTS),
            row.conversations - row.phone_conversations,
            f"{persuaded(row, settings.impact):.2f}",
        ])
    return buffer.getvalue().encode("utf-8-sig")


def _day(moment: datetime | None, timezone: str) -> str:
    return "" if moment is None else local(moment, timezone).date().isoformat()
