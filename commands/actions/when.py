"""When an action starts, how long it lasts, and when a series ends, as people type them.

Times are read in the committee's timezone, preferring the future, and returned in UTC.
Hours, weekdays, "today / tomorrow", relative offsets and numeric dates are read here;
dateparser only reads dates with a month name ("5 décembre", "December 5th, 2026"). It
misreads French hours ("samedi 10h" is a Thursday at midnight to it, "5 décembre 14h" the
year 2114, "demain 18h" 09:00 the day after), reads "5/12" as May 12, knows no "lundi
prochain", and cannot tell a date said without a time from one at midnight.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from commands.actions.durations import ONE_WORDS, minutes_in
from commands.actions.wording import normalise, quote
from commands.errors import UserError
from commands.i18n import Moment, _

MAX_LENGTH = 100
# Far enough for any campaign; near enough that adding a duration or a series never overflows.
MAX_AHEAD = timedelta(days=5 * 366)
END_OF_DAY = time(23, 59, 59)


def local(dt_utc: datetime, timezone: str) -> datetime:
    """An instant as the committee's clocks show it (aware, in `timezone`)."""
    return _aware(dt_utc).astimezone(ZoneInfo(timezone))


def utc_from_local(wall: datetime, timezone: str) -> datetime:
    """A naive wall-clock time in `timezone` as UTC.

    A time the clocks skip (spring forward) moves forward by the gap (02:30 → 03:30); a
    time they show twice (fall back) is the first of the two (fold=0).
    """
    return wall.replace(tzinfo=ZoneInfo(timezone), fold=0).astimezone(UTC)


# --- reading a day and a time of day ------------------------------------------------------

class _NotUnderstood(Exception):
    pass


class _NoTime(Exception):
    pass


class _WrongWeekday(Exception):
    def __init__(self, wall: datetime) -> None:
        super().__init__(wall)
        self.wall = wall


class _Skipped(Exception):
    """A wall time the clocks jump over; `instead` is the same time after the jump."""

    def __init__(self, wall: datetime, instead: datetime) -> None:
        super().__init__(wall)
        self.wall = wall
        self.instead = instead


@dataclass(frozen=True)
class _On:
    day: date


@dataclass(frozen=True)
class _Yearly:
    """A day and month said without a year: their next occurrence."""

    month: int
    day: int


@dataclass(frozen=True)
class _Weekday:
    index: int
    skip_today: bool = False
    weeks_later: int = 0


@dataclass(frozen=True)
class _Checked:
    """A weekday said with a date ("samedi 5 décembre"): they must agree."""

    index: int
    named: _On | _Yearly


_Day = _On | _Yearly | _Weekday | _Checked | None

_WEEKDAYS = {
    "lundi": 0, "lun": 0, "monday": 0, "mon": 0,
    "mardi": 1, "mar": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "mercredi": 2, "mer": 2, "wednesday": 2, "wed": 2,
    "jeudi": 3, "jeu": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "vendredi": 4, "ven": 4, "friday": 4, "fri": 4,
    "samedi": 5, "sam": 5, "saturday": 5, "sat": 5,
    "dimanche": 6, "dim": 6, "sunday": 6, "sun": 6,
}
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_WEEKDAY_FORM = re.compile(
    rf"(?P<next>next )?(?P<wd>{_WD})(?: (?P<mod>prochaine?|qui vient|en huit))?"
)
_WEEKDAY_THEN_DATE = re.compile(rf"(?P<wd>{_WD}) (?P<rest>.+)")
_IN_DAYS = re.compile(
    r"(?:dans|in) (?P<n>[0-9]{1,4}|une?|an?|one) (?P<unit>jours?|days?|semaines?|weeks?)"
)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})(?:[/.]([0-9]{4}|[0-9]{2}))?")
_TODAY = frozenset({"aujourd'hui", "aujourdhui", "auj", "today"})
_TOMORROW = frozenset({"demain", "tomorrow", "tmrw"})
_AFTER_TOMORROW = frozenset(
    {"après-demain", "apres-demain", "après demain", "apres demain", "day after tomorrow"}
)
_FILLERS = re.compile(r"^(?:(?:le|the|on|ce|cette|this|coming) )+")

