"""Who may do what: every mutating command × every kind of person, written out by hand.

The expected table below is the product decision, typed in; it is not derived from the rules
the commands declare, so a rule changed by mistake makes a cell fail here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import commands.catalog  # noqa: F401  (declares every command)
from commands.spec import REGISTRY
from storage.db import from_db_time
from tests.commands.committees.helpers import create, dump, known, ok
from tests.conftest import Harness

# stranger  : has never joined the committee
# member    : a plain member
# co-lead   : a co-lead
# lead      : the committee's lead
# staff     : national staff, not a member of the committee
# suspended : the lead of a committee that staff suspended, acting on that committee
#
# ✓ allowed, ✗ refused (with an error reply, and nothing changed anywhere).
EXPECTED_TABLE = """
                       stranger  member  co-lead  lead  staff  suspended
committee edit            ✗        ✗       ✓       ✓     ✗        ✗
committee promote         ✗        ✗       ✗       ✓     ✗        ✗
committee demote          ✗        ✗       ✗       ✓     ✗        ✗
committee handover        ✗        ✗       ✗       ✓     ✗        ✗
committee archive         ✗        ✗       ✗       ✓     ✓        ✗
committee leave           ✗        ✓       ✓       ✗     ✗        ✗
committee join            ✓        ✗       ✗       ✗     ✓        ✗
flag                      ✓        ✓       ✓       ✓     ✓        ✗
staff suspend             ✗        ✗       ✗       ✗     ✓        ✗
staff restore             ✗        ✗       ✗       ✗     ✓        ✗
lang                      ✓        ✓       ✓       ✓     ✓        ✓
committee create          ✓        ✓       ✓       ✓     ✓        ✓
# Field actions: leads and co-leads schedule, change and cancel; anyone answers.
action schedule           ✗        ✗       ✓       ✓     ✗        ✗
action edit               ✗        ✗       ✓       ✓     ✗        ✗
action cancel             ✗        ✗       ✓       ✓     ✗        ✗
action rsvp               ✓        ✓       ✓       ✓     ✓        ✗
# Field reports: the committee's leads and co-leads, once the action has started.
report                    ✗        ✗       ✓       ✓     ✗        ✗
# Staff tools: staff alone announce and review flags.
staff announce            ✗        ✗       ✗       ✗     ✓        ✗
staff flag keep           ✗        ✗       ✗       ✗     ✓        ✗
staff flag remove         ✗        ✗       ✗       ✗     ✓        ✗
# Privacy: everyone, about themselves, whatever their committee's state.
privacy export            ✓        ✓       ✓       ✓     ✓        ✓
privacy forget            ✓        ✓       ✓       ✓     ✓        ✓
# Materials: members share in their committee; staff anywhere (and national=yes,
# which only staff may use: tests/commands/materials/test_share.py).
material share            ✗        ✓       ✓       ✓     ✓        ✗
# Check-in: members say they came, from 30 minutes before the start.
action checkin            ✗        ✓       ✓       ✓     ✗        ✗
# National campaigns: staff create them.
campaign create           ✗        ✗       ✗       ✗     ✓        ✗
"""

# Commands that change nothing; every other command in the registry must be in the table.
READ_ONLY = {
    "help", "committee info", "committee list", "material list", "material get",
    "action info", "action list", "action calendar", "campaign list", "campaign info",
}
# Commands for staff alone that change nothing.
STAFF_READ_ONLY = {"digest", "staff audit", "staff flags"}

ACTORS = ("stranger", "member", "co-lead", "lead", "staff", "suspended")


def parse_table(table: str) -> dict[str, dict[str, bool]]:
    header, *rows = [
        line for line in table.strip("\n").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    actors = header.split()
    assert tuple(actors) == ACTORS
    expected: dict[str, dict[str, bool]] = {}
    for row in rows:
        cells = row.split()
        command, marks = " ".join(cells[: -len(actors)]), cells[-len(actors):]
        assert set(marks) <= {"✓", "✗"}, row
        expected[command] = {actor: mark == "✓" for actor, mark in zip(actors, marks, strict=True)}
    return expected


EXPECTED = parse_table(EXPECTED_TABLE)


# The world every case starts from.
#
# Lyon Croix-Rousse (active): lea leads, colin co-leads, mia is a member; tom (member) and
# dina (co-lead) are the people lead commands act on. stan is a stranger, chloe is staff.
# Lyon Plateau: sam leads, dan co-leads, tim is a member. Staff suspend it once the case's
# setup has run (so an action can be scheduled in it first).

ACTIVE = "lyon-croix-rousse"
SUSPENDED = "lyon-plateau"


@dataclass(frozen=True)
class Actor:
    user: str
    # The committee this person acts on, and the people lead commands name there.
    slug: str = ACTIVE
    member: str = "tom"
    co_lead: str = "dina"


PEOPLE = {
    "stranger": Actor("stan"),
    "member": Actor("mia"),
    "co-lead": Actor("colin"),
    "lead": Actor("lea"),
    "staff": Actor("chloe"),
    "suspended": Actor("sam", slug=SUSPENDED, member="tim", co_lead="dan"),
}


@dataclass(frozen=True)
class Case:
    # {slug}, {member}, {co_lead}: the acting person's committee and the people in it;
    # {action}: the action scheduled in that committee by the setup.
    line: str
    # (who, line) run first, so the command can succeed for someone.
    setup: tuple[tuple[str, str], ...] = ()
    # The clock moves to the end of the setup's last action before the line is typed.
    started: bool = False


FLAGGED_THREE_TIMES = tuple(
    (flagger, f"flag {ACTIVE} fake committee") for flagger in ("f1", "f2", "f3")
)
ONE_ACTION_EACH = (
    ("lea", f'action schedule leafleting "Marché" samedi 10h committee={ACTIVE}'),
    ("sam", f'action schedule leafleting "Marché" samedi 10h committee={SUSPENDED}'),
)

CASES = {
    "committee edit": Case('committee edit {slug} description="Tractage le samedi"'),
    "committee promote": Case("committee promote @{member} {slug}"),
    "committee demote": Case("committee demote @{co_lead} {slug}"),
    "committee handover": Case("committee handover @{member} {slug}"),
    "committee archive": Case("committee archive {slug} confirm=yes"),
    "committee leave": Case("committee leave {slug}"),
    "committee join": Case("committee join {slug}"),
    "flag": Case("flag {slug} looks like a fake committee"),
    "staff suspend": Case("staff suspend {slug} breaks the charter"),
    # Staff restore a committee that is hidden (or suspended); one in good standing needs none.
    "staff restore": Case("staff restore {slug}", setup=FLAGGED_THREE_TIMES),
    "lang": Case("lang fr"),
    "committee create": Case('committee create "Comité Neuf" Lyon 69002'),
    "action schedule": Case('action schedule leafleting "Tractage gare" samedi 10h'
                            " committee={slug}"),
    "action edit": Case('action edit {action} where="Place de la Croix-Rousse"',
                        setup=ONE_ACTION_EACH),
    "action cancel": Case("action cancel {action} rain all day", setup=ONE_ACTION_EACH),
    "action rsvp": Case("action rsvp {action} going", setup=ONE_ACTION_EACH),
    "report": Case("report {action} attendees=6 leaflets=1200", setup=ONE_ACTION_EACH,
                   started=True),
    "staff announce": Case("staff announce Réunion nationale jeudi à 20h"),
    # Staff review what people flagged; the line names Lyon Croix-Rousse for everyone.
    "staff flag keep": Case(f"staff flag keep {ACTIVE}", setup=FLAGGED_THREE_TIMES),
    "staff flag remove": Case(f"staff flag remove {ACTIVE}", setup=FLAGGED_THREE_TIMES),
    "privacy export": Case("privacy export"),
    "privacy forget": Case("privacy forget confirm=yes"),
    "material share": Case('material share "Tract du marché" url=https://exemple.fr/tract.pdf'
                           " committee={slug}"),
    "action checkin": Case("action checkin {action}", setup=(
        ("lea", f'action schedule leafleting "Marché" "dans 20 minutes" committee={ACTIVE}'),
        ("sam", f'action schedule leafleting "Marché" "dans 20 minutes" committee={SUSPENDED}'),
    )),
    "campaign create": Case('campaign create "Grande marche" 2027-03-01 2027-03-31 doors=1000'),
}


@pytest.fixture
async def world(harness: Harness) -> Harness:
    await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")
    for person in ("mia", "colin", "tom", "dina"):
        await ok(harness, person, f"committee join {ACTIVE}")
    for person in ("colin", "dina"):
        await ok(harness, "lea", f"committee promote @{person} {ACTIVE}")

    await create(harness, "sam", "Lyon Plateau", "Lyon", "69001")
    for person in ("tim", "dan"):
        await ok(harness, person, f"committee join {SUSPENDED}")
    await ok(harness, "sam", f"committee promote @dan {SUSPENDED}")

    await known(harness, "stan", "chloe", "f1", "f2", "f3")
    return harness


async def prepare(harness: Harness, case: Case, person: Actor) -> str:
    """Run the case's setup, suspend Lyon Plateau, and return the line `person` types."""
    for who, line in case.setup:
        await ok(harness, who, line)
    if case.started:
        last_end = await harness.db.fetchval("SELECT MAX(ends_at) FROM actions")
        harness.clock.set(from_db_time(last_end))
    await ok(harness, "chloe", f"staff suspend {SUSPENDED} breaks the charter")
    action = await harness.db.fetchval(
        "SELECT MAX(a.id) FROM actions a JOIN committees c ON c.id = a.committee_id"
        " WHERE c.slug = ?",
        (person.slug,),
    )
    return case.line.format(slug=person.slug, member=person.member, co_lead=person.co_lead,
                            action=action)


