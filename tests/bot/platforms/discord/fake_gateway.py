"""The fake Discord's gateway: HELLO, heartbeats, IDENTIFY and RESUME, events in order.

Every event is kept in the session, so a client that resumes (after op 7 RECONNECT, or a
dropped socket) gets what it missed, as from Discord.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.bot.platforms.discord.fake_state import APP_ID, GUILD_ID, Session, State


class Gateway(State):
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
        # Until caught up: events dispatched meanwhile are in the list too.
        position = int(data["seq"] or 0)
        while position < len(session.events):
            await ws.send_str(json.dumps(session.events[position]))
            position += 1
        self._live.set()
        await self.dispatch("RESUMED", {})
