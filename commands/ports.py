"""What a handler may ask of the platform it runs on. `bot/platforms/*` implements these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commands.reply import Reply
from storage.committees import Committee
from storage.users import User


@dataclass(frozen=True)
class Place:
    """Where a command was typed: a space on a platform, or a direct conversation."""

    platform: str
    space_id: str | None
    direct: bool = False


@dataclass(frozen=True)
class Outgoing:
    """A reply on its way to one destination, with the locale to render it in."""

    reply: Reply
    locale: str
    # People this message is meant to notify (reminders); everyone else is never pinged.
    ping: tuple[User, ...] = ()


class Platform(Protocol):
    """One chat platform, as the commands see it.

    A platform that cannot do something raises `PlatformError` with a sentence for the user.
    """

    name: str

    def parse_user(self, token: str) -> str | None:
        """The platform user id that a typed mention (`@ines`, `<@123>`) stands for."""
        ...

    async def create_space(self, committee: Committee, founder: User) -> str:
        """Open the committee's space (channel, room); returns its id."""
        ...

    async def update_space(self, space_id: str, committee: Committee) -> None: ...

    async def archive_space(self, space_id: str) -> None: ...

    async def add_member(self, space_id: str, user: User) -> None: ...

    async def remove_member(self, space_id: str, user: User) -> None: ...

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        """Grant (or revoke) a lead's moderation rights in the space."""
        ...

    async def post(self, space_id: str, message: Outgoing) -> None: ...

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        """Send privately; False when the person cannot be reached privately."""
        ...

    async def post_staff(self, message: Outgoing) -> None: ...


class Waker(Protocol):
    """Wakes the process when something scheduled falls due (the database says what)."""

    def wake_at(self, moment: datetime) -> None: ...


class NoWaker:
    """For code that runs no scheduler: due work is found at the next start."""

    def wake_at(self, moment: datetime) -> None:
        return None
