"""One command, about to run: who, where, in which language, about which committee."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commands.files import Incoming
from commands.permissions import Role
from commands.ports import Place, Platform
from commands.services import Services
from commands.settings import Settings
from commands.spec import CommandSpec
from storage.actions import Action
from storage.committees import Committee
from storage.repositories import Repositories
from storage.users import User


@dataclass
class Invocation:
    services: Services
    platform: Platform
    place: Place
    actor: User
    is_staff: bool
    locale: str
    spec: CommandSpec
    # The committee the command is about (named, or the space it was typed in).
    committee: Committee | None
    role: Role
    # The committee whose space the command was typed in, if any.
    place_committee: Committee | None
    # The action the command is about, when it names one.
    action: Action | None = None
    # Files the person attached to the command, downloaded by their platform.
    attachments: tuple[Incoming, ...] = ()
    _later: list[tuple[Callable[[], Awaitable[None]], str]] = field(default_factory=list)

    @property
    def repos(self) -> Repositories:
        return self.services.repos

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def now(self) -> datetime:
        return self.services.clock.now()

    def later(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        """Run `work` once this command's changes are committed, without holding it up.

        For long sends (an announcement to every committee): the command answers at once.
        """
        self._later.append((work, name))

    def deferred(self) -> list[tuple[Callable[[], Awaitable[None]], str]]:
        return list(self._later)

    async def audit(
        self,
        action: str,
        *,
        target_kind: str,
        target_id: int | None,
        committee_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        await self.repos.audit.record(
            actor_id=self.actor.id,
            action=action,
            target_kind=target_kind,
            target_id=target_id,
            committee_id=committee_id,
            now=self.now(),
            before=before,
            after=after,
        )
