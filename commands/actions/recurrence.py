"""Repeating actions: every week, every two weeks, every month, at the same local time.

A series keeps its wall-clock time: a Saturday 10:00 leafleting stays at 10:00 Paris time
in winter and in summer, so its UTC hour changes with daylight saving. A wall time the
clocks skip (02:30 on the spring-forward night) moves forward by the gap (03:30); one they
show twice (autumn) is the first of the two.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from commands.actions.when import utc_from_local
from commands.i18n import Text, _


class Repeat(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @classmethod
    def _missing_(cls, value: object) -> Repeat | None:
        if not isinstance(value, str):
            return None
        key = " ".join(value.lower().replace("-", " ").replace("_", " ").split())
        found = _ALIASES.get(key, key)
        return next((member for member in cls if member.value == found), None)

    @property
    def label(self) -> Text:
        return _LABELS[self]


# "bimensuel" (twice a month) and "bihebdomadaire" (twice a week) are deliberately absent:
# they do not mean every two weeks / every two months, and neither series exists here.
_ALIASES = {
    **dict.fromkeys(
        ("hebdomadaire", "hebdo", "chaque semaine", "toutes les semaines",
         "une fois par semaine", "every week", "each week", "once a week"),
        "weekly",
    ),
    **dict.fromkeys(
        ("toutes les deux semaines", "toutes les 2 semaines", "une semaine sur deux",
         "tous les quinze jours", "tous les 15 jours", "quinzomadaire", "every two weeks",
         "every 2 weeks", "every other week", "fortnightly", "bi weekly"),
        "biweekly",
    ),
    **dict.fromkeys(
        ("mensuel", "mensuelle", "chaque mois", "tous les mois", "une fois par mois",
         "every month", "each month", "once a month"),
        "monthly",
    ),
}

_LABELS = {
    Repeat.WEEKLY: _("every week"),
    Repeat.BIWEEKLY: _("every two weeks"),
    Repeat.MONTHLY: _("every month"),
}


def occurrences(
    first_start_utc: datetime,
    repeat: Repeat,
    *,
    until_utc: datetime,
    timezone: str,
    limit: int = 104,
) -> list[datetime]:
    """The starts of a series in UTC, the first included, none after `until_utc`, at most
    `limit`. Monthly series fall on the same day of the month and skip the months without
    it (a series on the 31st has no start in April)."""
    for moment in (first_start_utc, until_utc):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("occurrences needs aware datetimes")
    first = first_start_utc.astimezone(UTC)
    wall = first.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    starts: list[datetime] = []
    for index, step in enumerate(_walls(wall, repeat)):
        if len(starts) >= limit:
            break
        # The first start is kept as given, even the second of two identical autumn hours.
        try:
            start = first if index == 0 else utc_from_local(step, timezone)
        except OverflowError:  # the last hours of the year 9999, west of Greenwich
            break
        if start > until_utc:
            break
        starts.append(start)
    return starts


def _walls(first: datetime, repeat: Repeat) -> Iterator[datetime]:
    """Wall-clock starts, first included, until the calendar runs out."""
    try:
        if repeat is Repeat.MONTHLY:
            for months in range(12 * 10_000):
                year, month = divmod(first.month - 1 + months, 12)
                year += first.year
                if first.day <= calendar.monthrange(year, month + 1)[1]:
                    yield first.replace(year=year, month=month + 1)
            return
        step = timedelta(weeks=2 if repeat is Repeat.BIWEEKLY else 1)
        current = first
        while True:
            yield current
            current += step
    except (OverflowError, ValueError):  # past the year 9999
        return
