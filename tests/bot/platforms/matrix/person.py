"""A person on Matrix, played by a second matrix-nio client: what they receive, what they do."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinResponse,
    LoginResponse,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)

WAIT = 15.0


@dataclass(frozen=True)
class Seen:
    """One event that reached the person's client."""

    room_id: str
    source: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.source.get("type"))

    @property
    def sender(self) -> str:
        return str(self.source.get("sender"))

    @property
    def event_id(self) -> str:
        return str(self.source.get("event_id"))

    @property
    def content(self) -> dict[str, Any]:
        return dict(self.source.get("content") or {})

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def html(self) -> str:
        return str(self.content.get("formatted_body", ""))

    @property
    def replaces(self) -> str | None:
        relation = self.content.get("m.relates_to") or {}
        return relation.get("event_id") if relation.get("rel_type") == "m.replace" else None


class Person:
    def __init__(self, homeserver: str, user_id: str, password: str) -> None:
        self.user_id = user_id
        self._password = password
        self.client = AsyncClient(homeserver, user_id, config=AsyncClientConfig(
            encryption_enabled=False))
        self.seen: list[Seen] = []
        self.invited: list[str] = []
        self.auto_join = True
        self._new = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        response = await self.client.login(self._password, device_name="test")
        assert isinstance(response, LoginResponse), response
        # Start from now: earlier tests' rooms and messages are not this test's.
        first = await self.client.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 1}}})
        assert isinstance(first, SyncResponse), first
        self._task = asyncio.create_task(self._listen(first.next_batch))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.logout()
        await self.client.close()

    async def _listen(self, since: str) -> None:
        while True:
            response = await self.client.sync(timeout=30_000, since=since)
            if not isinstance(response, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            since = response.next_batch
            for room_id in response.rooms.invite:
                if room_id not in self.invited and self.auto_join:
                    await self.client.join(room_id)
            async with self._new:
                self.invited.extend(room_id for room_id in response.rooms.invite
                                    if room_id not in self.invited)
                for room_id, room in response.rooms.join.items():
                    self.seen.extend(Seen(room_id, event.source) for event in
                                     room.timeline.events)
                self._new.notify_all()

    async def wait_for(self, match: Callable[[Seen], bool], what: str = "a message",
                       within: float = WAIT, *, after: int = 0) -> Seen:
        """The first event that matches, among those seen since `after` (an index in `seen`)."""
        async def found() -> Seen:
            async with self._new:
                while True:
                    for seen in self.seen[after:]:
                        if match(seen):
                            return seen
                    await self._new.wait()

        try:
            return await asyncio.wait_for(found(), within)
        except TimeoutError:
            raise AssertionError(f"{self.user_id} did not receive {what} in {within}s; got:\n"
                                 + "\n".join(f"{s.room_id} {s.type} {s.body[:80]!r}"
                                             for s in self.seen)) from None

    async def wait_until(self, check: Callable[[], bool], what: str,
                         within: float = WAIT) -> None:
        async def reached() -> None:
            async with self._new:
                while not check():
                    await self._new.wait()

        try:
            await asyncio.wait_for(reached(), within)
        except TimeoutError:
            raise AssertionError(f"{self.user_id}: {what} not reached in {within}s") from None

    async def wait_for_invite(self, within: float = WAIT) -> str:
        """The room of the latest invitation (joined already, unless `auto_join` is off)."""
        await self.wait_until(lambda: bool(self.invited), "an invitation", within)
        return self.invited[-1]

    def notices(self, room_id: str, sender: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.room_id == room_id and seen.sender == sender
                and seen.type == "m.room.message" and seen.content.get("msgtype") == "m.notice"
                and seen.replaces is None]

    async def say(self, room_id: str, text: str, html: str | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if html is not None:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        response = await self.client.room_send(room_id, "m.room.message", content)
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def react(self, room_id: str, event_id: str, key: str) -> None:
        response = await self.client.room_send(room_id, "m.reaction", {
            "m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}})
        assert isinstance(response, RoomSendResponse), response

    async def open_direct_room(self, other: str) -> str:
        """A direct room with `other`, as a client's "start a chat" makes one."""
        response = await self.client.room_create(is_direct=True, invite=[other],
                                                 preset=RoomPreset.trusted_private_chat)
        assert isinstance(response, RoomCreateResponse), response
        return str(response.room_id)

    async def join(self, room_id: str) -> None:
        response = await self.client.join(room_id)
        assert isinstance(response, JoinResponse), response

    async def state(self, room_id: str, event_type: str, state_key: str = "") -> dict[str, Any]:
        response = await self.client.room_get_state_event(room_id, event_type, state_key)
        assert isinstance(response, RoomGetStateEventResponse), response
        return dict(response.content)