def matrix() -> list[tuple[str, str]]:
    return [(command, actor) for command in EXPECTED for actor in ACTORS]


@pytest.mark.parametrize(("command", "actor"), matrix(), ids=[f"{c} by {a}" for c, a in matrix()])
async def test_permission_matrix(world: Harness, command: str, actor: str) -> None:
    person = PEOPLE[actor]
    line = await prepare(world, CASES[command], person)
    before = await dump(world.db)
    calls, sent = list(world.platform.calls), list(world.platform.sent)

    said = await world.say(person.user, line, locale="en")
    await world.services.drain()  # work a command leaves running (an announcement) counts too

    if EXPECTED[command][actor]:
        assert said.ok, f"{actor} should be allowed to {line!r}: {said.text}"
        assert await dump(world.db) != before, f"{line!r} changed nothing"
    else:
        assert not said.ok, f"{actor} should be refused {line!r}: {said.text}"
        assert said.text
        assert await dump(world.db) == before, f"refused {line!r} changed the database"
        assert world.platform.calls == calls
        assert world.platform.sent == sent


ABOUT_A_COMMITTEE = [
    command for command, case in CASES.items() if "{slug}" in case.line or "{action}" in case.line
]


@pytest.mark.parametrize("command", ABOUT_A_COMMITTEE)
async def test_the_lead_of_a_suspended_committee_is_told_why(world: Harness, command: str) -> None:
    person = PEOPLE["suspended"]
    line = await prepare(world, CASES[command], person)

    said = await world.say(person.user, line, locale="en")

    assert not said.ok
    if command == "staff restore":  # the one that works on a suspended committee, for staff
        assert "Only national staff" in said.text
    else:
        assert "Lyon Plateau is suspended by national staff (breaks the charter)" in said.text


