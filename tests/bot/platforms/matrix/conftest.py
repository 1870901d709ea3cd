"""A real Synapse for the whole session, the bot as the application runs it, and people.

Without Synapse installed the Matrix tests are skipped, saying why; in CI (`CI` set) they
fail instead, and so they do anywhere when an installed Synapse does not start.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.config import MATRIX_PASSWORD_ENV, Config, DatabaseConfig, MatrixConfig
from commands.settings import Limits, Organisation
from tests.bot.platforms.matrix.homeserver import (
    Homeserver,
    free_port,
    in_ci,
    synapse_installed,
)
from tests.bot.platforms.matrix.person import Person

BOT_PASSWORD = "bot-password"
ACCOUNTS = {  # name: admin
    "comites": False,
    "ratebot": False,
    "alex": False,
    "marc": False,
    "admin": True,
}


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    if not synapse_installed():
        reason = "matrix-synapse is not installed (pip install -e '.[test]')"
        if in_ci():
            pytest.fail(f"CI must run the Matrix tests: {reason}")
        pytest.skip(reason)
    server = Homeserver(tmp_path_factory.mktemp("synapse"), free_port())
    began = time.monotonic()
    try:
        server.configure()
        server.start()
        server.register({
            name: (BOT_PASSWORD if name in ("comites", "ratebot") else f"{name}-password", admin)
            for name, admin in ACCOUNTS.items()
        })
    except Exception as error:  # HomeserverUnavailable, a failed registration...
        server.stop()
        pytest.fail(f"the Synapse homeserver could not start: {error}")
    print(f"\nSynapse ready in {server.started_in:.1f}s, with accounts in "
          f"{time.monotonic() - began:.1f}s")
    yield server
    server.stop()


def bot_config(homeserver: Homeserver, database: Path, *, account: str = "comites",
               prefix: str = "!") -> Config:
    return Config(
        database=DatabaseConfig(path=str(database), blobs_path=str(database.parent / "blobs")),
        matrix=MatrixConfig(
            enabled=True,
            homeserver=homeserver.url,
            user_id=homeserver.user_id(account),
            staff_user_ids=[],
            command_prefix=prefix,
        ),
        # English, so the tests read like the code's sentences.
        organisation=Organisation(locale="en"),
        # The tests type faster than a person; the limit itself is tested elsewhere.
        limits=Limits(commands_per_minute=500),
    )


@pytest.fixture
def password_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MATRIX_PASSWORD_ENV, BOT_PASSWORD)


@pytest.fixture
async def bot(homeserver: Homeserver, tmp_path: Path, password_in_env: None
              ) -> AsyncIterator[App]:
    app = App(bot_config(homeserver, tmp_path / "comites.db"), console=False)
    await app.start()
    yield app
    await app.stop()


async def _person(homeserver: Homeserver, name: str) -> Person:
    person = Person(homeserver.url, homeserver.user_id(name), homeserver.passwords[name])
    await person.start()
    return person


@pytest.fixture
async def alex(homeserver: Homeserver) -> AsyncIterator[Person]:
    person = await _person(homeserver, "alex")
    yield person
    await person.stop()


@pytest.fixture
async def marc(homeserver: Homeserver) -> AsyncIterator[Person]:
    person = await _person(homeserver, "marc")
    yield person
    await person.stop()


@pytest.fixture
async def admin(homeserver: Homeserver) -> AsyncIterator[Person]:
    person = await _person(homeserver, "admin")
    yield person
    await person.stop()
