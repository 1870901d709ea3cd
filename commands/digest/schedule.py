"""The weekly digest, posted to every staff destination (`[digest]` in config says when).

`bot/` registers `post_weekly_digest` with the scheduler's cron; it covers the last complete
week, so on Monday morning staff read the week that ended at midnight.
"""

from __future__ import annotations

from commands.digest.build import gather, replies
from commands.digest.figures import PeriodKind, choose_period
from commands.notify import post_staff
from commands.services import Services


async def post_weekly_digest(services: Services) -> None:
    settings = services.settings
    now = services.clock.now()
    period = choose_period(PeriodKind.WEEK, now, settings.organisation.timezone)
    gathered = await gather(services, period, now, None)
    # Staff destinations read the organisation's language (`post_staff` renders in it).
    for reply in await replies(gathered, settings.organisation.locale, private=False):
        await post_staff(services, reply)
