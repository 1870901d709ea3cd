"""Raw strings become typed values, or a clear refusal."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any

import pytest

from commands.convert import choice, convert, has_hidden_characters
from commands.errors import UserError
from commands.general import Language
from commands.i18n import RenderContext, render
from commands.spec import Kind, Option


class Size(StrEnum):
    SMALL = "small"
    LARGE = "large"

    @classmethod
    def _missing_(cls, value: object) -> Size | None:
        return {"petit": cls.SMALL, "grand": cls.LARGE}.get(str(value))


class Number(Enum):
    ONE = "1"
    TWO = "2"


def option(kind: Kind, *, required: bool = True, **extra: Any) -> Option:
    return Option(
        name="value",
        kind=kind,
        description="a value",
        required=required,
        default=None,
        positional=True,
        **extra,
    )


def refusal(opt: Option, raw: str, locale: str = "en") -> str:
    with pytest.raises(UserError) as caught:
        convert(opt, raw)
    return render(caught.value.message, RenderContext(locale))


# --- integers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("-3", -3),
        ("0", 0),
        ("007", 7),
        ("1 200", 1200),
        ("1\u00a0200", 1200),
        ("1\u202f200", 1200),
        ("999999999999", 999_999_999_999),
    ],
)
def test_integers(raw: str, expected: int) -> None:
    assert convert(option(Kind.INTEGER), raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "-", "abc", "1.5", "1,5", "+3", "3e2", "0x10", "١٢", "²", "１２", "٣", "1 2 3 a",
     "1234567890123", "--1"],
)
def test_non_integers_are_refused_with_usage(raw: str) -> None:
    with pytest.raises(UserError) as caught:
        convert(option(Kind.INTEGER), raw)
    assert caught.value.usage
    assert "whole number" in render(caught.value.message, RenderContext("en"))


def test_integer_bounds() -> None:
    bounded = option(Kind.INTEGER, min=1, max=10)
    assert convert(bounded, "1") == 1
    assert convert(bounded, "10") == 10
    assert refusal(bounded, "0") == "value must be at least 1."
    assert refusal(bounded, "11") == "value must be at most 10."


def test_integer_limits_are_written_the_readers_way() -> None:
    bounded = option(Kind.INTEGER, max=10_000)
    assert refusal(bounded, "20000", "en") == "value must be at most 10,000."
    assert "10\u202f000" in refusal(bounded, "20000", "fr")


# --- booleans ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["yes", "YES", "y", "oui", "Oui", "o", "true", "1", "on", "vrai"])
def test_true_words(raw: str) -> None:
    assert convert(option(Kind.BOOLEAN), raw) is True


@pytest.mark.parametrize("raw", ["no", "n", "non", "NON", "false", "0", "off", "faux"])
def test_false_words(raw: str) -> None:
    assert convert(option(Kind.BOOLEAN), raw) is False


@pytest.mark.parametrize("raw", ["", "maybe", "2", "ouii", "yes please"])
def test_other_words_are_not_booleans(raw: str) -> None:
    with pytest.raises(UserError) as caught:
        convert(option(Kind.BOOLEAN), raw)
    assert caught.value.usage
    assert render(caught.value.message, RenderContext("en")) == "value must be yes or no."


# --- choices ----------------------------------------------------------------------------


def test_choice_by_value_any_case() -> None:
    sized = option(Kind.CHOICE, enum=Size, choices=("small", "large"))
    assert convert(sized, "small") is Size.SMALL
    assert convert(sized, " LARGE ") is Size.LARGE


def test_choice_aliases_through_missing() -> None:
    assert choice(Size, "Petit", "size") is Size.SMALL
    assert choice(Language, "Français", "language") is Language.FR
    assert choice(Language, "english", "language") is Language.EN
    assert choice(Language, "EN", "language") is Language.EN


def test_choice_of_a_plain_enum() -> None:
    assert choice(Number, "2", "n") is Number.TWO


def test_unknown_choice_lists_the_values() -> None:
    with pytest.raises(UserError) as caught:
        choice(Language, "de", "language")
    assert caught.value.usage
    assert render(caught.value.message, RenderContext("en")) == (
        "language must be one of: fr, en."
    )


# --- text -------------------------------------------------------------------------------


def test_text_is_stripped() -> None:
    assert convert(option(Kind.TEXT), "  Lyon 3e  ") == "Lyon 3e"


def test_text_keeps_newlines_tabs_and_accents() -> None:
    assert convert(option(Kind.TEXT), "l'école\tdu\ncoin — été 🌞") == "l'école\tdu\ncoin — été 🌞"


def test_empty_required_text_is_refused() -> None:
    assert refusal(option(Kind.TEXT), "   ") == "value cannot be empty."


def test_empty_optional_text_is_allowed() -> None:
    assert convert(option(Kind.TEXT, required=False), "") == ""


@pytest.mark.parametrize(
    "raw",
    [
        "evil\u202etxt.exe",  # right-to-left override
        "a\u2066b",  # left-to-right isolate
        "a\u200fb",  # right-to-left mark
        "bell\x07",
        "nul\x00byte",
        "esc\x1b[31m",
        "del\x7f",
        "private\ue000",
        "unassigned\U000e0fff",
    ],
)
def test_text_with_control_or_bidi_characters_is_refused(raw: str) -> None:
    assert has_hidden_characters(raw)
    assert "invisible or control" in refusal(option(Kind.TEXT), raw)


def test_ordinary_text_has_no_hidden_characters() -> None:
    assert not has_hidden_characters("Lyon Croix-Rousse, 69004 — « tractage » !\n")


def test_text_max_length() -> None:
    limited = option(Kind.TEXT, max_length=5)
    assert convert(limited, "abcde") == "abcde"
    # Spaces around do not count: they are stripped first.
    assert convert(limited, "  abcde  ") == "abcde"
    assert refusal(limited, "abcdef") == "value is too long: 6 characters, at most 5."


def test_committee_and_member_values_are_left_to_the_dispatcher() -> None:
    assert convert(option(Kind.COMMITTEE), " lyon-3e ") == "lyon-3e"
    assert convert(option(Kind.MEMBER), "@ines") == "@ines"
