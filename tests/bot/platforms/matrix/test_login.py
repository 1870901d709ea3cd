"""Logging in with an access token from the environment, and failing clearly without one."""

from __future__ import annotations

from pathlib import Path

import pytest
from nio import AsyncClient, LoginResponse, WhoamiResponse

from bot.app import App
from bot.config import MATRIX_ACCESS_TOKEN_ENV, MATRIX_PASSWORD_ENV, ConfigError
from tests.bot.platforms.matrix.conftest import BOT_PASSWORD, bot_config
from tests.bot.platforms.matrix.homeserver import Homeserver
from tests.bot.platforms.matrix.person import Person
from tests.bot.platforms.matrix.scene import ask, direct_room


async def test_an_access_token_is_used_and_kept_across_a_stop(
    homeserver: Homeserver, tmp_path: Path, alex: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = AsyncClient(homeserver.url, homeserver.user_id("comites"))
    login = await device.login(BOT_PASSWORD, device_name="Comités (token)")
    assert isinstance(login, LoginResponse)
    monkeypatch.delenv(MATRIX_PASSWORD_ENV, raising=False)
    monkeypatch.setenv(MATRIX_ACCESS_TOKEN_ENV, login.access_token)

    app = App(bot_config(homeserver, tmp_path / "comites.db"), console=False)
    await app.start()
    try:
        dm = await direct_room(app, alex)
        await ask(app, alex, dm, "help committee", "committee create")
    finally:
        await app.stop()

    # The deployer's token still works: the bot logs out only the sessions it opened.
    assert isinstance(await device.whoami(), WhoamiResponse)
    await device.logout()
    await device.close()


async def test_without_credentials_the_bot_refuses_to_start(
    homeserver: Homeserver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MATRIX_PASSWORD_ENV, raising=False)
    monkeypatch.delenv(MATRIX_ACCESS_TOKEN_ENV, raising=False)
    app = App(bot_config(homeserver, tmp_path / "comites.db"), console=False)
    with pytest.raises(ConfigError, match=MATRIX_PASSWORD_ENV):
        await app.start()
    await app.stop()
