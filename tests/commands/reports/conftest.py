"""The action most report tests start from."""

from __future__ import annotations

import pytest

from storage.actions import Action
from tests.commands.reports.helpers import ENDS, lyon, schedule
from tests.conftest import Harness


@pytest.fixture
async def leafleting(harness: Harness) -> Action:
    """The Saturday leafleting, the clock at its end."""
    await lyon(harness)
    action = await schedule(harness, "leafleting", "Marché de la Croix-Rousse")
    harness.clock.set(ENDS)
    return action
