"""Translatable text, rendered late, in the reader's locale.

`_("Hello {name}").format(name=...)` builds a `Text`; nothing is translated until a
platform renders it for one reader. A DM to someone else is rendered in *their* locale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_timezone_location
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
CATALOGUE_DIR = Path(__file__).parent / "locale"


def _default_mention(platform: str, platform_user_id: str) -> str:
    return f"@{platform_user_id}"


@dataclass(slots=True)
class RenderContext:
    """What rendering needs to know about the reader and the platform."""

    locale: str
    mention: Callable[[str, str], str] = _default_mention


@runtime_checkable
class Localizable(Protocol):
    def render(self, ctx: RenderContext) -> str: ...


Renderable = Localizable | str


def render(value: object, ctx: RenderContext) -> str:
    if isinstance(value, str):
        return value
    # What isinstance(value, Localizable) checks, without the cost of a runtime protocol
    # check: this runs for every piece of every message.
    method = getattr(value, "render", None)
    if method is not None:
        return str(method(ctx))
    return str(value)


@dataclass(slots=True)
class Text:
    """A message id and its parameters; translated when rendered."""

    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    def format(self, **params: object) -> Text:
        return Text(self.msgid, tuple(params.items()))

    def render(self, ctx: RenderContext) -> str:
        template = translate(self.msgid, ctx.locale)
        if not self.params:
            return template
        return template.format_map({
            name: value if type(value) is str else render(value, ctx)
            for name, value in self.params})

    def __str__(self) -> str:
        return self.render(RenderContext("en"))


def _(msgid: str) -> Text:
    """Mark a sentence for translation. Never pass an f-string."""
    return Text(msgid)


@dataclass(slots=True)
class Lines:
    """Several pieces rendered one per line (empty pieces dropped)."""

    parts: tuple[Renderable, ...]
    separator: str = "\n"

    def render(self, ctx: RenderContext) -> str:
        rendered = (render(part, ctx) for part in self.parts)
        return self.separator.join(text for text in rendered if text)


def lines(*parts: Renderable | None, separator: str = "\n") -> Lines:
    return Lines(tuple(part for part in parts if part is not None), separator)


def join(parts: Iterable[Renderable], separator: str = "\n") -> Lines:
    return Lines(tuple(parts), separator)


@dataclass(slots=True)
class Number:
    """A quantity, written the reader's way (1 200 in French, 1,200 in English)."""

    value: int | float | Decimal

    def render(self, ctx: RenderContext) -> str:
        return _number(self.value, ctx.locale)


@dataclass(slots=True)
class Plural:
    """A count and the sentence that fits it: one member, two members."""

    count: int
    one: Text
    other: Text

    def render(self, ctx: RenderContext) -> str:
        # French treats 0 and 1 as singular; English only 1.
        singular = self.count <= 1 if ctx.locale == "fr" else self.count == 1
        chosen = self.one if singular else self.other
        return chosen.format(count=Number(self.count)).render(ctx)


def plural(count: int, one: Text, other: Text) -> Plural:
    return Plural(count, one, other)


@dataclass(slots=True)
class Moment:
    """A time shown without ambiguity: weekday, date, time and whose clock it is.

    "samedi 5 décembre 2026, 10:00 (heure de Paris)"
    """

    when: datetime
    timezone: str
    with_date: bool = True

    def render(self, ctx: RenderContext) -> str:
        pattern = "EEEE d MMMM y, HH:mm" if self.with_date else "HH:mm"
        shown = _datetime(self.when, pattern, self.timezone, ctx.locale)
        city = _city(self.timezone, ctx.locale)
        return _("{time} ({city} time)").format(time=shown, city=city).render(ctx)


@dataclass(slots=True)
class Span:
    """From start to end: "samedi 5 décembre 2026, 10:00–12:00 (heure de Paris)"."""

    start: datetime
    end: datetime
    timezone: str

    def render(self, ctx: RenderContext) -> str:
        # A card and the sentence above it often show the same span: written once.
        return _span(self.start, self.end, self.timezone, ctx.locale)


@lru_cache(maxsize=1024)
def _span(start: datetime, end: datetime, timezone: str, locale: str) -> str:
    ctx = RenderContext(locale)
    zone = ZoneInfo(timezone)
    if start.astimezone(zone).date() != end.astimezone(zone).date():
        return f"{Moment(start, timezone).render(ctx)} → " + Moment(end, timezone).render(ctx)
    day = _datetime(start, "EEEE d MMMM y, HH:mm", timezone, locale)
    until = _datetime(end, "HH:mm", timezone, locale)
    city = _city(timezone, locale)
    return _("{time} ({city} time)").format(time=f"{day}–{until}", city=city).render(ctx)