READ_ONLY_LINES = {
    "help": "help committee",
    "committee info": "committee info {slug}",
    "committee list": "committee list near=69004 lyon",
    "material list": "material list committee={slug}",
    "material get": "material get 1",
    "action info": "action info {action}",
    "action list": "action list committee={slug}",
    "action calendar": "action calendar {slug}",
    "campaign list": "campaign list",
    "campaign info": "campaign info grande-marche",
}
# What a read-only line needs to exist first: material 1, national, for everyone to get.
READ_ONLY_SETUP = {
    "material get": (
        ("chloe", "material share Kit url=https://exemple.fr/kit.pdf national=yes"),
    ),
    "action info": ONE_ACTION_EACH,
    "action list": ONE_ACTION_EACH,
    "action calendar": ONE_ACTION_EACH,
    "campaign list": (("chloe", 'campaign create "Grande marche" 2027-03-01 2027-03-31'),),
    "campaign info": (("chloe", 'campaign create "Grande marche" 2027-03-01 2027-03-31'),),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("command", sorted(READ_ONLY))
async def test_read_only_commands_work_for_everyone_and_change_nothing(
    world: Harness, command: str, actor: str
) -> None:
    person = PEOPLE[actor]
    line = await prepare(
        world, Case(READ_ONLY_LINES[command], setup=READ_ONLY_SETUP.get(command, ())), person
    )
    before = await dump(world.db)

    said = await world.say(person.user, line, locale="en")

    assert said.ok, said.text
    assert await dump(world.db) == before


STAFF_READ_ONLY_LINES = {
    "digest": "digest month departement=69",
    "staff audit": "staff audit {slug}",
    "staff flags": "staff flags",
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("command", sorted(STAFF_READ_ONLY))
async def test_staff_read_only_commands_change_nothing_and_refuse_everyone_else(
    world: Harness, command: str, actor: str
) -> None:
    person = PEOPLE[actor]
    await prepare(world, Case("", setup=FLAGGED_THREE_TIMES), person)
    before = await dump(world.db)

    said = await world.say(person.user, STAFF_READ_ONLY_LINES[command].format(slug=person.slug),
                           locale="en")

    assert said.ok is (actor == "staff"), said.text
    assert await dump(world.db) == before


def test_every_mutating_command_is_in_the_matrix() -> None:
    registered = {spec.name for spec in REGISTRY}

    assert registered >= READ_ONLY | STAFF_READ_ONLY, "a read-only command was renamed or removed"
    missing = registered - READ_ONLY - STAFF_READ_ONLY - set(EXPECTED)
    assert not missing, f"add these commands to the permission matrix: {sorted(missing)}"
    gone = set(EXPECTED) - registered
    assert not gone, f"the matrix lists commands that no longer exist: {sorted(gone)}"
    assert set(CASES) == set(EXPECTED)
