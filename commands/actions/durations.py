"""How long an action lasts, as people type it: "2h", "1h30", "90 min", "1,5 h"."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from commands.actions.wording import normalise, quote
from commands.errors import UserError
from commands.i18n import _

MAX_DURATION = timedelta(hours=24)

_NUMBER = r"[0-9]{1,9}(?:[.,][0-9]{1,6})?|une?|an?|one"
_HOURS = r"h|hrs?|hours?|heures?"
_MINUTES = r"m|mn|mins?|minutes?"
_HOURS_FORM = re.compile(
    rf"({_NUMBER})\s*(?:{_HOURS})(?:\s*(?:and|et)?\s*([0-9]{{1,2}})\s*(?:{_MINUTES})?)?"
)
_HALF_PAST_FORM = re.compile(rf"({_NUMBER})\s*(?:{_HOURS})\s*(?:and|et)\s*(?:demie?|a half)")
_MINUTES_FORM = re.compile(rf"({_NUMBER})\s*(?:{_MINUTES})")
_CLOCK_FORM = re.compile(r"([0-9]{1,2}):([0-9]{2})")
ONE_WORDS = frozenset({"un", "une", "a", "an", "one"})
_NAMED = {
    "demi-heure": 30, "une demi-heure": 30, "demi heure": 30, "une demi heure": 30,
    "half an hour": 30, "half hour": 30, "a half hour": 30,
    "quart d'heure": 15, "un quart d'heure": 15, "quarter of an hour": 15,
    "a quarter of an hour": 15, "quarter hour": 15, "a quarter hour": 15,
}


def parse_duration(text: str) -> timedelta:
    """How long an action lasts: "2h", "1h30", "90 min", "1,5 h", "2 hours"; at most 24 h."""
    cleaned = normalise(text)
    negative = cleaned.startswith("-")
    minutes = minutes_in(cleaned.removeprefix("-").strip())
    if minutes is None:
        raise UserError(
            _("I could not read “{text}” as a duration. Try for example 2h, 1h30 or 90 min.")
            .format(text=quote(text))
        )
    if negative or minutes <= 0:
        raise UserError(_("A duration must be more than zero, for example 2h, 1h30 or 90 min."))
    if minutes > MAX_DURATION / timedelta(minutes=1):
        raise UserError(
            _("An action lasts at most 24 hours. Try for example 2h, 1h30 or 90 min.")
        )
    return timedelta(seconds=int(minutes * 60))


def minutes_in(text: str) -> Decimal | None:
    """Minutes in a spelled-out length of time, or None when it is not one."""
    if text in _NAMED:
        return Decimal(_NAMED[text])
    if match := _HALF_PAST_FORM.fullmatch(text):
        return _amount(match[1]) * 60 + 30
    if match := _HOURS_FORM.fullmatch(text):
        hours = _amount(match[1])
        if match[2] is None:
            return hours * 60
        extra = int(match[2])
        return hours * 60 + extra if extra < 60 and hours == int(hours) else None
    if match := _MINUTES_FORM.fullmatch(text):
        return _amount(match[1])
    if match := _CLOCK_FORM.fullmatch(text):
        extra = int(match[2])
        return Decimal(int(match[1]) * 60 + extra) if extra < 60 else None
    return None


def _amount(word: str) -> Decimal:
    return Decimal(1) if word in ONE_WORDS else Decimal(word.replace(",", "."))