_PERIODS = r"soir|soirée|soiree|matin|matinée|matinee|après-midi|apres-midi|aprem|aprèm"
_PERIODS_EN = r"morning|afternoon|evening|night"
_EVENING = frozenset(
    {"soir", "soirée", "soiree", "après-midi", "apres-midi", "aprem", "aprèm", "afternoon",
     "evening", "night"}
)
_THIS_PERIOD = re.compile(rf"\b(?:ce|cet|cette|this) (?=(?:{_PERIODS}|{_PERIODS_EN})\b)")
_TONIGHT = re.compile(r"\btonight\b")
_PERIOD = re.compile(
    rf"(?:\b(?:du|de l'|de la|dans la|in the|at) )?\b(?P<p>{_PERIODS}|{_PERIODS_EN})\b"
)
_AM_PM_DOTS = re.compile(r"\b([ap])\. ?m\.?")
_ABBREVIATION_DOT = re.compile(r"(?<=[^\W\d_])\.")
_ISO_T = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})t(?=[0-9])")
_TIME = re.compile(
    r"(?<![\w:/.\-])(?:(?:à|a|at|vers|around|dès|from) |@ ?)?(?:"
    r"(?P<h12>[0-9]{1,2})(?:[:.h](?P<m12>[0-9]{2}))? ?(?P<half>am|pm)"
    r"|(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2})(?::[0-9]{2})?| ?(?:heures?|h)(?: ?(?P<mh>[0-9]{2}))?)"
    r"|(?P<noon>midi|noon|midday)"
    r")(?![\w:])"
    # a bare hour only after "à" / "at": "samedi à 10", "tonight at 8"
    r"|(?<![\w:/.\-])(?:(?:à|a|at) |@ ?)(?P<hb>[0-9]{1,2})(?![\w:/.])"
)


_clean = normalise


def _split(cleaned: str, base: datetime) -> tuple[_Day, time | None]:
    """The day (None: not said) and the time of day (None: not said) in what was typed."""
    text = _AM_PM_DOTS.sub(r"\1m", cleaned)
    text = _ABBREVIATION_DOT.sub(" ", text).replace(",", " ")
    text = _ISO_T.sub(r"\1 ", text)
    text = _TONIGHT.sub("aujourd'hui soir", _THIS_PERIOD.sub("aujourd'hui ", text))
    evening = any(match["p"] in _EVENING for match in _PERIOD.finditer(text))
    text = " ".join(_PERIOD.sub(" ", text).split())
    found = list(_TIME.finditer(text))
    if len(found) > 1:
        raise _NotUnderstood
    clock = None
    if found:
        clock = _clock(found[0], evening)
        text = text[: found[0].start()] + " " + text[found[0].end():]
    return _read_day(" ".join(text.split()), base), clock


