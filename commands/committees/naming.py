"""Committee names: what is allowed, how duplicates are spotted, how ids are made."""

from __future__ import annotations

import re
import unicodedata

from commands.convert import has_hidden_characters
from commands.errors import UserError
from commands.i18n import Number, Renderable, _

# Letters, digits and spaces, plus the punctuation real place names use. Nothing that a chat
# platform reads as markup or a mention (@ # < > * _ ~ ` | [ ]).
ALLOWED_PUNCTUATION = frozenset(" -'’.,()&/+°")
SLUG_MAX = 40


def clean_label(value: str, *, what: Renderable, minimum: int, maximum: int) -> str:
    """A name or place, trimmed and checked; `what` names the field in messages."""
    label = " ".join(value.split())
    if has_hidden_characters(value):
        raise UserError(
            _("{what} contains invisible or control characters.").format(what=what)
        )
    if len(label) < minimum or len(label) > maximum:
        raise UserError(
            _("{what} must be {minimum} to {maximum} characters long.").format(
                what=what, minimum=Number(minimum), maximum=Number(maximum)
            )
        )
    for char in label:
        category = unicodedata.category(char)
        # Any dash (Pd): phones and copied place names write Croix–Rousse or Croix‑Rousse.
        if category[0] in "LMN" or category == "Pd" or char in ALLOWED_PUNCTUATION:
            continue
        raise UserError(
            _("{what} cannot contain “{char}”: letters, digits, spaces and - ' . , ( ) & /"
              " only.").format(what=what, char=char)
        )
    if not any(unicodedata.category(char)[0] == "L" for char in label):
        raise UserError(_("{what} needs at least one letter.").format(what=what))
    return label


# Letters Unicode does not decompose into a base letter and an accent: 'Cœur' ~ 'coeur'.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


def fold(value: str) -> str:
    """Lowercase, without accents, punctuation as spaces: 'Croix-Rousse' ~ 'croix rousse'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(LIGATURES))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


def slugify(value: str) -> str:
    ascii_only = fold(value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:SLUG_MAX].strip("-")
    return slug or "comite"


def search_key(name: str, place: str, postal_code: str) -> str:
    return f"{fold(name)} {fold(place)} {postal_code}"
