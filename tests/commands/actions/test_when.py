"""Reading when an action starts, how long it lasts and when its series ends."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.actions.durations import parse_duration
from commands.actions.when import local, parse_until, parse_when, utc_from_local
from commands.errors import UserError
from commands.i18n import RenderContext, render

PARIS = "Europe/Paris"
# A Wednesday afternoon.
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=ZoneInfo(PARIS))


def wall(text: str, now: datetime = NOW, timezone: str = PARIS) -> datetime:
    """What the lead would read on the committee's clock, as a naive datetime."""
    return local(parse_when(text, now=now, timezone=timezone), timezone).replace(tzinfo=None)


def refusal(text: str, now: datetime = NOW, locale: str = "en") -> str:
    with pytest.raises(UserError) as caught:
        parse_when(text, now=now, timezone=PARIS)
    return render(caught.value.message, RenderContext(locale))


def at(*parts: int) -> datetime:
    return datetime(*parts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French
        ("samedi 10h", at(2026, 12, 5, 10)),
        ("samedi à 10h30", at(2026, 12, 5, 10, 30)),
        ("  Samedi   10H ", at(2026, 12, 5, 10)),
        ("samedi à 10", at(2026, 12, 5, 10)),
        ("samedi à 10 heures", at(2026, 12, 5, 10)),
        ("samedi matin 9h", at(2026, 12, 5, 9)),
        ("sam. 5 déc. 10h", at(2026, 12, 5, 10)),
        ("samedi 5 décembre à 10h", at(2026, 12, 5, 10)),
        ("demain à 18h30", at(2026, 12, 3, 18, 30)),
        ("demain 18h", at(2026, 12, 3, 18)),
        ("demain 18 h 30", at(2026, 12, 3, 18, 30)),
        ("demain midi", at(2026, 12, 3, 12)),
        ("demain soir 7h30", at(2026, 12, 3, 19, 30)),
        ("après-demain 9h", at(2026, 12, 4, 9)),
        ("dans 2 heures", at(2026, 12, 2, 17)),
        ("dans 30 minutes", at(2026, 12, 2, 15, 30)),
        ("dans 1h30", at(2026, 12, 2, 16, 30)),
        ("dans une demi-heure", at(2026, 12, 2, 15, 30)),
        ("dans 2 jours à 10h", at(2026, 12, 4, 10)),
        ("5 décembre 14h", at(2026, 12, 5, 14)),
        ("5 decembre 14h", at(2026, 12, 5, 14)),
        ("le 5 décembre à 14h", at(2026, 12, 5, 14)),
        ("5 décembre 2026 14h", at(2026, 12, 5, 14)),
        ("1er janvier 10h", at(2027, 1, 1, 10)),
        ("5/12 14h", at(2026, 12, 5, 14)),
        ("05/12/2026 14:00", at(2026, 12, 5, 14)),
        ("29/02 10h", at(2028, 2, 29, 10)),
        ("lundi prochain 19h", at(2026, 12, 7, 19)),
        ("mercredi prochain 16h", at(2026, 12, 9, 16)),
        ("samedi en huit 10h", at(2026, 12, 12, 10)),
        ("aujourd'hui 20h", at(2026, 12, 2, 20)),
        ("aujourd’hui 20h", at(2026, 12, 2, 20)),
        ("ce soir 20h", at(2026, 12, 2, 20)),
        ("ce soir 8h", at(2026, 12, 2, 20)),
        ("dimanche 17:00", at(2026, 12, 6, 17)),
        # English
        ("next Saturday 10am", at(2026, 12, 5, 10)),
        ("10am saturday", at(2026, 12, 5, 10)),
        ("tomorrow at 6:30pm", at(2026, 12, 3, 18, 30)),
        ("tomorrow 6:30 p.m.", at(2026, 12, 3, 18, 30)),
        ("tomorrow noon", at(2026, 12, 3, 12)),
        ("in 2 hours", at(2026, 12, 2, 17)),
        ("in an hour", at(2026, 12, 2, 16)),
        ("in 3 days at 10am", at(2026, 12, 5, 10)),
        ("December 5 2pm", at(2026, 12, 5, 14)),
        ("december 5th at 2pm", at(2026, 12, 5, 14)),
        ("Dec 5, 2026 2:30 pm", at(2026, 12, 5, 14, 30)),
        ("today 8pm", at(2026, 12, 2, 20)),
        ("tonight at 8", at(2026, 12, 2, 20)),
        ("friday 12am", at(2026, 12, 4, 0)),
        # Either language
        ("2026-12-05 14:00", at(2026, 12, 5, 14)),
        ("2026-12-05T14:00", at(2026, 12, 5, 14)),
    ],
)
def test_expressions_in_french_and_english(text: str, expected: datetime) -> None:
    assert wall(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A time alone: today while it is ahead, else tomorrow.
        ("18h30", at(2026, 12, 2, 18, 30)),
        ("14h", at(2026, 12, 3, 14)),
        ("15h", at(2026, 12, 3, 15)),  # exactly now is not ahead
        # A weekday: its next occurrence strictly after now, today included.
        ("mercredi 16h", at(2026, 12, 2, 16)),
        ("mercredi 14h", at(2026, 12, 9, 14)),
        # "prochain" / "next" never means today.
        ("next wednesday 16:00", at(2026, 12, 9, 16)),
        # A date without a year: its next occurrence.
        ("2 décembre 16h", at(2026, 12, 2, 16)),
        ("2 décembre 14h", at(2027, 12, 2, 14)),
        ("1/12 10h", at(2027, 12, 1, 10)),
    ],
)
def test_future_is_preferred(text: str, expected: datetime) -> None:
    assert wall(text) == expected