def _clock(match: re.Match[str], evening: bool) -> time:
    if match["noon"]:
        return time(12)
    if match["h12"]:
        hour, minute = int(match["h12"]), int(match["m12"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _NotUnderstood
        return time(hour % 12 + (12 if match["half"] == "pm" else 0), minute)
    hour, minute = int(match["h"] or match["hb"]), int(match["m"] or match["mh"] or 0)
    if hour > 23 or minute > 59:
        raise _NotUnderstood
    if evening and hour < 12:
        hour += 12  # "ce soir 8h", "demain soir 7h30"
    return time(hour, minute)


def _read_day(part: str, base: datetime) -> _Day:
    part = _FILLERS.sub("", part)
    today = base.date()
    if not part:
        return None
    if part in _TODAY:
        return _On(today)
    if part in _TOMORROW:
        return _On(today + timedelta(days=1))
    if part in _AFTER_TOMORROW:
        return _On(today + timedelta(days=2))
    if match := _WEEKDAY_FORM.fullmatch(part):
        index = _WEEKDAYS[match["wd"]]
        later = bool(match["next"] or match["mod"])
        return _Weekday(index, skip_today=later, weeks_later=int(match["mod"] == "en huit"))
    if match := _IN_DAYS.fullmatch(part):
        count = 1 if match["n"] in ONE_WORDS else int(match["n"])
        days = count * (1 if match["unit"][0] in "jd" else 7)
        return _On(today + timedelta(days=days))
    if match := _WEEKDAY_THEN_DATE.fullmatch(part):
        return _Checked(_WEEKDAYS[match["wd"]], _read_date(match["rest"], base))
    return _read_date(part, base)


def _read_date(part: str, base: datetime) -> _On | _Yearly:
    if match := _ISO_DATE.fullmatch(part):
        return _On(_date(int(match[1]), int(match[2]), int(match[3])))
    if match := _NUMERIC_DATE.fullmatch(part):
        day, month, year = int(match[1]), int(match[2]), match[3]
        if year is None:
            _date(2000, month, day)  # 29/02 is valid in a leap year
            return _Yearly(month, day)
        return _On(_date(int(year) + (2000 if len(year) == 2 else 0), month, day))
    return _dateparser_date(part, base)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise _NotUnderstood from error


def _dateparser_date(part: str, base: datetime) -> _On | _Yearly:
    """A date with a month name. Read against two bases years apart, to learn whether the
    year was said (same result), left out (same day and month) or relative ("hier")."""
    base = base.replace(second=0, microsecond=0)
    first = _dateparser_day(part, base)
    second = _dateparser_day(part, base + timedelta(days=4 * 365 + 1 + 37))
    if first is None or second is None:
        raise _NotUnderstood
    if first != second and (first.month, first.day) == (second.month, second.day):
        return _Yearly(first.month, first.day)
    return _On(first)


def _dateparser_day(part: str, base: datetime) -> date | None:
    try:
        data = _date_parser(base).get_date_data(part)
    except Exception:  # dateparser raises many kinds of errors on odd input
        return None
    found = data.date_obj
    return found.date() if isinstance(found, datetime) and data.period == "day" else None


@lru_cache(maxsize=32)
def _date_parser(base: datetime) -> Any:
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": "DMY",
        "PARSERS": ["relative-time", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["fr", "en"], settings=settings)


def _resolve(day: _Day, at: time, base: datetime) -> date:
    """The date `day` names, the first whose `at` comes after `base` when that is open."""
    today = base.date()
    if day is None:
        return today if datetime.combine(today, at) > base else today + timedelta(days=1)
    if isinstance(day, _On):
        return day.day
    if isinstance(day, _Yearly):
        for year in range(today.year, today.year + 9):
            try:
                candidate = date(year, day.month, day.day)
            except ValueError:
                continue
            if datetime.combine(candidate, at) > base:
                return candidate
        raise _NotUnderstood
    if isinstance(day, _Weekday):
        start = 1 if day.skip_today else 0
        for offset in range(start, start + 8):
            candidate = today + timedelta(days=offset)
            if candidate.weekday() == day.index and (
                day.skip_today or datetime.combine(candidate, at) > base
            ):
                return candidate + timedelta(weeks=day.weeks_later)
        raise AssertionError("a week has every weekday")
    found = _resolve(day.named, at, base)
    if found.weekday() != day.index:
        raise _WrongWeekday(datetime.combine(found, at))
    return found


# --- when an action starts ----------------------------------------------------------------

def parse_when(
    text: str, *, now: datetime, timezone: str, default_day: date | None = None
) -> datetime:
    """The start of an action from what a lead typed, read in `timezone`, as aware UTC.

    "samedi 10h", "demain à 18h30", "dans 2 heures", "5/12 14h", "next Saturday 10am",
    "2026-12-05 14:00"... A weekday or a time alone is its next occurrence after `now`; a
    date without a year its next occurrence; "dans 2 heures" counts real hours, across a
    daylight-saving change too. A time of day is required. With `default_day` (moving an
    action), a time said alone keeps that local day: "19h30" on the action's own date.
    """
    zone = ZoneInfo(timezone)
    now_utc = _aware(now).astimezone(UTC)
    base = now_utc.astimezone(zone).replace(tzinfo=None)
    examples = _("next Saturday 10am, tomorrow at 6:30pm or {date}").format(
        date=f"{(base.date() + timedelta(days=7)).isoformat()} 14:00"
    )
    try:
        start = _read_when(text, now_utc, base, zone, default_day)
    except _NoTime:
        raise UserError(
            _("“{text}” has no time of day, and an action needs one: for example “{text} 10am”.")
            .format(text=_quote(text))
        ) from None
    except _WrongWeekday as error:
        raise UserError(
            _("“{text}” names a weekday that does not match the date: {when}. Try for example "
              "{examples}.").format(
                text=_quote(text), examples=examples,
                when=Moment(utc_from_local(error.wall, timezone), timezone),
            )
        ) from None
    except _Skipped as error:
        raise UserError(
            _("{wall} does not exist in {timezone}: the clocks jump forward that night. "
              "Try {instead}.").format(
                wall=error.wall.strftime("%Y-%m-%d %H:%M"), timezone=timezone,
                instead=error.instead.strftime("%Y-%m-%d %H:%M"),
            )
        ) from None
    except _NotUnderstood:
        raise UserError(
            _("I could not read “{text}” as a date and time. Try for example {examples}.")
            .format(text=_quote(text), examples=examples)
        ) from None
    if start <= now_utc:
        raise UserError(
            _("That time has passed: {when}. Try for example {examples}.").format(
                when=Moment(start, timezone), examples=examples
            )
        )
    if start > now_utc + MAX_AHEAD:
        raise UserError(
            _("That is more than five years ahead: {when}. Try for example {examples}.").format(
                when=Moment(start, timezone), examples=examples
            )
        )
    return start


def _read_when(
    text: str, now_utc: datetime, base: datetime, zone: ZoneInfo, default_day: date | None = None
) -> datetime:
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > MAX_LENGTH:
        raise _NotUnderstood
    if relative := re.fullmatch(r"(?:dans|in) (.+)", cleaned):
        minutes = minutes_in(relative[1])
        if minutes is not None:
            try:
                start = now_utc + timedelta(seconds=int(minutes * 60))
            except OverflowError as error:
                raise _NotUnderstood from error
            return start.replace(second=0, microsecond=0)
    day, clock = _split(cleaned, base)
    if clock is None:
        raise _NoTime
    if day is None and default_day is not None:
        day = _On(default_day)
    try:
        wall = datetime.combine(_resolve(day, clock, base), clock)
        start = wall.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError as error:
        raise _NotUnderstood from error
    shown = start.astimezone(zone).replace(tzinfo=None)
    if shown != wall:
        raise _Skipped(wall, shown)
    return start


# --- when a series ends -------------------------------------------------------------------

_MONTH_END = re.compile(r"(?:(?:à la |a la )?fin(?: de| du mois de| d')?|end of(?: the)?) ?(.+)")


def parse_until(text: str, *, after: datetime, timezone: str) -> datetime:
    """The last moment of a repeating series, as aware UTC, after `after` (its first start).

    A date alone means the end of that local day; a date without a year is its next
    occurrence after `after`; "fin janvier" / "end of January" is the month's last day.
    """
    zone = ZoneInfo(timezone)
    after_utc = _aware(after).astimezone(UTC)
    base = after_utc.astimezone(zone).replace(tzinfo=None)
    cleaned = _clean(text)
    day: _Day
    clock: time | None
    try:
        if len(cleaned) > MAX_LENGTH:
            raise _NotUnderstood
        if month_end := _MONTH_END.fullmatch(cleaned):
            day = _On(_month_end(_read_day(f"1 {month_end[1]}", base), base))
            clock = None
        else:
            day, clock = _split(cleaned, base)
        if day is None and clock is None:
            raise _NotUnderstood
        at = clock or END_OF_DAY
        end = utc_from_local(datetime.combine(_resolve(day, at, base), at), timezone)
    except (_NotUnderstood, _WrongWeekday, OverflowError):
        raise UserError(
            _("I could not read “{text}” as an end date. Try for example January 31 or "
              "2027-01-31.").format(text=_quote(text))
        ) from None
    if end <= after_utc:
        raise UserError(
            _("A series must end after its first action ({first}). Try for example {example}.")
            .format(first=Moment(after_utc, timezone),
                    example=(base.date() + timedelta(days=60)).isoformat())
        )
    return end


def _month_end(day: _Day, base: datetime) -> date:
    if isinstance(day, _On):
        years = [day.day.year]
        month = day.day.month
    elif isinstance(day, _Yearly):
        years = [base.year, base.year + 1]
        month = day.month
    else:
        raise _NotUnderstood
    for year in years:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if datetime.combine(last, END_OF_DAY) > base or year == years[-1]:
            return last
    raise AssertionError("years is never empty")


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is needed")
    return moment


_quote = quote

