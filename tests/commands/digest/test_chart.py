"""The chart's counts, and matplotlib loaded only when a chart is drawn."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from commands.digest.chart import WEEKS, WeeklyActions, draw, weekly_actions
from commands.digest.figures import PeriodKind, choose_period, span_of
from tests.commands.digest.world import NOW, World
from tests.conftest import Harness

ROOT = Path(__file__).resolve().parents[3]


async def test_twelve_weeks_ending_with_the_digest(harness: Harness, world: World) -> None:
    span = span_of(choose_period(PeriodKind.WEEK, NOW, "Europe/Paris"), NOW)

    data = await weekly_actions(harness.repos, span, NOW, None)

    assert len(data.weeks) == WEEKS
    assert data.weeks[0] == date(2026, 9, 14)
    assert data.weeks[-1] == date(2026, 11, 30)
    assert all(monday.weekday() == 0 for monday in data.weeks)
    last, before, two_before = -1, -2, -3
    assert data.counts["door_to_door"][last] == 3
    assert data.counts["door_to_door"][before] == 1
    assert data.counts["leafleting"][last] == 2  # a8 is cancelled
    assert data.counts["meeting"][two_before] == 1  # Sunday 22 November, 23:00
    assert data.counts["door_to_door"][data.weeks.index(date(2026, 9, 28))] == 1  # Rennes
    assert sum(sum(values) for values in data.counts.values()) == 10 + 5 + 1 + 1


async def test_a_month_ends_its_chart_with_its_last_week(harness: Harness, world: World) -> None:
    span = span_of(choose_period(PeriodKind.MONTH, NOW, "Europe/Paris"), NOW)

    data = await weekly_actions(harness.repos, span, NOW, "75")

    assert data.weeks[-1] == date(2026, 11, 30)  # the week of Monday 30 November
    assert data.counts == {"door_to_door": (0,) * 11 + (2,), "meeting": (0,) * 10 + (1, 0)}


def test_an_empty_chart_is_still_an_image() -> None:
    weeks = tuple(date(2026, 9, 14 + 7 * index) if index < 3 else date(2026, 10, 5)
                  for index in range(WEEKS))
    png = draw(WeeklyActions(weeks, {}, "2A"), "fr")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_matplotlib_is_imported_only_to_draw() -> None:
    code = (
        "import sys, commands.catalog, commands.digest.schedule, bot.app\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported too early'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
