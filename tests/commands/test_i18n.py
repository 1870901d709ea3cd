"""The catalogues: every sentence of the code translated, in both languages, safely.

When a test here fails after you added or changed a sentence:

    python scripts/update_catalogues.py

then write its French in commands/locale/fr.po (en.po is filled in by the script).
"""

from __future__ import annotations

import importlib.util
import re
import string
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from commands import i18n
from commands.i18n import CATALOGUE_DIR, RenderContext, Text, _, plural
from commands.spec import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("fr", "en")
FIX = "run python scripts/update_catalogues.py, then translate in commands/locale/fr.po"


def _load_script() -> ModuleType:
    """scripts/ is not a package: load the extraction from its file."""
    path = ROOT / "scripts" / "update_catalogues.py"
    spec = importlib.util.spec_from_file_location("update_catalogues", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


update_catalogues = _load_script()


@cache
def used() -> frozenset[str]:
    return frozenset(update_catalogues.used_messages())


@cache
def entries(locale: str) -> dict[str, str]:
    """msgid → msgstr, read straight from the file (empty msgstr kept)."""
    with (CATALOGUE_DIR / f"{locale}.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {
        message.id: str(message.string or "")
        for message in catalog
        if message.id and isinstance(message.id, str)
    }


def fields(text: str) -> Counter[tuple[str, str | None, str | None]]:
    """The `{placeholders}` of a sentence, with their conversion and format spec."""
    return Counter(
        (name, conversion, spec or None)
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def listed(messages: Iterable[str]) -> str:
    return "\n".join(f"  {message!r}" for message in sorted(messages))


def test_the_code_has_sentences_to_translate() -> None:
    assert "Only {who} can do that." in used()
    assert "Join a local committee." in used()  # a command's summary, from its docstring


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sentence_of_the_code_is_translated(locale: str) -> None:
    catalogue = entries(locale)
    missing = sorted(msgid for msgid in used() if not catalogue.get(msgid))
    assert not missing, (
        f"{len(missing)} sentence(s) without a translation in {locale}.po ({FIX}):\n"
        + listed(missing)
    )


def test_both_catalogues_hold_the_same_sentences() -> None:
    french, english = set(entries("fr")), set(entries("en"))
    assert french == english, (
        f"only in fr.po:\n{listed(french - english)}\nonly in en.po:\n{listed(english - french)}"
        f"\n({FIX})"
    )


def test_english_is_the_msgid_itself() -> None:
    different = [msgid for msgid, text in entries("en").items() if text != msgid]
    assert not different, f"en.po msgstr differs from its msgid:\n{listed(different)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_exactly_the_placeholders(locale: str) -> None:
    wrong = []
    for msgid, text in entries(locale).items():
        if not text:
            continue
        try:
            expected, found = fields(msgid), fields(text)
        except ValueError as error:  # a lone { or }
            wrong.append(f"{msgid!r}: {error}")
            continue
        if found != expected:
            wrong.append(
                f"{msgid!r}: expected {sorted(expected.elements())}, got {sorted(found.elements())}"
            )
            continue
        dummies = {name: "x" for name, _conversion, _spec in found}
        try:
            text.format(**dummies)
        except (ValueError, KeyError, IndexError, AttributeError) as error:
            wrong.append(f"{msgid!r}: {text!r} does not format: {error!r}")
    assert not wrong, f"{locale}.po:\n" + "\n".join(wrong)


def command_words(msgid: str) -> list[str]:
    """What a person types, quoted in a sentence: must reach the French untouched."""
    names = {spec.name for spec in REGISTRY if len(spec.path) > 1} | {"help"}
    words = [name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", msgid)]
    # name=value options, e.g. confirm=yes, description="…", near=
    words += re.findall(r"(?<![\w-])[a-z_]+=(?:\"[^\"]*\"|\S*)", msgid)
    return words


def test_command_words_are_not_translated() -> None:
    wrong = []
    for msgid, text in entries("fr").items():
        if not text:
            continue
        for word in command_words(msgid):
            if word not in text:
                wrong.append(f"{msgid!r}: {word!r} missing from {text!r}")
    assert not wrong, "\n".join(wrong)


# A space that may not break: before : in French, a narrow one before ; ! ?
COLON, NARROW = "\u00a0", "\u202f"


def typography_mistakes(text: str) -> list[str]:
    mistakes = []
    for match in re.finditer(r"(.)([;:!?])(?=\s|$)", text):
        before, mark = match.groups()
        wanted = COLON if mark == ":" else NARROW
        if before != wanted:
            mistakes.append(f"before {mark!r}: {before!r} instead of {wanted!r}")
    if re.search(r"«(?!\u00a0)", text) or re.search(r"(?<!\u00a0)»", text):
        mistakes.append("« » need a no-break space inside")
    return mistakes


def test_french_typography() -> None:
    wrong = [
        f"{msgid!r} → {text!r}: {', '.join(mistakes)}"
        for msgid, text in entries("fr").items()
        if (mistakes := typography_mistakes(text))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_french_catalogue_is_loaded_at_runtime() -> None:
    refusal = Text("Only {who} can do that.").format(who=_("national staff"))
    french = refusal.render(RenderContext("fr"))
    english = refusal.render(RenderContext("en"))
    assert english == "Only national staff can do that."
    assert french != english
    assert french == entries("fr")["Only {who} can do that."].format(
        who=entries("fr")["national staff"]
    )
    assert "l'équipe nationale" in french
    assert Text("Join a local committee.").render(RenderContext("fr")) == (
        entries("fr")["Join a local committee."]
    )


def test_an_unknown_locale_falls_back_to_french() -> None:
    assert Text("Join").render(RenderContext("de")) == entries("fr")["Join"]


@pytest.mark.parametrize(
    ("locale", "count", "expected_msgid"),
    [
        ("fr", 0, "{count} member"),
        ("fr", 1, "{count} member"),
        ("fr", 2, "{count} members"),
        ("en", 0, "{count} members"),
        ("en", 1, "{count} member"),
        ("en", 2, "{count} members"),
    ],
)
def test_plural_picks_singular_for_0_and_1_in_french_only_1_in_english(
    locale: str, count: int, expected_msgid: str
) -> None:
    members = plural(count, _("{count} member"), _("{count} members"))
    expected = entries(locale)[expected_msgid].format(count=count)
    assert members.render(RenderContext(locale)) == expected


def test_plural_writes_the_number_the_readers_way() -> None:
    members = plural(1200, _("{count} member"), _("{count} members"))
    assert members.render(RenderContext("en")) == "1,200 members"
    assert members.render(RenderContext("fr")).startswith("1\u202f200 ")


# --- the update script itself -------------------------------------------------------------

def test_the_update_script_is_stable_and_keeps_french(tmp_path: Path) -> None:
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n\n'
        'msgid "Hello {name}."\nmsgstr "Bonjour {name}."\n\n'
        'msgid "Leave the committee {name} now."\nmsgstr "Quittez le comité {name} maintenant."\n',
        encoding="utf-8",
    )
    messages = {
        "Hello {name}.": ("commands/a.py",),
        "Leave the committee {name} now, please.": ("commands/b.py",),
        "Show things.": ("help: thing show",),
    }
    for locale in LOCALES:
        update_catalogues.update(locale, messages, tmp_path)
    first = {locale: (tmp_path / f"{locale}.po").read_bytes() for locale in LOCALES}
    for locale in LOCALES:
        assert update_catalogues.update(locale, messages, tmp_path) == (0, 0)
        assert (tmp_path / f"{locale}.po").read_bytes() == first[locale], locale

    french = first["fr"].decode()
    for header in ("Language: fr", "Plural-Forms: nplurals=2; plural=(n > 1);",
                   "charset=utf-8"):
        assert header in french
    assert "Date" not in french
    assert "Generated-By" not in french
    assert 'msgstr "Bonjour {name}."' in french
    # The reworded sentence waits for a translator, with its old French as a start...
    assert update_catalogues.untranslated("fr", tmp_path) == [
        "Leave the committee {name} now, please.", "Show things."
    ]
    assert "# → Quittez le comité {name} maintenant." in french
    # ...and that French is kept, obsolete, should the old sentence come back.
    assert '#~ msgstr "Quittez le comité {name} maintenant."' in french
    messages["Leave the committee {name} now."] = ("commands/b.py",)
    update_catalogues.update("fr", messages, tmp_path)
    assert update_catalogues.read_translations(tmp_path / "fr.po", "fr")[0][
        "Leave the committee {name} now."
    ] == "Quittez le comité {name} maintenant."

    english = first["en"].decode()
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in english
    assert 'msgid "Show things."\nmsgstr "Show things."' in english
    assert "#. help: thing show" in english


def test_the_catalogues_are_as_the_update_script_writes_them() -> None:
    messages = update_catalogues.used_messages()
    for locale in LOCALES:
        path = CATALOGUE_DIR / f"{locale}.po"
        current, obsolete = update_catalogues.read_translations(path, locale)
        written = update_catalogues.render(locale, messages, current, obsolete)
        as_written = path.read_text(encoding="utf-8") == written
        assert as_written, f"{locale}.po is not as the script writes it: {FIX}"


@settings(max_examples=300, deadline=None)
@given(
    when=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31),
                      timezones=st.just(UTC)),
    zone=st.sampled_from(["Europe/Paris", "America/Cayenne", "Indian/Reunion",
                          "Pacific/Noumea", "America/Martinique", "UTC"]),
    pattern=st.sampled_from(sorted(i18n._PATTERNS)),
    locale=st.sampled_from(LOCALES),
)
def test_dates_are_written_as_babel_writes_them(
    when: datetime, zone: str, pattern: str, locale: str,
) -> None:
    expected = format_datetime(when, pattern, tzinfo=ZoneInfo(zone), locale=locale)
    assert i18n._datetime(when, pattern, zone, locale) == expected


@settings(max_examples=300, deadline=None)
@given(value=st.integers(min_value=-10**12, max_value=10**12), locale=st.sampled_from(LOCALES))
def test_whole_numbers_are_written_as_babel_writes_them(value: int, locale: str) -> None:
    assert i18n._number(value, locale) == format_decimal(value, locale=locale)
