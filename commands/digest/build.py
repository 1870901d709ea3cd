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
from commands.digest.figures import Digest, Period, PeriodKind, compute, span_of
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
    # The chart, drawn while the figures were read, in `chart_locale` (None if it failed).
    chart: bytes | None
    chart_locale: str


async def gather(
    services: Services,
    period: Period,
    now: datetime,
    departement: str | None,
    locale: str | None = None,
) -> Gathered:
    """Every figure, read in one unit of work so they all describe the same moment.

    The chart is drawn in a worker thread while SQLite reads the figures in its own (the
    event loop stays free meanwhile); it is labelled in `locale`, the reader's (default:
    the organisation's), and `replies` draws it again for a reader of another language.
    """
    repos = services.repos
    locale = locale or services.settings.organisation.locale
    span = span_of(period, now)
    async with repos.db.unit():
        weekly = await chart.weekly_actions(repos, span, now, departement)
        drawing = asyncio.ensure_future(asyncio.to_thread(chart.draw, weekly, locale))
        try:
            digest = await compute(repos, services.settings, period=period, now=now,
                                   departement=departement)
            data = await csv_export.committees_csv(repos, services.settings, span,
                                                   departement)
        finally:
            png = await _picture(drawing)
    return Gathered(digest, data, weekly, png, locale)


async def replies(gathered: Gathered, locale: str, *, private: bool) -> list[Reply]:
    digest = gathered.digest
    name = file_stem(digest)
    found = [
        *text_replies(digest, locale, private=private),
        Reply(_("The same figures per committee, for a spreadsheet."), private=private,
              file=Attachment(f"{name}.csv", gathered.csv, csv_export.CONTENT_TYPE)),
    ]
    png = gathered.chart
    if locale != gathered.chart_locale:
        png = await _picture(asyncio.ensure_future(
            asyncio.to_thread(chart.draw, gathered.weekly, locale)))
    if png is not None:
        found.append(Reply(_("Field actions per week over the last {weeks} weeks.").format(
            weeks=str(chart.WEEKS)), private=private,
            file=Attachment(f"{name}.png", png, chart.CONTENT_TYPE)))
    return found


async def _picture(drawing: asyncio.Future[bytes]) -> bytes | None:
    try:
        return await drawing
    except Exception:
        # The figures matter more than their picture: they still go out.
        log.exception("the digest chart could not be drawn")
        return None


def file_stem(digest: Digest) -> str:
    """digest-2026-11-30 for a week (its Monday), digest-2026-11 for a month; -69 and the
    like for a département."""
    period = digest.span.period
    stem = (f"digest-{period.first.isoformat()}" if period.kind is PeriodKind.WEEK
            else f"digest-{period.first:%Y-%m}")
    return f"{stem}-{digest.departement}" if digest.departement else stem
