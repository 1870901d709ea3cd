"""Free text typed for others to read: trimmed, bounded, no hidden characters."""

from __future__ import annotations

from commands.convert import has_hidden_characters
from commands.errors import UserError
from commands.i18n import Number, Renderable, _


def clean_text(value: str, *, what: Renderable, maximum: int, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise UserError(_("{what} cannot be empty.").format(what=what))
    if has_hidden_characters(text):
        raise UserError(_("{what} contains invisible or control characters.").format(what=what))
    if len(text) > maximum:
        raise UserError(
            _("{what}: too long, at most {limit} characters.").format(
                what=what, limit=Number(maximum)
            )
        )
    return text
