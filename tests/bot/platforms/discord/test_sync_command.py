"""`comites discord sync`: sends the commands whatever the stored hash says."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from tests.bot.platforms.discord.fake_discord import APP_ID, GUILD_ID, FakeDiscord

TIMEOUT = 10.0


@pytest.fixture
def fake_in_thread() -> Iterator[FakeDiscord]:
    """The fake server on its own loop: the command line runs its own with asyncio.run."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeDiscord()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(TIMEOUT)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(TIMEOUT)
        loop.close()


def test_discord_sync_always_sends_the_commands(
    fake_in_thread: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMITES_DISCORD_TOKEN", "fake-token")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\npath = "{tmp_path / "live.db"}"\n'
        f"[discord]\nenabled = true\nguild_ids = [{GUILD_ID}]\n", encoding="utf-8")

    for _run in range(2):
        result = CliRunner().invoke(cli, ["discord", "sync", "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert f"commands synced for guild:{GUILD_ID}" in result.output

    synced = fake_in_thread.calls("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    assert len(synced) == 2  # the second time too, though nothing changed
    assert not fake_in_thread.gateway  # no need to connect to the gateway for this


def test_discord_sync_without_a_token_says_so(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMITES_DISCORD_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["discord", "sync"])
    assert result.exit_code != 0
    assert "COMITES_DISCORD_TOKEN" in result.output
