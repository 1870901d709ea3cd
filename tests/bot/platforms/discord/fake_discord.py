"""A small Discord on loopback for the real discord.py client: REST under /api/v10 and a
gateway websocket. It records every request, keeps channels and messages, pushes gateway
events (interactions included), and can answer a request with a 429 or go silent on the
gateway to test reconnection.

    fake = FakeDiscord()
    await fake.start()          # and fake.install(): discord.py now talks to it
    ...
    await fake.stop()           # restores discord.py's URLs
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import BodyPartReader, WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

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


class FakeDiscord:
    def __init__(self) -> None:
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
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            (method, re.compile(pattern), handler) for method, pattern, handler in (
                ("GET", r"/users/@me", self._me),
                ("GET", r"/oauth2/applications/@me", self._application),
                ("PUT", r"/applications/(?P<app>\d+)/commands", self._put_commands),
                ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands",
                 self._put_commands),
                ("GET", r"/guilds/(?P<guild>\d+)/channels", self._guild_channels),
                ("POST", r"/guilds/(?P<guild>\d+)/channels", self._create_channel),
                ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<user>\d+)", self._member),
                ("POST", r"/guilds/(?P<guild>\d+)/scheduled-events", self._create_event),
                ("PATCH", r"/guilds/(?P<guild>\d+)/scheduled-events/(?P<event>\d+)",
                 self._edit_event),
                ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
                ("PATCH", r"/channels/(?P<channel>\d+)", self._edit_channel),
                ("PUT", r"/channels/(?P<channel>\d+)/permissions/(?P<target>\d+)",
                 self._put_permission),
                ("DELETE", r"/channels/(?P<channel>\d+)/permissions/(?P<target>\d+)",
                 self._delete_permission),
                ("POST", r"/channels/(?P<channel>\d+)/messages", self._send),
                ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)",
                 self._edit_message),
                ("POST", r"/users/@me/channels", self._open_dm),
                ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
                ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._followup),
                ("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/@original",
                 self._get_original),
                ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>[^/]+)",
                 self._edit_webhook_message),
                ("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>[^/]+)",
                 self._delete_webhook_message),
            )
        ]

    # --- Life ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{filename}", self._cdn)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = f"http://127.0.0.1:{self.port}/api/v10"
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    async def stop(self) -> None:
        if self._saved is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def new_id(self) -> int:
        return next(self._ids)

    # --- What the tests look at -----------------------------------------------------------

    def calls(self, method: str, pattern: str, *, succeeded: bool = False) -> list[Recorded]:
        """Requests made so far whose path matches `pattern` entirely (answered 2xx only,
        when `succeeded`)."""
        regex = re.compile(pattern)
        return [r for r in self.requests if r.method == method and regex.fullmatch(r.path)
                and (not succeeded or r.status < 300)]

    async def wait_for(
        self, method: str, pattern: str, *, count: int = 1, within: float = 5.0,
        succeeded: bool = False,
    ) -> list[Recorded]:
        def found() -> list[Recorded]:
            return self.calls(method, pattern, succeeded=succeeded)

        async def enough() -> list[Recorded]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(found()) >= count)
            return found()

        try:
            return await asyncio.wait_for(enough(), within)
        except TimeoutError:
            seen = "\n".join(f"  {r.method} {r.path} {r.status}" for r in self.requests)
            raise AssertionError(f"no {count} × {method} {pattern} in time; seen:\n{seen}"
                                 ) from None

    def fail_next(self, method: str, pattern: str, *, status: int = 429,
                  retry_after: float = 0.2, times: int = 1) -> None:
        """Answer the next matching request(s) with an error (a rate limit by default)."""
        self.failures.append(Failure(method, re.compile(pattern), status, retry_after, times))

    # --- Gateway --------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event, or keep it for the client to get when it resumes."""
        session = self._session
        assert session is not None, "no gateway session yet"
        frame = {"op": 0, "t": event, "s": session.seq + 1, "d": data}
        session.events.append(frame)
        if self._live.is_set() and self._ws is not None and not self._ws.closed:
            with contextlib.suppress(ConnectionError):  # replayed on RESUME
                await self._ws.send_str(json.dumps(frame))

    async def reconnect(self) -> None:
        """Ask the client to reconnect (op 7) and resume its session."""
        assert self._ws is not None
        self._live.clear()
        await self._ws.send_str(json.dumps({"op": 7, "d": None}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        self._live.clear()
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                break
            sent = json.loads(frame.data)
            self.gateway.append(sent)
            op = sent["op"]
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                await self._identify(ws)
            elif op == 6:
                await self._resume(ws, sent["d"])
        if self._ws is ws:
            self._live.clear()
        return ws

    async def _identify(self, ws: web.WebSocketResponse) -> None:
        self._session = Session(f"session-{self.new_id()}")
        ready = {
            "v": 10, "user": self.bot, "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self._session.session_id,
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/resume",
            "application": {"id": str(APP_ID), "flags": 0}, "private_channels": [],
            "relationships": [], "shard": [0, 1],
        }
        self._live.set()
        await self.dispatch("READY", ready)
        await self.dispatch("GUILD_CREATE", self.guild())

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = self._session
        if session is None or data["session_id"] != session.session_id:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        for frame in session.events[int(data["seq"] or 0):]:
            await ws.send_str(json.dumps(frame))
        self._live.set()
        await self.dispatch("RESUMED", {})

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

    # --- Interactions the tests push -----------------------------------------------------

    def command_data(self, path: str, options: dict[str, Any]) -> dict[str, Any]:
        """`data` of a slash command, by its path ("committee create") and option values
        (an `Upload` for an attachment option)."""
        words = path.split()
        resolved: dict[str, dict[str, Any]] = {}
        leaf = []
        for name, value in options.items():
            if isinstance(value, Upload):
                attachment_id = str(self.new_id())
                self.uploads[attachment_id] = value
                url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{value.filename}"
                resolved[attachment_id] = {
                    "id": attachment_id, "filename": value.filename, "size": len(value.data),
                    "url": url, "proxy_url": url, "content_type": value.content_type}
                leaf.append({"name": name, "type": 11, "value": attachment_id})
            else:
                leaf.append({"name": name, "type": _option_type(value), "value": value})
        for word in reversed(words[1:]):
            leaf = [{"name": word, "type": 1, "options": leaf}]
        found = next((c for scope in self.commands.values() for c in scope
                      if c["name"] == words[0]), None)
        assert found is not None, f"/{words[0]} was never synced"
        data = {"id": found["id"], "name": words[0], "type": 1, "options": leaf}
        if resolved:
            data["resolved"] = {"attachments": resolved}
        if found.get("guild_id"):
            data["guild_id"] = found["guild_id"]
        return data

    async def slash(self, user: int, path: str, *, channel: int = GENERAL_ID,
                    locale: str = "fr", **options: Any) -> dict[str, Any]:
        return await self.interact(2, user, self.command_data(path, options), channel=channel,
                                   locale=locale)

    async def autocomplete(self, user: int, path: str, option: str, current: str, *,
                           channel: int = GENERAL_ID, **others: Any) -> dict[str, Any]:
        """Someone typing `current` into `option` (the other options as already filled)."""
        data = self.command_data(path, {**others, option: current})
        leaf = data
        while leaf["options"] and leaf["options"][0]["type"] in (1, 2):
            leaf = leaf["options"][0]
        for given in leaf["options"]:
            if given["name"] == option:
                given["focused"] = True
        return await self.interact(4, user, data, channel=channel, locale="fr")

    async def click(self, user: int, message_id: int, custom_id: str, *,
                    locale: str = "fr") -> dict[str, Any]:
        message = self.messages[message_id]
        return await self.interact(3, user, {"custom_id": custom_id, "component_type": 2},
                                   channel=int(message["channel_id"]), locale=locale,
                                   message=message)

    async def submit(self, user: int, custom_id: str, values: dict[str, str], *,
                     channel: int = GENERAL_ID, message_id: int | None = None,
                     locale: str = "fr") -> dict[str, Any]:
        components = [{"type": 18, "id": index + 1,
                       "component": {"type": 4, "id": index + 10, "custom_id": name,
                                     "value": value}}
                      for index, (name, value) in enumerate(values.items())]
        message = self.messages[message_id] if message_id is not None else None
        return await self.interact(5, user, {"custom_id": custom_id, "components": components},
                                   channel=channel, locale=locale, message=message)

    async def interact(self, kind: int, user: int, data: dict[str, Any], *, channel: int,
                       locale: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        interaction_id = self.new_id()
        place = self.channels[channel]
        interaction: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(APP_ID), "type": kind,
            "token": f"token-{interaction_id}", "version": 1, "data": data,
            "channel_id": str(channel), "channel": place, "locale": locale,
            "app_permissions": "2251808672181264", "entitlements": [],
            "attachment_size_limit": payloads.ATTACHMENT_SIZE_LIMIT,
        }
        if place.get("guild_id"):
            interaction.update(guild_id=str(GUILD_ID), guild_locale="fr", context=0,
                               guild={"id": str(GUILD_ID), "locale": "fr", "features": []},
                               member={**self.member(user), "permissions": "1071698660929"},
                               authorizing_integration_owners={"0": str(GUILD_ID)})
        else:
            interaction.update(user=self.users[user], context=1,
                               authorizing_integration_owners={"1": str(user)})
        if message is not None:
            interaction["message"] = message
        self._interactions[interaction["token"]] = interaction
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def answer_to(self, interaction: dict[str, Any], within: float = 5.0) -> Recorded:
        """The interaction's callback (its first response), once Discord took it."""
        found = await self.wait_for("POST", rf"/interactions/{interaction['id']}/[^/]+/callback",
                                    within=within, succeeded=True)
        return found[0]

    # --- REST -----------------------------------------------------------------------------

    async def _cdn(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["id"])
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.data, content_type=upload.content_type)

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await _body(request)
        recorded = Recorded(request.method, path, dict(request.query), body, files)
        answer: Answer | None = None
        for failure in self.failures:
            if failure.times > 0 and failure.method == request.method and (
                    failure.pattern.fullmatch(path)):
                failure.times -= 1
                answer = Answer(failure.status, {
                    "message": "You are being rate limited.",
                    "retry_after": failure.retry_after, "global": False,
                }, {"Via": "1.1 google", "Retry-After": str(failure.retry_after),
                    "X-RateLimit-Scope": "user"})
                break
        if answer is None:
            answer = await self._route(request, path, body, recorded)
        recorded.status = answer.status
        self.requests.append(recorded)
        async with self._changed:
            self._changed.notify_all()
        if answer.body is None:
            return web.Response(status=answer.status, headers=answer.headers)
        return web.Response(status=answer.status, body=json.dumps(answer.body).encode(),
                            content_type=JSON, headers=answer.headers)

    async def _route(self, request: web.Request, path: str, body: Any,
                     recorded: Recorded) -> Answer:
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is not None and method == request.method:
                return await handler(Call(request, match, body, recorded))
        return Answer(404, {"code": 0, "message": f"fake Discord: no {request.method} {path}"})

    async def _me(self, call: Call) -> Answer:
        return Answer(body=self.bot)

    async def _application(self, call: Call) -> Answer:
        return Answer(body={
            "id": str(APP_ID), "name": "Comités", "icon": None, "description": "",
            "rpc_origins": [], "bot_public": True, "bot_require_code_grant": False,
            "bot": self.bot, "owner": self.users[CHLOE], "team": None, "verify_key": "0" * 64,
            "flags": 0, "summary": "", "interactions_endpoint_url": None, "tags": [],
            "install_params": None, "custom_install_url": None, "redirect_uris": [],
            "approximate_guild_count": 1, "integration_types_config": {},
        })

    async def _put_commands(self, call: Call) -> Answer:
        scope = call.match.groupdict().get("guild") or "global"
        made = []
        for command in call.body:
            made.append({**command, "id": str(self.new_id()), "application_id": str(APP_ID),
                         "version": str(self.new_id()),
                         "guild_id": None if scope == "global" else scope})
        self.commands[scope] = made
        return Answer(body=made)

    async def _guild_channels(self, call: Call) -> Answer:
        guild = str(call.id("guild"))
        return Answer(body=[c for c in self.channels.values() if c.get("guild_id") == guild])

    async def _create_channel(self, call: Call) -> Answer:
        body = call.body
        channel_id = self.new_id()
        made = payloads.channel(
            channel_id, call.id("guild"), body["name"], kind=body.get("type", 0),
            position=len(self.channels), parent_id=_int(body.get("parent_id")),
            overwrites=_overwrites(body.get("permission_overwrites", [])),
            topic=body.get("topic"))
        self.channels[channel_id] = made
        await self.dispatch("CHANNEL_CREATE", made)
        return Answer(201, made)

    async def _member(self, call: Call) -> Answer:
        user_id = call.id("user")
        if user_id not in self.users:
            return Answer(404, {"code": 10007, "message": "Unknown Member"})
        return Answer(body=self.member(user_id))

    async def _get_channel(self, call: Call) -> Answer:
        found = self.channels.get(call.id("channel"))
        if found is None:
            return Answer(404, {"code": 10003, "message": "Unknown Channel"})
        return Answer(body=found)

    async def _edit_channel(self, call: Call) -> Answer:
        found = self.channels.get(call.id("channel"))
        if found is None:
            return Answer(404, {"code": 10003, "message": "Unknown Channel"})
        for key, value in call.body.items():
            if key == "permission_overwrites":
                found[key] = _overwrites(value)
            elif key == "parent_id":
                found[key] = None if value is None else str(value)
            elif key in ("name", "topic", "position"):
                found[key] = value
        await self.dispatch("CHANNEL_UPDATE", found)
        return Answer(body=found)

    async def _put_permission(self, call: Call) -> Answer:
        found = self.channels[call.id("channel")]
        target = str(call.id("target"))
        kept = [o for o in found["permission_overwrites"] if o["id"] != target]
        found["permission_overwrites"] = [*kept, *_overwrites([{**call.body, "id": target}])]
        await self.dispatch("CHANNEL_UPDATE", found)
        return Answer(204)

    async def _delete_permission(self, call: Call) -> Answer:
        found = self.channels[call.id("channel")]
        target = str(call.id("target"))
        found["permission_overwrites"] = [o for o in found["permission_overwrites"]
                                          if o["id"] != target]
        await self.dispatch("CHANNEL_UPDATE", found)
        return Answer(204)

    async def _send(self, call: Call) -> Answer:
        channel_id = call.id("channel")
        channel = self.channels.get(channel_id)
        if channel is None:
            return Answer(404, {"code": 10003, "message": "Unknown Channel"})
        if channel["type"] == 1 and int(channel["recipients"][0]["id"]) in self.dm_closed:
            return Answer(403, {"code": 50007, "message": "Cannot send messages to this user"})
        return Answer(body=self._store(channel_id, call.body))

    async def _edit_message(self, call: Call) -> Answer:
        found = self.messages.get(call.id("message"))
        if found is None:
            return Answer(404, {"code": 10008, "message": "Unknown Message"})
        for key in ("content", "embeds", "components"):
            if key in call.body:
                found[key] = call.body[key] or ([] if key != "content" else "")
        found["edited_timestamp"] = payloads.now_iso()
        return Answer(body=found)

    async def _open_dm(self, call: Call) -> Answer:
        user_id = int(call.body["recipient_id"])
        if user_id not in self.dms:
            self.dms[user_id] = self.new_id()
            self.channels[self.dms[user_id]] = payloads.dm_channel(self.dms[user_id],
                                                                   self.users[user_id])
        return Answer(body=self.channels[self.dms[user_id]])

    async def _create_event(self, call: Call) -> Answer:
        event = {**call.body, "id": str(self.new_id()), "guild_id": str(call.id("guild")),
                 "creator_id": str(BOT_ID), "status": 1, "channel_id": None,
                 "entity_id": None, "user_count": 0, "creator": self.bot}
        self.events[int(event["id"])] = event
        return Answer(body=event)

    async def _edit_event(self, call: Call) -> Answer:
        event = self.events[call.id("event")]
        event.update(call.body)
        return Answer(body=event)

    # Interaction responses: the first answer, then webhook follow-ups and edits.

    async def _callback(self, call: Call) -> Answer:
        interaction = self._interactions[call.match.group("token")]
        kind = call.body["type"]
        data = call.body.get("data") or {}
        found: dict[str, Any] = {"interaction": {
            "id": interaction["id"], "type": interaction["type"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
        }}
        if kind in (4, 5):
            message = self._store(int(interaction["channel_id"]),
                                  {**data, "flags": (data.get("flags") or 0) | (128 * (kind == 5))},
                                  application=True)
            interaction["original"] = message["id"]
            found["interaction"]["response_message_id"] = message["id"]
            found["resource"] = {"type": kind, "message": message}
        elif kind == 7 and "message" in interaction:
            self.messages[int(interaction["message"]["id"])].update(
                {k: v for k, v in data.items() if k in ("content", "embeds", "components")})
        return Answer(body=found)

    async def _followup(self, call: Call) -> Answer:
        interaction = self._interactions[call.match.group("token")]
        message = self._store(int(interaction["channel_id"]), call.body, application=True)
        return Answer(body=message)

    async def _get_original(self, call: Call) -> Answer:
        interaction = self._interactions[call.match.group("token")]
        return Answer(body=self.messages[int(interaction["original"])])

    async def _edit_webhook_message(self, call: Call) -> Answer:
        interaction = self._interactions[call.match.group("token")]
        which = call.match.group("message")
        message_id = int(interaction["original"] if which == "@original" else which)
        found = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in call.body:
                found[key] = call.body[key]
        return Answer(body=found)

    async def _delete_webhook_message(self, call: Call) -> Answer:
        interaction = self._interactions[call.match.group("token")]
        which = call.match.group("message")
        self.messages.pop(int(interaction["original"] if which == "@original" else which), None)
        return Answer(204)

    def _store(self, channel_id: int, body: dict[str, Any], *,
               application: bool = False) -> dict[str, Any]:
        channel = self.channels.get(channel_id, {})
        guild = channel.get("guild_id")
        made = payloads.message(self.new_id(), channel_id, self.bot, body,
                                guild_id=int(guild) if guild else None,
                                application_id=APP_ID if application else None)
        self.messages[int(made["id"])] = made
        return made


async def _body(request: web.Request) -> tuple[Any, list[str]]:
    """JSON, or multipart with `payload_json` and files."""
    if request.content_type.startswith("multipart/"):
        body: Any = {}
        files: list[str] = []
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, BodyPartReader)
            if part.name == "payload_json":
                body = json.loads(await part.text())
            elif part.filename:
                files.append(part.filename)
                await part.read()
        return body, files
    raw = await request.read()
    if not raw:
        return None, []
    return json.loads(raw), []


def _overwrites(given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": str(o["id"]), "type": int(o["type"]), "allow": str(o["allow"]),
             "deny": str(o["deny"])} for o in given]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
