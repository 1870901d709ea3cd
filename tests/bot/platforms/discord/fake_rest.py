"""The fake Discord's REST API under /api/v10: the routes discord.py calls, recorded."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import BodyPartReader, web

from tests.bot.platforms.discord import payloads
from tests.bot.platforms.discord.fake_state import (
    APP_ID,
    BOT_ID,
    CHLOE,
    EPHEMERAL,
    JSON,
    Answer,
    Call,
    Handler,
    Recorded,
    State,
)


class Rest(State):
    def __init__(self) -> None:
        super().__init__()
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
        await self.recorded(recorded)
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
