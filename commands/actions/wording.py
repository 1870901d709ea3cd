"""Reading what people type about time: one spelling for apostrophes, case and spaces."""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans("’ʼ‘`´", "'" * 5)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, compatibility forms folded, single spaces."""
    straight = text.translate(_APOSTROPHES)
    return " ".join(unicodedata.normalize("NFKC", straight).lower().split())


def quote(text: str) -> str:
    """A short, single-line excerpt of what was typed, to quote back in a message."""
    return " ".join(text.split())[:40]
