"""Everything a handler can reach: repositories, settings, the clock, the platforms."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.clock import Clock, SystemClock
from commands.ports import NoWaker, Platform, Waker
from commands.settings import Settings
from commands.spec import REGISTRY, Registry
from storage.repositories import Repositories


@dataclass
class Services:
    repos: Repositories
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    ports: dict[str, Platform] = field(default_factory=dict)
    registry: Registry = field(default_factory=lambda: REGISTRY)
    waker: Waker = field(default_factory=NoWaker)

    def port(self, platform: str) -> Platform | None:
        return self.ports.get(platform)
