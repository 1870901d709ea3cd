"""Everything one digest sends: its text (in one reply or several), the CSV and the chart.

Platforms take one file per message, so the CSV and the chart come in a reply each, after
the text. The same replies answer the `digest` command and go to staff on Monday morning.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from commands.digest import chart, csv_export
from commands.digest.chart import WeeklyActions
from commands.digest.figures import Digest, Period, PeriodKind, compute
from commands.digest.text import text_replies
from commands.i18n import _
from commands.reply import Attachment, Reply
from commands.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gathered:
    digest: Digest
    csv: bytes
    weekly: WeeklyActions


async def gather(
    services: Services, period: Period, now: datetime, departement: str | None
) -> Gathered:
    """Every figure, read in one unit of work so they all describe the same moment."""
    repos = services.repos
    async with repos.db.unit():
        digest = await compute(repos, services.settings, period=period, now=now,
                               departement=departement)
        data = await csv_export.committees_csv(repos, services.settings, digest.span,
                                               departement)
        weekly = await chart.weekly_actions(repos, digest.span, now, departement)
    return Gathered(digest, data, weekly)


async def replies(gathered: Gathered, locale: str, *, private: bool) -> list[Reply]:
    digest = gathered.digest
    name = file_stem(digest)
    found = [
        *text_replies(digest, locale, private=private),
        Reply(_("The same figures per committee, for a spreadsheet."), private=private,
              file=Attachment(f"{name}.csv", gathered.csv, csv_export.CONTENT_TYPE)),
    ]
    try:
        # Drawing takes a tenth of a second or more: not on the event loop.
        png = await asyncio.to_thread(chart.draw, gathered.weekly, locale)
    except Exception:
        # The figures matter more than their picture: they still go out.
        log.exception("the digest chart could not be drawn")
        return found
    found.append(Reply(_("Field actions per week over the last {weeks} weeks.").format(
        weeks=str(chart.WEEKS)), private=private,
        file=Attachment(f"{name}.png", png, chart.CONTENT_TYPE)))
    return found


def file_stem(digest: Digest) -> str:
    """digest-2026-11-30 for a week (its Monday), digest-2026-11 for a month; -69 and the
    like for a département."""
    period = digest.span.period
    stem = (f"digest-{period.first.isoformat()}" if period.kind is PeriodKind.WEEK
            else f"digest-{period.first:%Y-%m}")
    return f"{stem}-{digest.departement}" if digest.departement else stem
