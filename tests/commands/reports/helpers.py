"""What the report tests share: a committee, actions scheduled as a lead would, stored reports.

The clock starts on Tuesday 2026-12-01 at 09:00 UTC; "samedi 10h" is Saturday 5 December,
10:00–12:00 Paris time (09:00–11:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.actions import Action
from storage.reports import Report
from tests.commands.committees.helpers import create, known, ok
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
STARTS = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=2)


async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse: ines leads, colin co-leads, ana and bob are members; sam is a
    stranger, chloe is staff."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("colin", "ana", "bob"):
        await ok(harness, name, f"committee join {SLUG}")
    await ok(harness, "ines", f"committee promote @colin {SLUG}")
    await known(harness, "sam", "chloe")
    return harness


async def schedule(harness: Harness, kind: str, title: str = "Marché",
                   when: str = "samedi 10h", *extra: str) -> Action:
    """An action scheduled by ines in the committee's space."""
    line = " ".join([f'action schedule {kind} "{title}" {when}', *extra])
    await ok(harness, "ines", line, space=SPACE)
    action = await harness.repos.actions.get(
        await harness.db.fetchval("SELECT MAX(id) FROM actions"))
    assert action is not None
    return action


async def stored(harness: Harness, action: Action) -> Report | None:
    return await harness.repos.reports.for_action(action.id)


async def reports(harness: Harness) -> int:
    return int(await harness.db.fetchval("SELECT COUNT(*) FROM reports"))