def test_the_result_is_aware_utc() -> None:
    start = parse_when("samedi 10h", now=NOW, timezone=PARIS)
    assert start == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)


def test_read_in_the_committee_timezone() -> None:
    now = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    start = parse_when("samedi 10h", now=now, timezone="America/Montreal")
    assert start == datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def test_relative_minutes_drop_the_seconds() -> None:
    now = NOW + timedelta(seconds=42)
    assert wall("dans 30 minutes", now) == at(2026, 12, 2, 15, 30)


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("samedi 10h", now=datetime(2026, 12, 2, 15), timezone=PARIS)


# --- the two daylight-saving Sundays of Europe/Paris ---------------------------------------

BEFORE_SPRING = datetime(2027, 3, 20, 12, 0, tzinfo=ZoneInfo(PARIS))
BEFORE_AUTUMN = datetime(2026, 10, 20, 12, 0, tzinfo=ZoneInfo(PARIS))


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("2027-03-28 02:30", BEFORE_SPRING),
        ("28/03 2h30", BEFORE_SPRING),
        ("dimanche 2h30", datetime(2027, 3, 27, 12, 0, tzinfo=ZoneInfo(PARIS))),
    ],
)
def test_a_time_the_clocks_skip_is_refused_with_the_time_after_the_jump(
    text: str, now: datetime
) -> None:
    message = refusal(text, now)
    assert "2027-03-28 02:30 does not exist in Europe/Paris" in message
    assert "Try 2027-03-28 03:30" in message


def test_the_hour_after_the_spring_jump_is_summer_time() -> None:
    start = parse_when("2027-03-28 03:30", now=BEFORE_SPRING, timezone=PARIS)
    assert local(start, PARIS).utcoffset() == timedelta(hours=2)
    assert start == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_time_shown_twice_in_autumn_takes_the_first() -> None:
    start = parse_when("2026-10-25 02:30", now=BEFORE_AUTUMN, timezone=PARIS)
    assert local(start, PARIS).utcoffset() == timedelta(hours=2)
    assert start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_wall_time_is_kept_across_the_change() -> None:
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=ZoneInfo(PARIS))
    assert parse_when("demain 10h", now=saturday, timezone=PARIS) == datetime(
        2027, 3, 28, 8, 0, tzinfo=UTC
    )


