"""A platform that sends nowhere: it renders what it is handed, as a real one would, and
counts it. Like `tests/fakes.py`'s recording platform, without keeping every message."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.scale import PLATFORM
from commands.i18n import RenderContext, render
from commands.ports import Outgoing
from storage.committees import Committee
from storage.users import User


def _mention(platform: str, platform_user_id: str) -> str:
    return f"<@{platform_user_id}>"


@dataclass
class CountingPlatform:
    name: str = PLATFORM
    posts: int = 0
    directs: int = 0
    calls: int = 0
    characters: int = 0
    # Direct messages to these platform user ids fail, as closed DMs do.
    closed: set[str] = field(default_factory=set)

    @property
    def messages(self) -> int:
        return self.posts + self.directs

    def parse_user(self, token: str) -> str | None:
        name = token.removeprefix("@").strip()
        return name or None

    async def create_space(self, committee: Committee, founder: User) -> str:
        self.calls += 1
        return f"{PLATFORM}-new-space-{committee.slug}"

    async def update_space(self, space_id: str, committee: Committee) -> None:
        self.calls += 1

    async def archive_space(self, space_id: str) -> None:
        self.calls += 1

    async def add_member(self, space_id: str, user: User) -> None:
        self.calls += 1

    async def remove_member(self, space_id: str, user: User) -> None:
        self.calls += 1

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        self.calls += 1

    async def post(self, space_id: str, message: Outgoing) -> None:
        self.posts += 1
        self._render(message)

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        if user.platform_user_id in self.closed:
            return False
        self.directs += 1
        self._render(message)
        return True

    async def post_staff(self, message: Outgoing) -> None:
        self.posts += 1
        self._render(message)

    def _render(self, message: Outgoing) -> None:
        self.characters += len(render(message.reply.text, RenderContext(message.locale,
                                                                         _mention)))
