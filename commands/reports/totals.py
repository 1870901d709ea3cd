"""A committee's totals over a period: actions held, and what their reports add up to.

`committee info` shows the last 30 days, so a committee (and anyone thinking of joining it)
sees at a glance what it does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from commands.i18n import Renderable, _, join, lines, plural
from commands.reports.fields import FIELDS
from storage.reports import Totals
from storage.repositories import Repositories

RECENT = timedelta(days=30)


async def committee_totals(
    repos: Repositories, committee_id: int, *, since: datetime, until: datetime
) -> Totals:
    """Actions that started in [since, until), not cancelled, and their reports' sums."""
    return await repos.reports.committee_totals(committee_id, since=since, until=until)


def figures(totals: Totals) -> list[Renderable]:
    """"3 actions held, 14 attendees, 1,200 leaflets": the counts no report gave left out."""
    found: list[Renderable] = [
        plural(totals.held, _("{count} action held"), _("{count} actions held"))
    ]
    for name, field in FIELDS.items():
        value = totals.figures.get(name)
        if value is None:
            continue
        if name == "attendees":
            # Summed over actions, people are counted once per action they came to.
            found.append(plural(value, _("{count} attendee"), _("{count} attendees")))
        else:
            found.append(field.count(value))
    return found


async def recent_line(
    repos: Repositories, committee_id: int, now: datetime, *, leading: bool
) -> Renderable:
    """The last 30 days, in one line; leads also hear how many actions lack a report."""
    totals = await committee_totals(repos, committee_id, since=now - RECENT, until=now)
    if not totals.held:
        return _("No field action in the last 30 days.")
    line = _("Last 30 days: {figures}.").format(figures=join(figures(totals), separator=", "))
    missing = totals.held - totals.reported
    if not leading or not missing:
        return line
    return lines(line, plural(missing, _("{count} of them has no report yet: report <id>."),
                              _("{count} of them have no report yet: report <id>.")))
