"""Every figure of the digest against the values worked out by hand in `world.py`."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from commands.digest.figures import (
    Digest,
    Period,
    PeriodKind,
    choose_period,
    compute,
    percent_change,
    persuaded,
    span_of,
    whole,
)
from commands.errors import UserError
from commands.settings import Impact, Settings
from storage.digest import FieldSums
from tests.commands.digest.world import NOW, PARIS, World, paris
from tests.conftest import Harness

ZONE = "Europe/Paris"


async def digest_of(
    harness: Harness, kind: PeriodKind = PeriodKind.WEEK, day: str | None = None,
    departement: str | None = None, settings: Settings | None = None,
) -> Digest:
    period = choose_period(kind, NOW, ZONE, day)
    return await compute(harness.repos, settings or harness.services.settings, period=period,
                         now=NOW, departement=departement)


async def test_the_week_and_the_week_before(harness: Harness, world: World) -> None:
    digest = await digest_of(harness)

    assert digest.span.period == Period(PeriodKind.WEEK, date(2026, 11, 30), date(2026, 12, 7),
                                        ZONE)
    assert digest.span.complete
    assert digest.span.current.start == paris(11, 30, 0)
    assert digest.span.current.end == paris(12, 7, 0)
    assert digest.span.previous.start == paris(11, 23, 0)
    assert digest.span.previous.end == paris(11, 30, 0)

    now, before = digest.current, digest.previous
    assert now.held == 10
    assert now.actions == {"door_to_door": 3, "leafleting": 2, "phone_bank": 1,
                           "postering": 1, "meeting": 1, "online": 1, "other": 1}
    assert before.held == 5
    assert before.actions == {"door_to_door": 1, "leafleting": 1, "phone_bank": 1,
                              "online": 1, "meeting": 1}
    assert (now.active_committees, before.active_committees) == (3, 2)
    assert (now.new_committees, before.new_committees) == (1, 1)
    assert digest.live_committees == 5


async def test_what_the_reports_add_up_to(harness: Harness, world: World) -> None:
    digest = await digest_of(harness)

    assert digest.current.sums == FieldSums(
        held=10, reported=8, attendees=53, doors_knocked=320, doors_opened=125,
        conversations=152, contacts=28, leaflets=2500, calls_made=200, calls_answered=80,
        posters=60, new_members=4, phone_conversations=40)
    assert digest.previous.sums == FieldSums(
        held=5, reported=4, attendees=18, doors_knocked=100, doors_opened=40,
        conversations=55, contacts=5, leaflets=500, calls_made=100, calls_answered=50,
        posters=0, new_members=2, phone_conversations=20)
    assert (digest.current.face_to_face, digest.previous.face_to_face) == (112, 35)


async def test_voters_persuaded_and_their_change(harness: Harness, world: World) -> None:
    digest = await digest_of(harness)

    # 112/14 + 80/100 + 2500/1000 and 35/14 + 50/100 + 500/1000
    assert digest.current.persuaded == pytest.approx(11.3)
    assert digest.previous.persuaded == pytest.approx(3.5)
    assert whole(digest.current.persuaded) == 11
    assert percent_change(digest.current.persuaded, digest.previous.persuaded) == 223


async def test_the_rates_come_from_the_settings(harness: Harness, world: World) -> None:
    settings = Settings(impact=Impact(conversation=7, call=10, leaflet=500))

    digest = await digest_of(harness, settings=settings)

    # 112/7 + 80/10 + 2500/500
    assert digest.current.persuaded == pytest.approx(16 + 8 + 5)


def test_phone_conversations_are_counted_as_calls_only() -> None:
    sums = FieldSums(held=1, reported=1, attendees=3, doors_knocked=0, doors_opened=0,
                     conversations=40, contacts=0, leaflets=0, calls_made=200,
                     calls_answered=80, posters=0, new_members=0, phone_conversations=40)

    assert persuaded(sums, Impact()) == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(10, 5, 100), (5, 10, -50), (2, 3, -33), (3, 8, -63), (425, 400, 6), (17, 8, 113),
     (3, 0, None), (0, 0, None), (0, 4, -100), (1, 8, -88)],
)
def test_percent_change_rounds_half_away_from_zero(
    current: int, previous: int, expected: int | None
) -> None:
    assert percent_change(current, previous) == expected


async def test_campaign_progress_is_national_and_since_it_began(
    harness: Harness, world: World
) -> None:
    digest = await digest_of(harness, departement="75")

    [line] = digest.campaigns  # the September campaign is over
    assert line.campaign.slug == "grande-marche"
    # doors: a1 120 + a10 200 + p1 100; leaflets: a2 (a8 is cancelled); actions tagged:
    # a1, a2, a10, p1 and the coming u1.
    assert line.progress.figures["doors"] == 420
    assert line.progress.figures["leaflets"] == 1500
    assert line.progress.figures["actions"] == 5


async def test_top_departements_and_committees(harness: Harness, world: World) -> None:
    digest = await digest_of(harness)

    assert [(row.departement, row.actions, row.previous_actions, row.attendees)
            for row in digest.departements] == [("69", 8, 4, 43), ("75", 2, 1, 10)]
    assert [(row.slug, row.actions, row.attendees) for row in digest.committees] == [
        ("lyon-croix-rousse", 7, 40), ("paris-11e", 2, 10), ("lyon-plateau", 1, 3)]


async def test_silent_committees_the_coming_week_and_flags(
    harness: Harness, world: World
) -> None:
    digest = await digest_of(harness)

    # Lyon Plateau and Paris 11e are too young to be silent; Marseille is suspended.
    assert digest.silent == 2
    assert [(row.slug, row.members, row.last_action) for row in digest.silent_largest] == [
        ("rennes-nord", 8, paris(10, 3)), ("ajaccio", 1, None)]
    assert digest.upcoming.actions == {"leafleting": 1, "door_to_door": 1}
    assert digest.upcoming.committees == 2
    assert (digest.flags.flags, digest.flags.items) == (3, 2)


async def test_a_month_and_the_month_before(harness: Harness, world: World) -> None:
    digest = await digest_of(harness, PeriodKind.MONTH)

    assert digest.span.period == Period(PeriodKind.MONTH, date(2026, 11, 1), date(2026, 12, 1),
                                        ZONE)
    assert digest.span.previous.start == paris(10, 1, 0)
    # November: p1-p5, the meeting of 22 November and a6 (Monday 30, 00:30); October: Rennes.
    now, before = digest.current, digest.previous
    assert now.actions == {"door_to_door": 1, "leafleting": 1, "phone_bank": 1, "online": 2,
                           "meeting": 2}
    assert before.actions == {"door_to_door": 1}
    assert (now.sums.attendees, before.sums.attendees) == (18 + 30, 0)
    assert (now.new_committees, before.new_committees) == (1, 0)  # Paris 11e
    assert (now.active_committees, before.active_committees) == (2, 1)
    assert [(row.departement, row.actions) for row in digest.departements] == [
        ("69", 6), ("75", 1)]


async def test_a_day_picks_the_period_it_is_in(harness: Harness, world: World) -> None:
    digest = await digest_of(harness, PeriodKind.MONTH, day="2026-10-15")

    assert digest.span.period.first == date(2026, 10, 1)
    assert digest.current.actions == {"door_to_door": 1}
    assert digest.previous.held == 0


async def test_a_departement_alone(harness: Harness, world: World) -> None:
    digest = await digest_of(harness, departement="69")

    now, before = digest.current, digest.previous
    assert (now.held, before.held) == (8, 4)
    assert (now.sums.attendees, before.sums.attendees) == (43, 10)
    assert (now.sums.leaflets, now.sums.conversations) == (2500, 96)
    assert (now.new_committees, before.new_committees) == (1, 0)
    assert (now.active_committees, before.active_committees) == (2, 1)
    assert digest.live_committees == 2
    assert digest.silent == 0
    assert digest.upcoming.actions == {"leafleting": 1}
    assert (digest.flags.flags, digest.flags.items) == (1, 1)
    assert [row.slug for row in digest.committees] == ["lyon-croix-rousse", "lyon-plateau"]

    rennes = await digest_of(harness, departement="35")
    assert rennes.current.held == 0
    assert (rennes.silent, rennes.flags.flags, rennes.flags.items) == (1, 2, 1)


async def test_a_week_under_way_is_compared_with_the_same_hours_before(
    harness: Harness, world: World
) -> None:
    digest = await digest_of(harness, day="2026-12-07")

    assert not digest.span.complete
    assert digest.span.current.start == paris(12, 7, 0)
    assert digest.span.current.end == NOW
    assert digest.span.previous.start == paris(11, 30, 0)
    assert digest.span.previous.end == paris(11, 30, 8)
    # u4 (Monday 07:00) against a6 (Monday 00:30).
    assert digest.current.actions == {"meeting": 1}
    assert digest.previous.actions == {"online": 1}


def test_the_same_hours_across_a_change_of_clocks() -> None:
    # Sunday 29 March 2026, Paris moves to summer time: Wednesday noon is still Wednesday noon.
    period = Period.of_day(date(2026, 4, 1), PeriodKind.WEEK, ZONE)
    span = span_of(period, datetime(2026, 4, 1, 12, 0, tzinfo=PARIS))

    assert span.previous.start == datetime(2026, 3, 23, 0, 0, tzinfo=PARIS)
    assert span.previous.end == datetime(2026, 3, 25, 12, 0, tzinfo=PARIS)


def test_months_of_every_length() -> None:
    period = Period.of_day(date(2026, 2, 14), PeriodKind.MONTH, ZONE)

    assert (period.first, period.after) == (date(2026, 2, 1), date(2026, 3, 1))
    assert period.before().first == date(2026, 1, 1)
    assert Period.of_day(date(2026, 12, 31), PeriodKind.MONTH, ZONE).after == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "first"),
    [("2026-11-03", date(2026, 11, 2)), ("3 novembre", date(2026, 11, 2)),
     ("November 3", date(2026, 11, 2)), ("today", date(2026, 12, 7))],
)
def test_days_as_people_type_them(text: str, first: date) -> None:
    assert choose_period(PeriodKind.WEEK, NOW, ZONE, text).first == first


def test_a_period_still_to_come_is_refused() -> None:
    with pytest.raises(UserError):
        choose_period(PeriodKind.WEEK, NOW, ZONE, "2027-01-10")
