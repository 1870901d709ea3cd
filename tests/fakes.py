"""A recording platform: implements every port in memory and keeps what was sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.errors import PlatformError
from commands.i18n import RenderContext, render
from commands.ports import Outgoing
from commands.reply import Reply
from storage.committees import Committee
from storage.users import User


@dataclass
class Sent:
    where: str
    text: str
    reply: Reply
    locale: str
    ping: tuple[str, ...] = ()


def _mention(platform: str, platform_user_id: str) -> str:
    return f"@{platform_user_id}"


@dataclass
class RecordingPlatform:
    name: str = "test"
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, ...]] = field(default_factory=list)
    spaces: dict[str, dict[str, object]] = field(default_factory=dict)
    direct_closed: set[str] = field(default_factory=set)
    # Operations that fail as a platform would (a missing permission, a full server).
    failing: set[str] = field(default_factory=set)

    def parse_user(self, token: str) -> str | None:
        name = token.removeprefix("@").strip()
        return name or None

    async def create_space(self, committee: Committee, founder: User) -> str:
        space_id = f"space-{committee.slug}"
        self.spaces[space_id] = {"name": committee.name, "archived": False, "leads": set()}
        self.calls.append(("create_space", committee.slug, founder.platform_user_id))
        return space_id

    async def update_space(self, space_id: str, committee: Committee) -> None:
        self.calls.append(("update_space", space_id, committee.name))

    async def archive_space(self, space_id: str) -> None:
        self.spaces[space_id]["archived"] = True
        self.calls.append(("archive_space", space_id))

    async def add_member(self, space_id: str, user: User) -> None:
        self.calls.append(("add_member", space_id, user.platform_user_id))

    async def remove_member(self, space_id: str, user: User) -> None:
        self.calls.append(("remove_member", space_id, user.platform_user_id))

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        if "set_lead" in self.failing:
            raise PlatformError("the bot may not change permissions here")
        leads = self.spaces.setdefault(space_id, {"leads": set()})["leads"]
        assert isinstance(leads, set)
        (leads.add if lead else leads.discard)(user.platform_user_id)
        self.calls.append(("set_lead", space_id, user.platform_user_id, str(lead)))

    async def post(self, space_id: str, message: Outgoing) -> None:
        self._record(space_id, message)

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        if user.platform_user_id in self.direct_closed:
            return False
        self._record(f"dm:{user.platform_user_id}", message)
        return True

    async def post_staff(self, message: Outgoing) -> None:
        self._record("staff", message)

    def _record(self, where: str, message: Outgoing) -> None:
        text = render(message.reply.text, RenderContext(message.locale, _mention))
        ping = tuple(user.platform_user_id for user in message.ping)
        self.sent.append(Sent(where, text, message.reply, message.locale, ping))

    def to(self, where: str) -> list[str]:
        return [sent.text for sent in self.sent if sent.where == where]
