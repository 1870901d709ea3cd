"""The hand-built movement of `world.py`, in the test's database, with the clock at NOW."""

from __future__ import annotations

import pytest

from tests.commands.digest.world import NOW, World, build
from tests.conftest import Harness


@pytest.fixture
async def world(harness: Harness) -> World:
    built = await build(harness.db)
    harness.clock.set(NOW)
    return built