def test_in_two_hours_counts_real_hours_in_spring() -> None:
    night = datetime(2027, 3, 28, 1, 30, tzinfo=ZoneInfo(PARIS))
    start = parse_when("dans 2 heures", now=night, timezone=PARIS)
    assert local(start, PARIS).replace(tzinfo=None) == at(2027, 3, 28, 4, 30)
    assert start - night == timedelta(hours=2)


def test_in_two_hours_counts_real_hours_in_autumn() -> None:
    night = datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo(PARIS))
    start = parse_when("in 2 hours", now=night, timezone=PARIS)
    shown = local(start, PARIS)
    assert (shown.hour, shown.minute, shown.utcoffset()) == (2, 30, timedelta(hours=1))
    assert start - night == timedelta(hours=2)


# --- refusals ------------------------------------------------------------------------------

EXAMPLES = ("next Saturday 10am", "tomorrow at 6:30pm", "2026-12-09 14:00")


@pytest.mark.parametrize(
    "text",
    ["2026-12-02 14:00", "aujourd'hui 9h", "today 8am", "hier 10h", "1/12/2026 10h",
     "dans 0 minutes"],
)
def test_past_times_are_refused(text: str) -> None:
    message = refusal(text)
    assert message.startswith("That time has passed: ")
    assert all(example in message for example in EXAMPLES)


@pytest.mark.parametrize(
    "text", ["samedi", "5 décembre", "demain", "next Saturday", "dans 3 jours", "2026-12-05"]
)
def test_a_day_without_a_time_of_day_asks_for_one(text: str) -> None:
    message = refusal(text)
    assert "has no time of day" in message
    suggestion = re.findall(r"“([^”]*)”", message)[-1]
    assert parse_when(suggestion, now=NOW, timezone=PARIS) > NOW


@pytest.mark.parametrize(
    "text",
    ["", "   ", "blah", "10", "samedi 10", "samedi 10h 12h", "25h", "18h75", "13pm", "31/02 10h",
     "la semaine prochaine 10h", "2026-13-01 10:00", "1700000000", "samedi 10h" * 20],
)
def test_unreadable_text_is_refused(text: str) -> None:
    message = refusal(text)
    assert message.startswith("I could not read")
    assert all(example in message for example in EXAMPLES)


def test_a_weekday_that_contradicts_the_date_is_refused() -> None:
    message = refusal("dimanche 5 décembre 10h")
    assert "does not match the date: Saturday 5 December 2026, 10:00" in message


def test_more_than_five_years_ahead_is_refused() -> None:
    assert refusal("2062-12-05 14:00").startswith("That is more than five years ahead")


def test_the_examples_given_are_accepted() -> None:
    for example in EXAMPLES:
        assert parse_when(example, now=NOW, timezone=PARIS) > NOW


TOKENS = [
    "samedi", "demain", "next", "prochain", "à", "at", "10h", "18h30", "10am", "pm", "midi",
    "dans", "in", "2", "heures", "hours", "min", "5", "décembre", "december", "/", "12",
    "2026-12-05", "14:00", "T", "soir", "ce", "le", "en huit", "-", ".", ",", "0", "99", "24h",
]


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(TOKENS), max_size=6).map(" ".join),
    )
)
def test_any_text_gives_a_future_utc_time_or_a_user_error(text: str) -> None:
    try:
        start = parse_when(text, now=NOW, timezone=PARIS)
    except UserError:
        return
    assert start.tzinfo is not None
    assert start.utcoffset() == timedelta(0)
    assert start > NOW


