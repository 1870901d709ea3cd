"""Repeating series keep their local wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.actions.recurrence import Repeat, occurrences
from commands.convert import choice
from commands.errors import UserError
from commands.i18n import RenderContext, render

PARIS = "Europe/Paris"
ZONE = ZoneInfo(PARIS)


def paris(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def series(first: datetime, repeat: Repeat, end: datetime, limit: int = 104) -> list[datetime]:
    return occurrences(first, repeat, until_utc=end, timezone=PARIS, limit=limit)


def test_weekly_keeps_ten_oclock_across_spring_forward() -> None:
    starts = series(paris(2027, 3, 20, 10), Repeat.WEEKLY, paris(2027, 4, 3, 23, 59))
    assert starts == [utc(2027, 3, 20, 9), utc(2027, 3, 27, 9), utc(2027, 4, 3, 8)]
    assert {start.astimezone(ZONE).hour for start in starts} == {10}


def test_weekly_keeps_ten_oclock_across_fall_back() -> None:
    starts = series(paris(2026, 10, 17, 10), Repeat.WEEKLY, paris(2026, 10, 31, 12))
    assert starts == [utc(2026, 10, 17, 8), utc(2026, 10, 24, 8), utc(2026, 10, 31, 9)]


def test_biweekly() -> None:
    starts = series(paris(2026, 12, 5, 10), Repeat.BIWEEKLY, paris(2027, 1, 2, 10))
    assert [start.astimezone(ZONE).date().isoformat() for start in starts] == [
        "2026-12-05", "2026-12-19", "2027-01-02",
    ]


def test_monthly_on_the_31st_skips_the_shorter_months() -> None:
    starts = series(paris(2027, 1, 31, 18), Repeat.MONTHLY, paris(2027, 8, 31, 23, 59))
    assert starts == [
        utc(2027, 1, 31, 17), utc(2027, 3, 31, 16), utc(2027, 5, 31, 16), utc(2027, 7, 31, 16),
        utc(2027, 8, 31, 16),
    ]


def test_monthly_on_the_29th_has_february_only_in_leap_years() -> None:
    starts = series(paris(2027, 1, 29, 18), Repeat.MONTHLY, paris(2028, 3, 1))
    months = [start.astimezone(ZONE).strftime("%Y-%m") for start in starts]
    assert "2027-02" not in months
    assert "2028-02" in months
    assert len(months) == 13


def test_the_end_is_inclusive() -> None:
    starts = series(paris(2026, 12, 5, 10), Repeat.WEEKLY, paris(2026, 12, 12, 10))
    assert len(starts) == 2


def test_an_end_before_the_first_gives_nothing() -> None:
    assert series(paris(2026, 12, 5, 10), Repeat.WEEKLY, paris(2026, 12, 4)) == []


def test_limit() -> None:
    far = paris(2040, 1, 1)
    assert len(series(paris(2026, 12, 5, 10), Repeat.WEEKLY, far)) == 104
    assert len(series(paris(2026, 12, 5, 10), Repeat.MONTHLY, far, limit=3)) == 3
    assert series(paris(2026, 12, 5, 10), Repeat.WEEKLY, far, limit=0) == []


def test_a_skipped_wall_time_moves_forward_by_the_gap() -> None:
    starts = series(paris(2027, 3, 21, 2, 30), Repeat.WEEKLY, paris(2027, 4, 4, 23))
    shown = [start.astimezone(ZONE).strftime("%m-%d %H:%M") for start in starts]
    assert shown == ["03-21 02:30", "03-28 03:30", "04-04 02:30"]


def test_a_wall_time_shown_twice_takes_the_first() -> None:
    starts = series(paris(2026, 10, 18, 2, 30), Repeat.WEEKLY, paris(2026, 10, 26))
    assert starts[1] == utc(2026, 10, 25, 0, 30)


def test_the_first_start_is_kept_as_given() -> None:
    second_half_thirty = utc(2026, 10, 25, 1, 30)  # 02:30 winter time, the second one
    starts = series(second_half_thirty, Repeat.WEEKLY, paris(2026, 11, 1, 12))
    assert starts == [second_half_thirty, utc(2026, 11, 1, 1, 30)]


def test_naive_datetimes_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        occurrences(datetime(2026, 12, 5, 10), Repeat.WEEKLY, until_utc=paris(2027, 1, 1),
                    timezone=PARIS)


def test_the_calendar_running_out_ends_the_series() -> None:
    starts = series(paris(9999, 12, 4, 10), Repeat.WEEKLY, datetime.max.replace(tzinfo=UTC))
    assert len(starts) == 4


@settings(max_examples=100, deadline=None)
@given(
    first=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)),
    repeat=st.sampled_from(Repeat),
)
def test_every_start_shows_the_first_ones_wall_time(first: datetime, repeat: Repeat) -> None:
    first = first.replace(second=0, microsecond=0)
    start = first.replace(tzinfo=ZONE).astimezone(UTC)
    shown_first = start.astimezone(ZONE)
    starts = series(start, repeat, start + timedelta(days=800), limit=30)
    assert starts == sorted(set(starts))
    for moment in starts[1:]:
        shown = moment.astimezone(ZONE)
        if (shown.hour, shown.minute) != (shown_first.hour, shown_first.minute):
            # only a skipped spring hour moves, and only forward by that hour
            assert (shown - timedelta(hours=1)).time() == shown_first.time()
        if repeat is Repeat.MONTHLY:
            assert shown.day == shown_first.day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("weekly", Repeat.WEEKLY), ("Weekly", Repeat.WEEKLY), ("hebdomadaire", Repeat.WEEKLY),
        ("chaque semaine", Repeat.WEEKLY), ("toutes les deux semaines", Repeat.BIWEEKLY),
        ("une semaine sur deux", Repeat.BIWEEKLY), ("every other week", Repeat.BIWEEKLY),
        ("bi-weekly", Repeat.BIWEEKLY), ("tous les 15 jours", Repeat.BIWEEKLY),
        ("mensuel", Repeat.MONTHLY), ("chaque mois", Repeat.MONTHLY),
        ("monthly", Repeat.MONTHLY),
    ],
)
def test_repeat_spellings(typed: str, expected: Repeat) -> None:
    assert Repeat(typed) is expected
    assert choice(Repeat, typed, "repeat") is expected


# "bimensuel" is twice a month and "bihebdomadaire" twice a week: neither is offered.
@pytest.mark.parametrize("typed", ["bimensuel", "bihebdomadaire", "daily", ""])
def test_repeat_refuses_what_it_does_not_offer(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a valid Repeat"):
        Repeat(typed)
    with pytest.raises(UserError):
        choice(Repeat, typed, "repeat")


def test_repeat_labels() -> None:
    assert render(Repeat.BIWEEKLY.label, RenderContext("en")) == "every two weeks"
