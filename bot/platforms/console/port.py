"""The console's platform port: committee spaces are named channels kept in memory, and
everything sent anywhere is printed with where it went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from commands.errors import PlatformError
from commands.i18n import RenderContext, _, render
from commands.ports import Outgoing
from commands.reply import Reply
from storage.committees import Committee
from storage.users import User

NAME = "console"


@dataclass
class ConsoleSpace:
    name: str
    topic: str
    members: set[str] = field(default_factory=set)
    leads: set[str] = field(default_factory=set)
    archived: bool = False


def console_mention(platform: str, platform_user_id: str) -> str:
    if platform == NAME:
        return f"@{platform_user_id}"
    return platform_user_id


class ConsolePort:
    name = NAME

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self.spaces: dict[str, ConsoleSpace] = {}

    # What the commands ask of a platform.

    def parse_user(self, token: str) -> str | None:
        name = token.removeprefix("@").strip()
        if not name or not all(char.isalnum() or char in "-_." for char in name):
            return None
        return name

    async def create_space(self, committee: Committee, founder: User) -> str:
        space_id = f"#{committee.slug}"
        if space_id in self.spaces:
            raise PlatformError(_("A channel with that name already exists."))
        self.spaces[space_id] = ConsoleSpace(
            space_id, committee.description, members={founder.platform_user_id}
        )
        self._emit("console", [f"{space_id} opened"])
        return space_id

    async def update_space(self, space_id: str, committee: Committee) -> None:
        self._space(space_id).topic = committee.description

    async def archive_space(self, space_id: str) -> None:
        self._space(space_id).archived = True
        self._emit("console", [f"{space_id} archived, read-only"])

    async def add_member(self, space_id: str, user: User) -> None:
        self._space(space_id).members.add(user.platform_user_id)

    async def remove_member(self, space_id: str, user: User) -> None:
        self._space(space_id).members.discard(user.platform_user_id)

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        space = self._space(space_id)
        if lead:
            space.leads.add(user.platform_user_id)
        else:
            space.leads.discard(user.platform_user_id)

    async def post(self, space_id: str, message: Outgoing) -> None:
        self.show(space_id, message)

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        self.show(f"dm @{user.platform_user_id}", message)
        return True

    async def post_staff(self, message: Outgoing) -> None:
        self.show("staff", message)

    # Printing.

    def show(self, where: str, message: Outgoing) -> None:
        self._emit(where, format_reply(message.reply, message.locale, message.ping))

    def _emit(self, where: str, body: list[str]) -> None:
        for line in body:
            self._write(f"[{where}] {line}")

    def _space(self, space_id: str) -> ConsoleSpace:
        space = self.spaces.get(space_id)
        if space is None:
            # A restart forgets the in-memory channels; the committee still knows its space.
            space = self.spaces[space_id] = ConsoleSpace(space_id, "")
        return space


def format_reply(reply: Reply, locale: str, ping: tuple[User, ...] = ()) -> list[str]:
    ctx = RenderContext(locale, console_mention)
    body = render(reply.text, ctx).splitlines() or [""]
    if ping:
        body[0] = " ".join(f"@{user.platform_user_id}" for user in ping) + " " + body[0]
    for button in reply.buttons:
        body.append(f"  [{render(button.label, ctx)}: {button.command}]")
    if reply.file is not None:
        body.append(f"  (file {reply.file.filename}, {len(reply.file.data)} bytes)")
    return body
