"""The dataset as plain Python, decided by one seeded `random.Random` before any SQL.

Committees on made-up towns with real postal codes, members with leads and co-leads, a year
of actions (some in series) around `NOW`, answers, reminders, reports and materials: the
same values every time for the same scale and seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks import places
from benchmarks.scale import NOW, Scale
from commands.committees.naming import fold, search_key, slugify

PARIS = ZoneInfo("Europe/Paris")
# The year of actions: most are over, a month of them is still ahead.
FIRST_DAY = NOW - timedelta(days=330)
LAST_DAY = NOW + timedelta(days=35)

KINDS = {"door_to_door": 25, "leafleting": 30, "phone_bank": 10, "postering": 10,
         "meeting": 15, "online": 5, "other": 5}
TITLES = {
    "door_to_door": ("Porte-à-porte {q}", "Porte-à-porte résidence {q}", "PAP {town}"),
    "leafleting": ("Tractage marché {town}", "Tractage gare {q}", "Distribution {q}"),
    "phone_bank": ("Phoning du jeudi", "Phoning électeurs {town}", "Soirée appels"),
    "postering": ("Collage {town}", "Affichage {q}", "Collage de nuit"),
    "meeting": ("Réunion du comité", "Assemblée {town}", "Réunion d'accueil"),
    "online": ("Visio du comité", "Formation en ligne", "Webinaire programme"),
    "other": ("Pique-nique militant", "Stand {q}", "Fête de quartier {q}"),
}
DURATIONS = {"door_to_door": 3, "leafleting": 2, "phone_bank": 2, "postering": 2,
             "meeting": 2, "online": 1, "other": 3}
HOURS = (9, 10, 10, 14, 17, 18, 18, 19)


@dataclass
class Committee:
    id: int
    slug: str
    name: str
    name_key: str
    place: str
    postal_code: str
    departement: str
    search_key: str
    status: str
    hidden: int
    status_reason: str | None
    locale: str | None
    created_at: datetime
    lead: int = 0
    co_leads: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)

    @property
    def leaders(self) -> list[int]:
        return [self.lead, *self.co_leads]


@dataclass
class Membership:
    committee_id: int
    user_id: int
    role: str
    joined_at: datetime


@dataclass
class Series:
    id: int
    committee_id: int
    repeat: str
    until_at: datetime
    created_at: datetime


@dataclass
class Action:
    id: int
    committee_id: int
    series_id: int | None
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    details: str
    capacity: int | None
    campaign_id: int | None
    status: str
    cancel_reason: str | None
    created_by: int
    created_at: datetime


@dataclass
class Campaign:
    id: int
    slug: str
    name: str
    starts_at: datetime
    ends_at: datetime
    goals: dict[str, int]
    kinds: tuple[str, ...]


def campaigns() -> list[Campaign]:
    day = timedelta(days=1)
    return [
        Campaign(1, "porte-a-porte-automne", "Semaine nationale du porte-à-porte",
                 NOW - 150 * day, NOW - 136 * day,
                 {"doors_knocked": 200_000, "conversations": 50_000}, ("door_to_door",)),
        Campaign(2, "tractage-hiver", "Grand tractage d'hiver", NOW - 90 * day, NOW - 76 * day,
                 {"leaflets": 2_000_000}, ("leafleting",)),
        Campaign(3, "phoning-municipales", "Phoning des municipales", NOW - 40 * day,
                 NOW - 10 * day, {"calls_made": 300_000}, ("phone_bank",)),
        Campaign(4, "printemps", "Printemps des comités", NOW + 5 * day, NOW + 30 * day,
                 {"doors_knocked": 100_000}, ("door_to_door", "leafleting")),
    ]


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = (end - start).total_seconds()
    return start + timedelta(seconds=rng.uniform(0, max(span, 0)))


def spread(rng: random.Random, total: int, weights: list[float],
            caps: list[int] | None = None) -> list[int]:
    """`total` split in proportion to `weights`, each part at most its cap, summing exactly."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    if caps is not None:
        counts = [min(count, cap) for count, cap in zip(counts, caps, strict=True)]
    missing = total - sum(counts)
    order = list(range(len(counts)))
    while missing > 0:
        rng.shuffle(order)
        before = missing
        for index in order:
            if missing == 0:
                break
            if caps is None or counts[index] < caps[index]:
                counts[index] += 1
                missing -= 1
        if missing == before:
            raise ValueError("not enough room for every row")
    return counts


