"""The real discord.py client against the fake Discord, through the real `App`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import App
from bot.config import Config
from bot.platforms.discord import client as client_module
from commands.clock import FixedClock
from tests.bot.platforms.discord.fake_discord import (
    GUILD_ID,
    STAFF_CHANNEL_ID,
    STAFF_ROLE_ID,
    FakeDiscord,
)
from tests.conftest import START

# Every wait in these tests is bounded: a test fails in seconds, never hangs.
STEP = 10.0


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
        # discord.py points at Discord again for whatever runs next.
        assert (base, gateway) == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("COMITES_DISCORD_TOKEN", "fake-token")
    # discord.py waits this long after the last server arrives before it is ready.
    monkeypatch.setattr(client_module, "GUILD_READY_TIMEOUT", 0.05)
    return Config.model_validate({
        "database": {"path": str(tmp_path / "comites.db"),
                     "blobs_path": str(tmp_path / "blobs")},
        "discord": {
            "enabled": True,
            "guild_ids": [GUILD_ID],
            "staff_role_ids": [STAFF_ROLE_ID],
            "staff_channel_id": STAFF_CHANNEL_ID,
        },
    })


class Bots:
    """Starts and stops the bot (several times for restarts), always with the same clock."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = FixedClock(START)
        self.running: list[App] = []

    async def start(self) -> App:
        app = App(self.config, console=False, clock=self.clock)
        self.running.append(app)
        await asyncio.wait_for(app.start(), STEP)
        return app

    async def stop(self, app: App) -> None:
        self.running.remove(app)
        await asyncio.wait_for(app.stop(), STEP)


@pytest.fixture
async def bots(fake: FakeDiscord, config: Config) -> AsyncIterator[Bots]:
    made = Bots(config)
    try:
        yield made
    finally:
        for app in list(made.running):
            await made.stop(app)


@pytest.fixture
async def bot(bots: Bots) -> App:
    return await bots.start()

