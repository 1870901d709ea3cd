"""`digest`: the national digest, on demand, for staff.

    digest                       the last complete week, the whole country
    digest month                 the last complete month
    digest week 2026-11-03       the week containing that day (so far, if under way)
    digest month département=69  one département (departement=69 too)

Answered privately: typed in a committee's space by mistake, national figures stay with the
person who asked.
"""

from __future__ import annotations

from typing import Annotated

from commands.digest.build import gather, replies
from commands.digest.figures import PeriodKind, choose_period
from commands.i18n import _
from commands.invocation import Invocation
from commands.permissions import STAFF
from commands.places import parse_area
from commands.reply import Reply
from commands.spec import Param, command


@command("digest", rule=STAFF, allow_suspended=True, committee_from_place=False)
async def digest(
    inv: Invocation,
    period: Annotated[
        PeriodKind, Param(_("week or month (default: week)"), positional=True)
    ] = PeriodKind.WEEK,
    date: Annotated[
        str | None,
        Param(_("a day in the period to read, e.g. 2026-11-03 (default: the last complete"
                " one)"), positional=True, max_length=40),
    ] = None,
    departement: Annotated[
        str | None,
        Param(_("a département, e.g. 69, 2A or 974 (default: the whole country)"),
              max_length=10),
    ] = None,
) -> list[Reply]:
    """Read the national digest: field actions and their results, compared with the period
    before."""
    zone = inv.settings.organisation.timezone
    now = inv.now()
    chosen = choose_period(period, now, zone, date)
    area = parse_area(departement)[1] if departement else None
    gathered = await gather(inv.services, chosen, now, area, inv.locale)
    return await replies(gathered, inv.locale, private=True)