class World:
    """Everything the dataset holds, built in order: people, then what they did."""

    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.committees: list[Committee] = []
        self.memberships: list[Membership] = []
        self.user_created: dict[int, datetime] = {}
        self.campaigns = campaigns()
        self.series: list[Series] = []
        self.actions: list[Action] = []
        self._people()
        self._actions()

    # --- Committees and members ------------------------------------------------------

    def _people(self) -> None:
        rng, scale = self.rng, self.scale
        towns = places.towns(rng)
        chosen = rng.choices(towns, weights=[town.weight for town in towns], k=scale.committees)
        names: dict[str, set[str]] = {}
        slugs: set[str] = set()
        for number, town in enumerate(chosen, start=1):
            taken = names.setdefault(town.postal_code, set())
            name = self._name(town, taken)
            taken.add(fold(name))
            roll = rng.random()
            status, reason = "active", None
            if roll < 0.01:
                status, reason = "suspended", "Signalements en cours d'examen"
            elif roll < 0.02:
                status = "archived"
            self.committees.append(Committee(
                id=number, slug=self._slug(name, town.postal_code, slugs), name=name,
                name_key=fold(name), place=town.name, postal_code=town.postal_code,
                departement=town.departement,
                search_key=search_key(name, town.name, town.postal_code), status=status,
                hidden=int(status == "active" and rng.random() < 0.005), status_reason=reason,
                locale=rng.choice((None, None, None, "fr", "en")),
                created_at=NOW - timedelta(days=rng.uniform(60, 900)),
            ))
        sizes = spread(rng, scale.members - 3 * scale.committees,
                        [rng.lognormvariate(0, 0.9) for _ in self.committees])
        users = list(range(1, scale.members + 1))
        rng.shuffle(users)
        start = 0
        for committee, extra in zip(self.committees, sizes, strict=True):
            block = users[start:start + 3 + extra]
            start += len(block)
            leaders = 1 + rng.choices((0, 1, 2), weights=(3, 5, 2))[0]
            committee.lead, committee.co_leads = block[0], block[1:leaders]
            for index, user_id in enumerate(block):
                role = "lead" if index == 0 else "co_lead" if index < leaders else "member"
                joined = committee.created_at if index == 0 else _between(
                    rng, committee.created_at, NOW - timedelta(days=1))
                self.user_created[user_id] = joined
                self._join(committee, user_id, role, joined)
        # One member in ten also belongs to a second committee.
        for user_id in rng.sample(users, len(users) // 10):
            committee = rng.choice(self.committees)
            if user_id in committee.members:
                continue
            since = max(committee.created_at, self.user_created[user_id])
            self._join(committee, user_id, "member", _between(rng, since, NOW))

    def _join(self, committee: Committee, user_id: int, role: str, joined: datetime) -> None:
        committee.members.append(user_id)
        self.memberships.append(Membership(committee.id, user_id, role, joined))

    def _name(self, town: places.Town, taken: set[str]) -> str:
        rng = self.rng
        for attempt in range(20):
            forms = (f"Comité {town.name}", f"{town.name} {places.quarter(rng)}",
                     f"Comité {places.quarter(rng)} {town.name}",
                     f"Collectif {town.name} {places.quarter(rng)}")
            name = rng.choice(forms) if attempt < 10 else f"Comité {town.name} {attempt}"
            if fold(name) not in taken:
                return name
        raise RuntimeError(f"no free name in {town.postal_code}")

    @staticmethod
    def _slug(name: str, postal_code: str, taken: set[str]) -> str:
        """As `committee create` picks one: the name, then with the postal code, numbered."""
        base = slugify(name)
        candidates = [base, f"{base}-{postal_code}",
                      *(f"{base}-{postal_code}-{n}" for n in range(2, 1000))]
        for candidate in candidates:
            if candidate not in taken:
                taken.add(candidate)
                return candidate
        raise RuntimeError(f"no free slug for {name}")

    # --- Actions ------------------------------------------------------------------------

    def _actions(self) -> None:
        rng = self.rng
        weights = [len(c.members) ** 0.7 * rng.lognormvariate(0, 0.5)
                   * (0.3 if c.status != "active" else 1.0) for c in self.committees]
        planned: list[tuple[datetime, int, Action, Series | None]] = []
        for committee, count in zip(self.committees, spread(rng, self.scale.actions, weights),
                                    strict=True):
            first = max(FIRST_DAY, committee.created_at + timedelta(days=1))
            left = count
            while left > 0:
                made: list[tuple[Action, Series | None]]
                if left >= 4 and rng.random() < 0.12:
                    made = list(self._series(committee, first, left))
                else:
                    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
                    made = [(self._action(committee, kind, first, None), None)]
                left -= len(made)
                planned.extend((action.created_at, len(planned) + i, action, series)
                               for i, (action, series) in enumerate(made))
        # Ids in the order people scheduled them; a series' dates are consecutive ids.
        planned.sort(key=lambda item: (item[0], item[1]))
        series_ids: dict[int, int] = {}
        for number, (_created, _order, action, series) in enumerate(planned, start=1):
            action.id = number
            if series is not None:
                if id(series) not in series_ids:
                    series.id = series_ids[id(series)] = len(self.series) + 1
                    self.series.append(series)
                action.series_id = series.id
            self.actions.append(action)

    def _local_start(self, day: datetime) -> datetime:
        local = day.astimezone(PARIS)
        return datetime(local.year, local.month, local.day, self.rng.choice(HOURS),
                        self.rng.choice((0, 0, 30)), tzinfo=PARIS)

    def _action(self, committee: Committee, kind: str, first: datetime,
                local_start: datetime | None, created_at: datetime | None = None) -> Action:
        rng = self.rng
        start_local = local_start or self._local_start(_between(rng, first, LAST_DAY))
        starts = start_local.astimezone(UTC)
        quarter = places.quarter(rng)
        title = rng.choice(TITLES[kind]).format(town=committee.place, q=quarter)[:60]
        if created_at is None:
            created_at = starts - timedelta(days=rng.uniform(2, 30))
            latest = NOW - timedelta(minutes=rng.randint(5, 5_000))
            created_at = max(min(created_at, latest), committee.created_at)
        campaign = next((c for c in self.campaigns if kind in c.kinds
                         and c.starts_at <= starts < c.ends_at), None)
        cancelled = rng.random() < 0.03
        return Action(
            id=0, committee_id=committee.id, series_id=None, kind=kind, title=title,
            starts_at=starts, ends_at=starts + timedelta(hours=DURATIONS[kind]),
            location="" if kind == "online" else f"{quarter}, {committee.place}",
            details="Rendez-vous devant la mairie, code 4521B" if rng.random() < 0.4 else "",
            capacity=rng.randint(6, 30) if rng.random() < 0.15 else None,
            campaign_id=campaign.id if campaign and rng.random() < 0.6 else None,
            status="cancelled" if cancelled else "scheduled",
            cancel_reason="Météo" if cancelled else None,
            created_by=rng.choice(committee.leaders), created_at=created_at,
        )

    def _series(self, committee: Committee, first: datetime,
                left: int) -> list[tuple[Action, Series]]:
        rng = self.rng
        repeat = rng.choices(("weekly", "biweekly", "monthly"), weights=(6, 3, 1))[0]
        step = {"weekly": 7, "biweekly": 14, "monthly": 30}[repeat]
        length = min(left, rng.randint(4, 13), max(1, 360 // step))
        latest_start = LAST_DAY - timedelta(days=step * (length - 1))
        start = self._local_start(_between(rng, first, max(first, latest_start)))
        dates = []
        for n in range(length):
            if repeat == "monthly":
                month = start.month - 1 + n
                dates.append(start.replace(year=start.year + month // 12, month=month % 12 + 1,
                                           day=min(start.day, 28)))
            else:
                dates.append(start + timedelta(days=step * n))  # wall-clock time kept
        created = max(min(dates[0].astimezone(UTC) - timedelta(days=rng.uniform(2, 20)),
                          NOW - timedelta(hours=1)), committee.created_at)
        kind = rng.choice(("meeting", "phone_bank", "leafleting", "door_to_door"))
        series = Series(0, committee.id, repeat, dates[-1].astimezone(UTC), created)
        return [(self._action(committee, kind, first, date, created), series) for date in dates]
