"""What one digest sends, whoever reads it."""

from __future__ import annotations

from commands.digest.build import file_stem, gather, replies
from commands.digest.figures import PeriodKind, choose_period
from tests.commands.digest.world import NOW, World
from tests.conftest import Harness


async def test_a_reader_of_another_language_gets_a_chart_in_theirs(
    harness: Harness, world: World
) -> None:
    period = choose_period(PeriodKind.WEEK, NOW, "Europe/Paris")
    gathered = await gather(harness.services, period, NOW, None)  # the organisation's: fr
    assert gathered.chart_locale == "fr"
    assert gathered.chart is not None

    english = await replies(gathered, "en", private=True)
    french = await replies(gathered, "fr", private=True)

    [english_png] = [reply.file.data for reply in english if reply.file and reply.file.filename
                     .endswith(".png")]
    [french_png] = [reply.file.data for reply in french if reply.file and reply.file.filename
                    .endswith(".png")]
    assert french_png == gathered.chart
    assert english_png != gathered.chart  # labelled anew, in English


async def test_file_names_say_the_period_and_the_departement(
    harness: Harness, world: World
) -> None:
    week = choose_period(PeriodKind.WEEK, NOW, "Europe/Paris")
    month = choose_period(PeriodKind.MONTH, NOW, "Europe/Paris")

    assert file_stem((await gather(harness.services, week, NOW, None)).digest) == (
        "digest-2026-11-30")
    assert file_stem((await gather(harness.services, month, NOW, "2A")).digest) == (
        "digest-2026-11-2A")
