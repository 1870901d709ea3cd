"""The digest's figures: a period and the one before it, compared; the state of things now.

Periods are calendar weeks (from Monday 00:00) or months, in the organisation's timezone.
A period still under way is counted up to now and compared with the same stretch of the
period before (Monday to Thursday noon against Monday to Thursday noon), so a change in %
compares like with like.

Definitions (the SQL is in `storage.digest`):
- an action is *held* in a period when it is not cancelled and starts in it;
- *active* committees held at least one action; *new* ones were created in the period;
- attendees, doors, conversations, leaflets, calls, posters, contacts and new members are
  the sums of the reports of the actions held (an action without a report adds nothing);
- *voters persuaded* = face-to-face conversations / `impact.conversation` + calls answered /
  `impact.call` + leaflets / `impact.leaflet`. Conversations on a phone bank are not
  face-to-face: they are part of its calls answered (a report cannot give more), which
  count at the phone rate, so a call is never counted twice;
- a campaign's progress is national and covers its whole life (`campaign_progress`);
- silent committees, the coming week and flags describe now, whatever the period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from commands.actions.kinds import ActionKind
from commands.actions.when import local, utc_from_local
from commands.campaigns import Progress, campaign_progress, read_day
from commands.errors import UserError
from commands.i18n import Day, _
from commands.settings import Impact, Settings
from storage.campaigns import Campaign
from storage.digest import (
    CURRENT,
    PREVIOUS,
    CommitteeRow,
    DepartementRow,
    FieldSums,
    FlagCounts,
    SilentCommittee,
    Upcoming,
    Window,
)
from storage.repositories import Repositories

TOP = 5
SILENT_AFTER = timedelta(days=30)
SILENT_SHOWN = 3
COMING = timedelta(days=7)
# Whose conversations are on the phone, not face to face.
PHONE_KIND = ActionKind.PHONE_BANK.value


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"

    @classmethod
    def _missing_(cls, value: object) -> PeriodKind | None:
        aliases = {"semaine": "week", "hebdo": "week", "weekly": "week", "w": "week",
                   "mois": "month", "mensuel": "month", "monthly": "month", "m": "month"}
        code = aliases.get(str(value).strip().lower())
        return None if code is None else cls(code)


@dataclass(frozen=True)
class Period:
    """A calendar week or month: local days [first, after)."""

    kind: PeriodKind
    first: date
    after: date
    timezone: str

    @classmethod
    def containing(cls, moment: datetime, kind: PeriodKind, timezone: str) -> Period:
        return cls.of_day(local(moment, timezone).date(), kind, timezone)

    @classmethod
    def of_day(cls, day: date, kind: PeriodKind, timezone: str) -> Period:
        if kind is PeriodKind.WEEK:
            first = day - timedelta(days=day.weekday())
            return cls(kind, first, first + timedelta(days=7), timezone)
        first = day.replace(day=1)
        return cls(kind, first, (first + timedelta(days=32)).replace(day=1), timezone)

    def before(self) -> Period:
        return Period.of_day(self.first - timedelta(days=1), self.kind, self.timezone)

    @property
    def start(self) -> datetime:
        return _midnight(self.first, self.timezone)

    @property
    def end(self) -> datetime:
        return _midnight(self.after, self.timezone)

    @property
    def last(self) -> date:
        return self.after - timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """What is counted: the period (up to now when it is under way) and what it is
    compared with."""

    period: Period
    current: Window
    previous: Window

    @property
    def complete(self) -> bool:
        return self.current.end == self.period.end


def span_of(period: Period, now: datetime) -> Span:
    before = period.before()
    until = min(period.end, now)
    if until == period.end:
        return Span(period, Window(period.start, period.end), Window(before.start, before.end))
    # The same stretch of wall-clock time, so a daylight-saving change shifts nothing.
    zone = period.timezone
    elapsed = local(until, zone).replace(tzinfo=None) - datetime.combine(period.first, time.min)
    previous_until = utc_from_local(datetime.combine(before.first, time.min) + elapsed, zone)
    return Span(period, Window(period.start, until),
                Window(before.start, min(previous_until, before.end)))


def choose_period(
    kind: PeriodKind, now: datetime, timezone: str, day_text: str | None = None
) -> Period:
    """The period containing the day named, or else the last complete one."""
    if day_text is None:
        return Period.containing(now, kind, timezone).before()
    today = local(now, timezone).date()
    day = read_day(day_text, from_day=today, timezone=timezone)
    if day > today:
        # "3 novembre" is read as the next one; a digest means the last one.
        year_before = read_day(day_text, from_day=today - timedelta(days=364), timezone=timezone)
        if (year_before.month, year_before.day) == (day.month, day.day):
            day = year_before
    period = Period.of_day(day, kind, timezone)
    if period.start > now:
        raise UserError(_("That period has not started yet ({start}): a digest counts what"
                          " was done.").format(start=Day(period.start, timezone)))
    return period


def persuaded(sums: FieldSums, impact: Impact) -> float:
    """The estimate of voters persuaded (see the module's docstring)."""
    return estimate(sums.conversations - sums.phone_conversations, sums.calls_answered,
                    sums.leaflets, impact)


def estimate(face_to_face: int, calls_answered: int, leaflets: int, impact: Impact) -> float:
    return (face_to_face / impact.conversation + calls_answered / impact.call
            + leaflets / impact.leaflet)


def whole(value: float) -> int:
    """Rounded half away from zero (Python's round() would make 2.5 into 2)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def percent_change(current: float, previous: float) -> int | None:
    """The change in whole %, None when there was nothing before to compare with."""
    if previous == 0:
        return None
    return whole((current - previous) * 100 / previous)


@dataclass(frozen=True)
class Totals:
    """One period's figures."""

    new_committees: int
    active_committees: int
    actions: dict[str, int]
    sums: FieldSums
    persuaded: float

    @property
    def held(self) -> int:
        return self.sums.held

    @property
    def face_to_face(self) -> int:
        return self.sums.conversations - self.sums.phone_conversations

    def figure(self, name: str) -> int:
        return int(getattr(self.sums, name))


@dataclass(frozen=True)
class CampaignLine:
    campaign: Campaign
    progress: Progress


@dataclass(frozen=True)
class Digest:
    span: Span
    departement: str | None
    now: datetime
    current: Totals
    previous: Totals
    # Active committees today (not suspended nor archived).
    live_committees: int
    campaigns: tuple[CampaignLine, ...]
    departements: tuple[DepartementRow, ...]
    committees: tuple[CommitteeRow, ...]
    silent: int
    silent_largest: tuple[SilentCommittee, ...]
    upcoming: Upcoming
    flags: FlagCounts
    impact: Impact

    @property
    def timezone(self) -> str:
        return self.span.period.timezone


async def compute(
    repos: Repositories,
    settings: Settings,
    *,
    period: Period,
    now: datetime,
    departement: str | None = None,
) -> Digest:
    span = span_of(period, now)
    store = repos.digest
    current, previous = span.current, span.previous
    counts = await store.committee_counts(current, previous, departement)
    held = await store.held_by_kind(current, previous, departement, phone_kind=PHONE_KIND)
    active = await store.active_committees(current, previous, departement)
    impact = settings.impact

    def totals(bucket: str, new: int) -> Totals:
        sums = FieldSums.total(held[bucket].values())
        return Totals(new_committees=new, active_committees=active[bucket],
                      actions={kind: part.held for kind, part in held[bucket].items()},
                      sums=sums, persuaded=persuaded(sums, impact))

    silent, largest = await store.silent_committees(
        Window(now - SILENT_AFTER, now), departement, limit=SILENT_SHOWN)
    return Digest(
        span=span,
        departement=departement,
        now=now,
        current=totals(CURRENT, counts.new_current),
        previous=totals(PREVIOUS, counts.new_previous),
        live_committees=counts.live,
        campaigns=tuple(await _campaigns(repos, current)),
        departements=tuple(await store.top_departements(current, previous, departement,
                                                        limit=TOP)),
        committees=tuple(await store.top_committees(current, departement, limit=TOP)),
        silent=silent,
        silent_largest=tuple(largest),
        upcoming=await store.upcoming(Window(now, now + COMING), departement),
        flags=await store.open_flags(departement),
        impact=impact,
    )


async def _campaigns(repos: Repositories, window: Window) -> list[CampaignLine]:
    """Campaigns running at some point of the window, the soonest to end first."""
    running = [campaign for campaign in await repos.campaigns.all()
               if campaign.starts_at < window.end and campaign.ends_at >= window.start]
    running.sort(key=lambda campaign: (campaign.ends_at, campaign.id))
    return [CampaignLine(campaign, await campaign_progress(repos, campaign))
            for campaign in running]


def _midnight(day: date, timezone: str) -> datetime:
    return utc_from_local(datetime.combine(day, time.min), timezone)
