"""A small movement, written row by row, whose digest is worked out by hand below.

Now is Monday 7 December 2026, 08:00 in Paris. The last complete week is Monday 30 November
to Sunday 6 December ("this week" below); the week before is 23 to 29 November.

Committees (département, created, status, members):
  1 Lyon Croix-Rousse  69  1 Sep 2026   active     5
  2 Lyon Plateau       69  1 Dec 2026   active     2   (new this week)
  3 Paris 11e          75  24 Nov 2026  active     3   (new the week before)
  4 Rennes Nord        35  1 Jun 2026   active     8   (silent: last action 3 October)
  5 Ajaccio            2A  1 May 2026   active     1   (silent: never acted)
  6 Marseille Centre   13  1 May 2026   suspended  4

This week, held (kind, committee, report: attendees and counts):
  a1  door_to_door  1  6, doors 120/45, conversations 30, contacts 8   [Grande Marche]
  a2  leafleting    1  4, leaflets 1500, conversations 12                [Grande Marche]
  a3  phone_bank    1  5, calls 200/80, conversations 40 (on the phone)
  a4  postering     1  3, posters 60
  a5  meeting       1  20, new members 4
  a6  online        1  (no report; Monday 00:30, the first minutes of the week)
  a7  other         1  2 (Sunday 23:30, the last minutes of the week)
  a8  leafleting    1  CANCELLED: not held                               [Grande Marche]
  a9  leafleting    2  3, leaflets 1000, conversations 14
  a10 door_to_door  3  10, doors 200/80, conversations 56, contacts 20  [Grande Marche]
  a11 door_to_door  3  (no report)
  → 10 held (door-to-door 3, leafleting 2, the five other kinds 1 each), 8 reported,
    53 attendees, doors 320 knocked / 125 opened, 152 conversations (40 on the phone, so
    112 face to face), 28 contacts, 2,500 leaflets, calls 200 made / 80 answered,
    60 posters, 4 new members; active committees 1, 2, 3; new committee 2.
    Voters persuaded: 112/14 + 80/100 + 2500/1000 = 8 + 0.8 + 2.5 = 11.3.

The week before:
  p1  door_to_door  1  4, doors 100/40, conversations 28, contacts 5   [Grande Marche]
  p2  leafleting    1  2, leaflets 500, conversations 7
  p3  phone_bank    1  4, calls 100/50, conversations 20 (on the phone)
  p4  online        1  (no report)
  p5  meeting       3  8, new members 2
  → 5 held, 4 reported, 18 attendees, doors 100/40, 55 conversations (35 face to face),
    5 contacts, 500 leaflets, calls 100/50, 0 posters, 2 new members; active committees 1
    and 3; new committee 3. Voters persuaded: 35/14 + 50/100 + 500/1000 = 2.5 + 0.5 + 0.5
    = 3.5, so +222.86 % → +223 %.

Around them: a meeting on Sunday 22 November 23:00 (before both weeks); Rennes Nord's
door-to-door on 3 October; coming actions (see UPCOMING); the Grande Marche campaign
(23 November to 20 December: doors 1,000, leaflets 10,000, actions 20) and an older one;
flags: two open on Rennes Nord, one open on action a2, one already kept on Paris 11e.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.db import Database, to_db_time

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)
CREATED = datetime(2026, 5, 1, tzinfo=UTC)


def paris(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class World:
    db: Database
    users: dict[str, int] = field(default_factory=dict)
    committees: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)
    campaign: int = 0

    async def user(self, name: str) -> int:
        if name not in self.users:
            self.users[name] = await self.db.execute(
                "INSERT INTO users (platform, platform_user_id, created_at) VALUES (?, ?, ?)",
                ("test", name, to_db_time(CREATED)),
            )
        return self.users[name]

    async def committee(
        self, key: str, name: str, place: str, postal_code: str, departement: str,
        created: datetime, members: int, status: str = "active",
    ) -> int:
        lead = await self.user(f"{key}-lead")
        committee_id = await self.db.execute(
            "INSERT INTO committees (slug, name, name_key, place, postal_code, departement,"
            " search_key, timezone, status, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'Europe/Paris', ?, ?, ?)",
            (key, name, name.lower(), place, postal_code, departement, name.lower(), status,
             lead, to_db_time(created)),
        )
        for index in range(members):
            person = lead if index == 0 else await self.user(f"{key}-{index}")
            await self.db.execute(
                "INSERT INTO memberships (committee_id, user_id, role, joined_at)"
                " VALUES (?, ?, ?, ?)",
                (committee_id, person, "lead" if index == 0 else "member", to_db_time(created)),
            )
        self.committees[key] = committee_id
        return committee_id

    async def action(
        self, key: str, committee: str, kind: str, starts: datetime, *,
        status: str = "scheduled", campaign: bool = False, **report: int,
    ) -> int:
        committee_id = self.committees[committee]
        action_id = await self.db.execute(
            "INSERT INTO actions (committee_id, kind, title, starts_at, ends_at, status,"
            " campaign_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (committee_id, kind, key, to_db_time(starts),
             to_db_time(starts + timedelta(hours=2)), status,
             self.campaign if campaign else None, self.users[f"{committee}-lead"],
             to_db_time(starts - timedelta(days=5))),
        )
        self.actions[key] = action_id
        if report:
            columns = ", ".join(report)
            marks = ", ".join("?" * len(report))
            values: list[Any] = list(report.values())
            await self.db.execute(
                f"INSERT INTO reports (action_id, committee_id, kind, held_at, {columns},"
                f" created_at, updated_at) VALUES (?, ?, ?, ?, {marks}, ?, ?)",
                (action_id, committee_id, kind, to_db_time(starts), *values,
                 to_db_time(starts + timedelta(hours=3)), to_db_time(starts + timedelta(hours=3))),
            )
        return action_id

    async def flag(self, target_kind: str, target_id: int, by: str, status: str = "open") -> None:
        await self.db.execute(
            "INSERT INTO flags (target_kind, target_id, flagged_by, reason, status, created_at)"
            " VALUES (?, ?, ?, 'hateful content', ?, ?)",
            (target_kind, target_id, await self.user(by), status, to_db_time(NOW)),
        )

    async def campaign_with_goals(
        self, slug: str, name: str, starts: datetime, ends: datetime, goals: str
    ) -> int:
        return await self.db.execute(
            "INSERT INTO campaigns (slug, name, starts_at, ends_at, goals, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (slug, name, to_db_time(starts), to_db_time(ends), goals, to_db_time(CREATED)),
        )


async def build(db: Database) -> World:
    world = World(db)
    await world.committee("lyon-croix-rousse", "Lyon Croix-Rousse", "Lyon", "69004", "69",
                          paris(9, 1), members=5)
    await world.committee("lyon-plateau", "Lyon Plateau", "Lyon", "69001", "69",
                          paris(12, 1, 9), members=2)
    await world.committee("paris-11e", "Paris 11e", "Paris", "75011", "75",
                          paris(11, 24, 18), members=3)
    await world.committee("rennes-nord", "Rennes Nord", "Rennes", "35000", "35",
                          paris(6, 1), members=8)
    await world.committee("ajaccio", "Ajaccio", "Ajaccio", "20000", "2A", paris(5, 1),
                          members=1)
    await world.committee("marseille-centre", "Marseille Centre", "Marseille", "13001", "13",
                          paris(5, 1), members=4, status="suspended")
    world.campaign = await world.campaign_with_goals(
        "grande-marche", "Grande Marche", paris(11, 23, 0), paris(12, 20, 23, 59),
        '{"actions": 20, "doors": 1000, "leaflets": 10000}')
    await world.campaign_with_goals("rentree", "Rentrée", paris(9, 1, 0), paris(9, 30, 23),
                                    '{"doors": 500}')

    lyon, plateau, paris11 = "lyon-croix-rousse", "lyon-plateau", "paris-11e"
    # This week
    await world.action("a1", lyon, "door_to_door", paris(12, 5), campaign=True, attendees=6,
                       doors_knocked=120, doors_opened=45, conversations=30, contacts=8)
    await world.action("a2", lyon, "leafleting", paris(12, 2), campaign=True, attendees=4,
                       leaflets=1500, conversations=12)
    await world.action("a3", lyon, "phone_bank", paris(12, 3, 18), attendees=5,
                       calls_made=200, calls_answered=80, conversations=40)
    await world.action("a4", lyon, "postering", paris(12, 4, 21), attendees=3, posters=60)
    await world.action("a5", lyon, "meeting", paris(12, 1, 19), attendees=20, new_members=4)
    await world.action("a6", lyon, "online", paris(11, 30, 0, 30))
    await world.action("a7", lyon, "other", paris(12, 6, 23, 30), attendees=2)
    await world.action("a8", lyon, "leafleting", paris(12, 3), status="cancelled",
                       campaign=True)
    await world.action("a9", plateau, "leafleting", paris(12, 5), attendees=3, leaflets=1000,
                       conversations=14)
    await world.action("a10", paris11, "door_to_door", paris(12, 6), campaign=True,
                       attendees=10, doors_knocked=200, doors_opened=80, conversations=56,
                       contacts=20)
    await world.action("a11", paris11, "door_to_door", paris(12, 2))
    # The week before
    await world.action("p1", lyon, "door_to_door", paris(11, 28), campaign=True, attendees=4,
                       doors_knocked=100, doors_opened=40, conversations=28, contacts=5)
    await world.action("p2", lyon, "leafleting", paris(11, 25), attendees=2, leaflets=500,
                       conversations=7)
    await world.action("p3", lyon, "phone_bank", paris(11, 26, 18), attendees=4,
                       calls_made=100, calls_answered=50, conversations=20)
    await world.action("p4", lyon, "online", paris(11, 29, 22))
    await world.action("p5", paris11, "meeting", paris(11, 27, 19), attendees=8,
                       new_members=2)
    # Around them
    await world.action("before", lyon, "meeting", paris(11, 22, 23), attendees=30)
    await world.action("rennes", "rennes-nord", "door_to_door", paris(10, 3))
    for key, committee, kind, starts, status in UPCOMING:
        await world.action(key, committee, kind, starts, status=status,
                           campaign=key == "u1")
    await world.flag("committee", world.committees["rennes-nord"], "f1")
    await world.flag("committee", world.committees["rennes-nord"], "f2")
    await world.flag("action", world.actions["a2"], "f3")
    await world.flag("committee", world.committees["paris-11e"], "f4", status="kept")
    return world


# Next 7 days from now (Monday 08:00): u1 and u2 count; u3 is 1 h too late, u4 already began,
# u5's committee is suspended, u6 is cancelled.
UPCOMING = (
    ("u1", "lyon-croix-rousse", "leafleting", paris(12, 12), "scheduled"),
    ("u2", "paris-11e", "door_to_door", paris(12, 13), "scheduled"),
    ("u3", "paris-11e", "meeting", paris(12, 14, 9), "scheduled"),
    ("u4", "lyon-croix-rousse", "meeting", paris(12, 7, 7), "scheduled"),
    ("u5", "marseille-centre", "leafleting", paris(12, 10), "scheduled"),
    ("u6", "lyon-plateau", "leafleting", paris(12, 9), "cancelled"),
)
