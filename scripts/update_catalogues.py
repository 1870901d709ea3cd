"""Bring commands/locale/{fr,en}.po up to date with the sentences in the code.

    python scripts/update_catalogues.py           # sync both catalogues
    python scripts/update_catalogues.py --prune   # also forget old, unused French

Every `_("…")` in commands/ and bot/ and every command's summary (its docstring's first
paragraph) is a sentence. New sentences are added: in en.po the English is copied over, in
fr.po the French is left empty for a translator (with the closest old translation, if any, as
a comment to start from). Existing French is kept. A sentence no longer used leaves the
catalogue; its French stays at the end of fr.po as an obsolete `#~` entry, so that a sentence
that comes back, or one only reworded, does not lose its translation.

The output depends on nothing but the code and the catalogues: no dates, no tool versions,
sorted, so running it twice changes nothing. tests/commands/test_i18n.py fails while any
French is missing.
"""

from __future__ import annotations

import argparse
import difflib
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
LOCALE_DIR = ROOT / "commands" / "locale"
PACKAGES = ("commands", "bot")
LOCALES = ("fr", "en")
WIDTH = 100
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}
# How alike an old sentence must be to a new one for its French to be offered as a start.
SUGGESTION_CUTOFF = 0.75


def used_messages() -> dict[str, tuple[str, ...]]:
    """Every translatable sentence in the code, with where it is used (sorted)."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords={"_": None}, comment_tags=()
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, set()).add(f"{package}/{filename}")
    import commands.catalog  # noqa: F401  (declares every command)
    from commands.spec import REGISTRY

    for spec in REGISTRY:
        found.setdefault(spec.summary.msgid, set()).add(f"help: {spec.name}")
    return {msgid: tuple(sorted(places)) for msgid, places in found.items()}


def header(locale: str) -> str:
    """The catalogue's header entry, the same on every run."""
    fields = [
        "Project-Id-Version: Comités",
        f"Language: {locale}",
        f"Plural-Forms: {PLURAL_FORMS.get(locale) or Catalog(locale=locale).plural_forms}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    language = LANGUAGE_NAMES.get(locale, locale)
    return "".join([
        f"# {language} sentences of Comités, the committees bot.\n",
        "# Kept in sync with the code by scripts/update_catalogues.py: edit msgstr lines only.\n",
        'msgid ""\n',
        'msgstr ""\n',
        *(f'"{field}\\n"\n' for field in fields),
        "\n",
    ])


def read_translations(path: Path, locale: str) -> tuple[dict[str, str], dict[str, str]]:
    """The catalogue's translations: those in use, and the obsolete `#~` ones."""
    if not path.exists():
        return {}, {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    current = {
        message.id: str(message.string or "")
        for message in catalog
        if message.id and isinstance(message.id, str)
    }
    obsolete = {
        message.id: str(message.string or "")
        for message in catalog.obsolete.values()
        if message.id and isinstance(message.id, str) and message.string
    }
    return current, obsolete


def _suggestion(msgid: str, translations: dict[str, str]) -> list[str]:
    """Comments offering the French of the closest old sentence, to start from."""
    close = difflib.get_close_matches(msgid, list(translations), n=1, cutoff=SUGGESTION_CUTOFF)
    if not close:
        return []
    return [f"was: {close[0]}", f"→ {translations[close[0]]}"]


def render(
    locale: str, messages: dict[str, tuple[str, ...]], current: dict[str, str],
    obsolete: dict[str, str], prune: bool = False,
) -> str:
    """The whole catalogue as text: the header, then every sentence sorted by msgid."""
    catalog = Catalog(locale=locale, charset="utf-8", fuzzy=False)
    # French no longer used, kept for a sentence that comes back or is reworded.
    retired = {
        msgid: string for msgid, string in {**obsolete, **current}.items()
        if string and msgid not in messages
    }
    for msgid in sorted(messages):
        # English is the msgid itself; French is kept, or brought back from retirement.
        string = msgid if locale == "en" else current.get(msgid) or obsolete.get(msgid, "")
        places = messages[msgid]
        catalog.add(
            msgid,
            string,
            locations=[(place, 0) for place in places if not place.startswith("help: ")],
            auto_comments=[place for place in places if place.startswith("help: ")],
            user_comments=[] if string else _suggestion(msgid, retired),
        )
    if locale != "en" and not prune:
        for msgid in sorted(retired):
            catalog.obsolete[msgid] = Message(msgid, retired[msgid])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, omit_header=True, sort_output=True,
             include_lineno=False)
    return header(locale) + buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


def update(
    locale: str, messages: dict[str, tuple[str, ...]], directory: Path = LOCALE_DIR,
    prune: bool = False,
) -> tuple[int, int]:
    """Rewrite one catalogue; returns how many sentences were added and dropped."""
    path = directory / f"{locale}.po"
    current, obsolete = read_translations(path, locale)
    text = render(locale, messages, current, obsolete, prune)
    directory.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return len(set(messages) - set(current)), len(set(current) - set(messages))


def untranslated(locale: str, directory: Path = LOCALE_DIR) -> list[str]:
    """The sentences of a catalogue still without a translation."""
    current, _obsolete = read_translations(directory / f"{locale}.po", locale)
    return sorted(msgid for msgid, string in current.items() if not string)


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prune", action="store_true",
                        help="drop the obsolete French kept at the end of fr.po")
    args = parser.parse_args(None if argv is None else list(argv))
    messages = used_messages()
    for locale in LOCALES:
        added, dropped = update(locale, messages, prune=args.prune)
        missing = len(untranslated(locale))
        print(f"{locale}: {len(messages)} messages, {added} new, {dropped} dropped,"
              f" {missing} untranslated")


if __name__ == "__main__":
    main()
