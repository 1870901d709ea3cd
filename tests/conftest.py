"""Shared fixtures: a real SQLite file per test, the commands, a recording platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

import commands.catalog  # noqa: F401
from commands.clock import FixedClock
from commands.dispatch import Dispatcher, Outcome, Request
from commands.i18n import RenderContext, render
from commands.ports import Place
from commands.services import Services
from commands.settings import Settings
from storage import Database, open_database
from storage.repositories import Repositories
from tests.fakes import RecordingPlatform

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Said:
    """What one command answered, rendered as the person would read it."""

    outcome: Outcome

    @property
    def texts(self) -> list[str]:
        ctx = RenderContext(self.outcome.locale)
        return [render(reply.text, ctx) for reply in self.outcome.replies]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def ok(self) -> bool:
        return not any(reply.error for reply in self.outcome.replies)

    @property
    def buttons(self) -> list[str]:
        return [button.command for reply in self.outcome.replies for button in reply.buttons]


@dataclass
class Harness:
    db: Database
    services: Services
    dispatcher: Dispatcher
    platform: RecordingPlatform
    clock: FixedClock
    staff: frozenset[str] = frozenset({"chloe"})

    @property
    def repos(self) -> Repositories:
        return self.services.repos

    async def say(
        self, user: str, line: str, *, space: str | None = None, locale: str | None = None
    ) -> Said:
        request = Request(
            platform=self.platform.name,
            user_id=user,
            place=Place(self.platform.name, space),
            is_staff=user in self.staff,
            locale_hint=locale,
        )
        return Said(await self.dispatcher.handle_line(request, line))

    async def ok(self, user: str, line: str, *, space: str | None = None) -> Said:
        said = await self.say(user, line, space=space)
        assert said.ok, said.text
        return said

    async def refused(self, user: str, line: str, *, space: str | None = None) -> Said:
        said = await self.say(user, line, space=space)
        assert not said.ok, said.text
        return said


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "comites.db")
    yield database
    await database.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
async def harness(db: Database, settings: Settings) -> Harness:
    clock = FixedClock(START)
    platform = RecordingPlatform()
    services = Services(repos=Repositories(db), settings=settings, clock=clock,
                        ports={platform.name: platform})
    return Harness(db, services, Dispatcher(services), platform, clock)