@dataclass(slots=True)
class Clock:
    """Just the time of day, in a timezone: "12:00"."""

    when: datetime
    timezone: str

    def render(self, ctx: RenderContext) -> str:
        return _datetime(self.when, "HH:mm", self.timezone, ctx.locale)


@dataclass(slots=True)
class Day:
    """A date alone: "samedi 5 décembre"."""

    when: datetime
    timezone: str

    def render(self, ctx: RenderContext) -> str:
        return _datetime(self.when, "EEEE d MMMM y", self.timezone, ctx.locale)


@dataclass(slots=True)
class Mention:
    """A person, shown the way their platform names people; never a ping by itself."""

    platform: str
    platform_user_id: str

    def render(self, ctx: RenderContext) -> str:
        return ctx.mention(self.platform, self.platform_user_id)


class _Person(Protocol):
    @property
    def platform(self) -> str: ...

    @property
    def platform_user_id(self) -> str: ...


def mention(user: _Person) -> Mention:
    return Mention(user.platform, user.platform_user_id)


@dataclass(slots=True)
class Choice:
    """One of several ready-made phrases, picked by a key (used for enumerations)."""

    key: str
    options: dict[str, Text] = field(default_factory=dict)

    def render(self, ctx: RenderContext) -> str:
        text = self.options.get(self.key)
        return self.key if text is None else text.render(ctx)


# Formatting with babel is pure but slow (tens of microseconds), and every card shows a
# time: the same moment, number or city in the same locale is formatted once.


@cache
def _babel_locale(code: str) -> Locale:
    return Locale.parse(code)


# The date patterns Comités shows, written from the locale's own names for days and months:
# what babel's formatter gives for them (a test compares the two), several times faster.
_PATTERNS = {
    "EEEE d MMMM y, HH:mm": "{weekday} {day} {month} {year}, {hour:02d}:{minute:02d}",
    "EEEE d MMMM y": "{weekday} {day} {month} {year}",
    "HH:mm": "{hour:02d}:{minute:02d}",
}


@dataclass(slots=True)
class _Names:
    days: tuple[str, ...]  # Monday first, as datetime.weekday()
    months: tuple[str, ...]  # January at 1


@cache
def _names(locale: str) -> _Names:
    data = _babel_locale(locale)
    days = data.days["format"]["wide"]
    months = data.months["format"]["wide"]
    return _Names(tuple(str(days[day]) for day in range(7)),
                  ("", *(str(months[month]) for month in range(1, 13))))


def _datetime(when: datetime, pattern: str, timezone: str, locale: str) -> str:
    local = when.astimezone(ZoneInfo(timezone))
    names = _names(locale)
    return _PATTERNS[pattern].format(
        weekday=names.days[local.weekday()], day=local.day, month=names.months[local.month],
        year=local.year, hour=local.hour, minute=local.minute)


@lru_cache(maxsize=256)
def _city(timezone: str, locale: str) -> str:
    return str(get_timezone_location(ZoneInfo(timezone), locale=_babel_locale(locale),
                                     return_city=True))


def _number(value: int | float | Decimal, locale: str) -> str:
    if type(value) is int:
        # Whole numbers (nearly all of them): grouped by three with the locale's separator,
        # as babel writes them (a test compares the two).
        return f"{value:,}".replace(",", _group_separator(locale))
    return _decimal(value, locale)


@lru_cache(maxsize=4096, typed=True)
def _decimal(value: int | float | Decimal, locale: str) -> str:
    return format_decimal(value, locale=_babel_locale(locale))


@cache
def _group_separator(locale: str) -> str:
    return str(_babel_locale(locale).number_symbols["latn"]["group"])


@cache
def _catalogue(locale: str) -> dict[str, str]:
    path = CATALOGUE_DIR / f"{locale}.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    return {
        str(message.id): str(message.string)
        for message in catalogue
        if message.id and isinstance(message.id, str) and message.string
    }


def catalogue(locale: str) -> dict[str, str]:
    return dict(_catalogue(locale))


def translate(msgid: str, locale: str) -> str:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    return _catalogue(locale).get(msgid, msgid)


def normalise_locale(value: str | None) -> str | None:
    """'fr-FR', 'fr_CA', 'French' → 'fr'; an unsupported locale → None."""
    if not value:
        return None
    try:
        code = Locale.parse(value.replace("-", "_")).language
    except (ValueError, TypeError, Exception):  # babel raises its own UnknownLocaleError
        code = value[:2].lower()
    return code if code in LOCALES else None
