"""The committee the action tests share, unless a module sets up its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.commands.committees.helpers import create, known, ok
from tests.conftest import Harness

SLUG = "lyon-croix-rousse"
SPACE = f"space-{SLUG}"
# "samedi 10h" from the harness's clock: Saturday 5 December, 10:00–12:00 Paris time.
STARTS = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=2)


@pytest.fixture
async def lyon(harness: Harness) -> Harness:
    """Lyon Croix-Rousse: ines leads, colin co-leads, ana, bob and carl are members;
    sam is a stranger, chloe is staff."""
    await create(harness, "ines", "Lyon Croix-Rousse", "Lyon", "69004")
    for name in ("colin", "ana", "bob", "carl"):
        await ok(harness, name, f"committee join {SLUG}")
    await ok(harness, "ines", f"committee promote @colin {SLUG}")
    await known(harness, "sam", "chloe")
    return harness
