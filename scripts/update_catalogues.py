"""Bring commands/locale/{fr,en}.po up to date with the sentences in the code.

    python scripts/update_catalogues.py

New sentences are added (English filled in, French left empty for a translator), sentences
no longer used are dropped. The i18n test fails while any French is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOCALE_DIR = ROOT / "commands" / "locale"


def used_messages() -> dict[str, str]:
    """Every translatable sentence, with where it first appears."""
    found: dict[str, str] = {}
    for package in ("commands", "bot"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords={"_": None}, comment_tags=()
        ):
            if isinstance(message, str):
                found.setdefault(message, f"{package}/{filename}:{lineno}")
    import commands.catalog  # noqa: F401
    from commands.spec import REGISTRY

    for spec in REGISTRY:
        found.setdefault(spec.summary.msgid, f"command {spec.name}")
    return found


def update(locale: str, messages: dict[str, str]) -> tuple[int, int]:
    path = LOCALE_DIR / f"{locale}.po"
    old: dict[str, str] = {}
    if path.exists():
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and isinstance(message.id, str):
                    old[message.id] = str(message.string or "")
    catalog = Catalog(locale=locale, project="Comités", charset="utf-8")
    added = 0
    for msgid in sorted(messages):
        string = old.get(msgid, "")
        if not string and locale == "en":
            string = msgid
        if msgid not in old:
            added += 1
        catalog.add(msgid, string, locations=[(messages[msgid], 0)])
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True,
                 sort_output=True)
    return added, len(set(old) - set(messages))


def main() -> None:
    messages = used_messages()
    for locale in ("fr", "en"):
        added, dropped = update(locale, messages)
        print(f"{locale}: {len(messages)} messages, {added} new, {dropped} dropped")


if __name__ == "__main__":
    main()
