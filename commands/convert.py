"""Raw strings to typed option values, with a clear message when they do not fit."""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import Any, TypeVar

from commands.errors import UserError
from commands.i18n import Number, _
from commands.spec import Kind, Option

E = TypeVar("E", bound=Enum)

TRUE = frozenset({"yes", "y", "true", "1", "on", "oui", "o", "vrai"})
FALSE = frozenset({"no", "n", "false", "0", "off", "non", "faux"})

# Characters that reorder or hide text: refused in anything a person types for others to read.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def has_hidden_characters(value: str) -> bool:
    for char in value:
        if char in BIDI_CONTROLS:
            return True
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\n\t":
            return True
        if category in ("Cs", "Co", "Cn"):
            return True
    return False


def convert(option: Option, raw: str) -> Any:
    """Convert a simple option; committees and members are resolved by the dispatcher."""
    value = raw.strip()
    if option.kind is Kind.TEXT:
        return _text(option, value)
    if option.kind is Kind.INTEGER:
        return _integer(option, value)
    if option.kind is Kind.BOOLEAN:
        lowered = value.lower()
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        raise UserError(
            _("{name} must be yes or no.").format(name=option.name), usage=True
        )
    if option.kind is Kind.CHOICE:
        assert option.enum is not None
        return choice(option.enum, value, option.name)
    return value


def _text(option: Option, value: str) -> str:
    if not value and option.required:
        raise UserError(_("{name} cannot be empty.").format(name=option.name), usage=True)
    if has_hidden_characters(value):
        raise UserError(
            _("{name} contains invisible or control characters.").format(name=option.name)
        )
    if option.max_length is not None and len(value) > option.max_length:
        raise UserError(
            _("{name} is too long: {length} characters, at most {limit}.").format(
                name=option.name, length=Number(len(value)), limit=Number(option.max_length)
            )
        )
    return value


def _integer(option: Option, value: str) -> int:
    digits = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    sign = digits[:1] == "-"
    if not (digits[1:] if sign else digits).isdigit() or not digits.isascii() or len(digits) > 12:
        raise UserError(
            _("{name} must be a whole number, not “{value}”.").format(
                name=option.name, value=value[:40]
            ),
            usage=True,
        )
    number = int(digits)
    if option.min is not None and number < option.min:
        raise UserError(
            _("{name} must be at least {limit}.").format(name=option.name, limit=Number(option.min))
        )
    if option.max is not None and number > option.max:
        raise UserError(
            _("{name} must be at most {limit}.").format(name=option.name, limit=Number(option.max))
        )
    return number


def choice(enum: type[E], value: str, name: str) -> E:
    # An enumeration may accept other spellings through its `_missing_`.
    try:
        return enum(value.lower())
    except ValueError:
        pass
    raise UserError(
        _("{name} must be one of: {choices}.").format(
            name=name, choices=", ".join(str(member.value) for member in enum)
        ),
        usage=True,
    )