# --- durations -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120), ("2 h", 120), ("2H", 120), ("90min", 90), ("90 min", 90), ("1h30", 90),
        ("1 h 30", 90), ("1h30m", 90), ("1h 30min", 90), ("45m", 45), ("2 heures", 120),
        ("1.5h", 90), ("1,5h", 90), ("1,5 heure", 90), ("30 minutes", 30), ("2 hours", 120),
        ("1 hour 30 minutes", 90), ("une heure et demie", 90), ("une demi-heure", 30),
        ("1:30", 90), ("2 hrs", 120), ("24h", 1440), ("1440 min", 1440),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["0h", "0 min", "-2h", "-30 min"])
def test_a_duration_must_be_positive(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    assert "more than zero" in str(caught.value.message)
    assert "1h30" in str(caught.value.message)


@pytest.mark.parametrize("text", ["25h", "24h01", "1500 min", "3 days", "999999999h"])
def test_an_action_lasts_at_most_a_day(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    message = str(caught.value.message)
    if text != "3 days":
        assert message.startswith("An action lasts at most 24 hours.")
    assert "2h, 1h30 or 90 min" in message


@pytest.mark.parametrize("text", ["", "abc", "2", "2 jours", "1.5h30", "1h75", "h", "2h 2h"])
def test_unreadable_durations_are_refused(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    assert "as a duration. Try for example 2h, 1h30 or 90 min." in str(caught.value.message)


# --- the end of a series -------------------------------------------------------------------

FIRST = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo(PARIS))


def until(text: str, after: datetime = FIRST) -> datetime:
    return local(parse_until(text, after=after, timezone=PARIS), PARIS).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 janvier", at(2027, 1, 31, 23, 59, 59)),
        ("le 31 janvier", at(2027, 1, 31, 23, 59, 59)),
        ("January 31", at(2027, 1, 31, 23, 59, 59)),
        ("2027-01-31", at(2027, 1, 31, 23, 59, 59)),
        ("31/01/2027", at(2027, 1, 31, 23, 59, 59)),
        ("31/1", at(2027, 1, 31, 23, 59, 59)),
        ("31 janvier 18h", at(2027, 1, 31, 18)),
        ("fin janvier", at(2027, 1, 31, 23, 59, 59)),
        ("fin février", at(2027, 2, 28, 23, 59, 59)),
        ("end of December", at(2026, 12, 31, 23, 59, 59)),
        ("fin juin 2027", at(2027, 6, 30, 23, 59, 59)),
        ("5 décembre", at(2026, 12, 5, 23, 59, 59)),  # the first action's own day
        ("dans 3 semaines", at(2026, 12, 26, 23, 59, 59)),
        ("samedi prochain", at(2026, 12, 12, 23, 59, 59)),
    ],
)
def test_until(text: str, expected: datetime) -> None:
    assert until(text) == expected


def test_until_summer_time_is_read_locally() -> None:
    assert parse_until("2027-07-01", after=FIRST, timezone=PARIS) == datetime(
        2027, 7, 1, 21, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["2026-12-04", "2026-12-05 09:00", "2026-12-05 10:00"])
def test_until_must_come_after_the_first_action(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_until(text, after=FIRST, timezone=PARIS)
    assert str(caught.value.message).startswith("A series must end after its first action")


@pytest.mark.parametrize("text", ["", "blah", "fin", "fin blah", "la semaine prochaine"])
def test_unreadable_until_is_refused(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_until(text, after=FIRST, timezone=PARIS)
    assert "Try for example January 31 or 2027-01-31." in str(caught.value.message)


# --- helpers -------------------------------------------------------------------------------

def test_local_shows_the_committee_clock() -> None:
    shown = local(datetime(2027, 7, 1, 8, 0, tzinfo=UTC), PARIS)
    assert (shown.hour, shown.utcoffset()) == (10, timedelta(hours=2))


def test_utc_from_local_moves_skipped_times_forward_and_takes_the_first_of_two() -> None:
    assert utc_from_local(at(2027, 3, 28, 2, 30), PARIS) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert utc_from_local(at(2026, 10, 25, 2, 30), PARIS) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
