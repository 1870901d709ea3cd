"""The fake Discord's world: ids, people, channels, messages, and what was asked of it.

Split from the server (`fake_gateway`, `fake_rest`, `fake_discord`) so each part stays small.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import web

from tests.bot.platforms.discord import payloads

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 910000000000000001
STAFF_ROLE_ID = 920000000000000001
GENERAL_ID = 930000000000000001
STAFF_CHANNEL_ID = 930000000000000002
INES = 940000000000000001
MARC = 940000000000000002
CHLOE = 940000000000000003  # staff
NAMES = {INES: "ines", MARC: "marc", CHLOE: "chloe"}
EPHEMERAL = 64
JSON = "application/json"

Handler = Callable[["Call"], Awaitable["Answer"]]


@dataclass(frozen=True)
class Upload:
    """A file someone attaches to a slash command; the fake serves it as Discord's CDN does."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[str] = field(default_factory=list)
    status: int = 200


@dataclass
class Call:
    request: web.Request
    match: re.Match[str]
    body: Any
    recorded: Recorded

    def id(self, name: str) -> int:
        return int(self.match.group(name))


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    retry_after: float
    times: int


@dataclass
class Session:
    session_id: str
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def seq(self) -> int:
        return len(self.events)


class State:
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Recorded] = []
        self.gateway: list[dict[str, Any]] = []  # what the client sent (op, d), in order
        self.connections = 0
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.channels: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.events: dict[int, dict[str, Any]] = {}
        self.dm_closed: set[int] = set()
        self.dms: dict[int, int] = {}  # user id -> DM channel id
        self.uploads: dict[str, Upload] = {}
        self.failures: list[Failure] = []
        self.users = {uid: payloads.user(uid, name) for uid, name in NAMES.items()}
        self.bot = payloads.user(BOT_ID, "comites", bot=True)
        self.roles = {STAFF_ROLE_ID: [CHLOE]}
        self._ids = itertools.count(1_000_000_000_000_000_001)
        self._session: Session | None = None
        self._ws: web.WebSocketResponse | None = None
        self._live = asyncio.Event()  # a socket identified or resumed, taking events
        self._interactions: dict[str, dict[str, Any]] = {}  # token -> interaction
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None
        self._changed = asyncio.Condition()
        self.port = 0
        for channel_id, name in ((GENERAL_ID, "general"), (STAFF_CHANNEL_ID, "staff")):
            self.channels[channel_id] = payloads.channel(channel_id, GUILD_ID, name)

    def new_id(self) -> int:
        return next(self._ids)

    def guild(self) -> dict[str, Any]:
        roles = [payloads.role(GUILD_ID, "@everyone", 0, payloads.EVERYONE_PERMISSIONS),
                 payloads.role(STAFF_ROLE_ID, "staff", 1)]
        members = [payloads.member(self.bot, []), *(
            self.member(uid) for uid in NAMES)]
        channels = [c for c in self.channels.values() if c.get("guild_id") == str(GUILD_ID)]
        return payloads.guild(GUILD_ID, "Comités test", roles=roles, channels=channels,
                              members=members, owner_id=CHLOE)

    def member(self, user_id: int) -> dict[str, Any]:
        roles = [role for role, people in self.roles.items() if user_id in people]
        return payloads.member(self.users[user_id], roles)

    def _store(self, channel_id: int, body: dict[str, Any], *,
               application: bool = False) -> dict[str, Any]:
        channel = self.channels.get(channel_id, {})
        guild = channel.get("guild_id")
        made = payloads.message(self.new_id(), channel_id, self.bot, body,
                                guild_id=int(guild) if guild else None,
                                application_id=APP_ID if application else None)
        self.messages[int(made["id"])] = made
        return made

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """A gateway event (the gateway sends it)."""
        raise NotImplementedError

    async def recorded(self, request: Recorded) -> None:
        self.requests.append(request)
        async with self._changed:
            self._changed.notify_all()
