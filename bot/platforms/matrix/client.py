"""Logging in, and the sync loop: what happens in the bot's rooms, handled once each.

The sync token (`next_batch`) is saved in the database after every sync, and the next start
syncs from it: a restart replays nothing, and a command sent while the bot was down is seen
once. On the very first start the bot skips the history of its rooms. When a room had more
new events than one sync returns (`limited`), the missing ones are fetched, so a burst of
commands sent while the bot was down is not cut short.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial
from typing import Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinResponse,
    LoginResponse,
    MessageDirection,
    ReactionEvent,
    RoomMemberEvent,
    RoomMessageMedia,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
    WhoamiResponse,
)

from bot.config import MATRIX_ACCESS_TOKEN_ENV, MATRIX_PASSWORD_ENV, ConfigError, MatrixConfig
from bot.platforms.matrix.api import MatrixError, call
from bot.platforms.matrix.commands import MatrixCommands
from bot.platforms.matrix.rooms import Rooms
from bot.platforms.matrix.state import MatrixState

log = logging.getLogger(__name__)

DEVICE_NAME = "Comités"
SYNC_TIMEOUT_MS = 30_000
# Events per room in one sync; more are fetched with /messages.
TIMELINE_LIMIT = 50
# A gap longer than this (the bot was down for long, in a busy room) is not fetched whole.
MAX_GAP_EVENTS = 1000
MAX_BACKOFF = 60.0

_QUIET: dict[str, Any] = {"types": []}


def sync_filter(timeline_limit: int) -> dict[str, Any]:
    """Only what the bot reads: room timelines and state, no presence, receipts or typing."""
    return {
        "presence": _QUIET,
        "account_data": _QUIET,
        "room": {
            "timeline": {"limit": timeline_limit},
            "state": {"lazy_load_members": True},
            "ephemeral": _QUIET,
            "account_data": _QUIET,
        },
    }


async def log_in(client: AsyncClient, config: MatrixConfig) -> bool:
    """With the access token or the password from the environment; True for a password
    login, whose device is then the bot's to log out at stop."""
    token = config.access_token()
    if token:
        client.access_token = token
        whoami = await call("check the access token", client.whoami, WhoamiResponse)
        if whoami.user_id != config.user_id:
            raise ConfigError(f"{MATRIX_ACCESS_TOKEN_ENV} is a token of {whoami.user_id}, not"
                              f" of [matrix] user_id {config.user_id}")
        client.restore_login(whoami.user_id, whoami.device_id or "", token)
        return False
    password = config.password()
    if not password:
        raise ConfigError(f"matrix is enabled: set {MATRIX_PASSWORD_ENV} or"
                          f" {MATRIX_ACCESS_TOKEN_ENV} in the environment")
    try:
        await call(f"log in as {config.user_id}",
                   lambda: client.login(password, device_name=DEVICE_NAME), LoginResponse)
    except MatrixError as error:
        raise ConfigError(f"cannot log in to {config.homeserver} as {config.user_id}:"
                          f" {error}") from error
    return True


class SyncLoop:
    def __init__(self, client: AsyncClient, state: MatrixState, rooms: Rooms,
                 commands: MatrixCommands) -> None:
        self._client = client
        self._state = state
        self._rooms = rooms
        self._commands = commands
        self._since: str | None = None
        self._poll: asyncio.Task[Any] | None = None
        self._stopping = False
        self._stopped = asyncio.Event()
        self._last_error: object = None

    @property
    def _me(self) -> str:
        return str(self._client.user_id)

    async def resume(self) -> None:
        """Where the last run stopped; on the very first start, now (history is skipped)."""
        self._since = await self._state.next_batch()
        if self._since is not None:
            return
        response = await self._sync(None, wait_ms=0, timeline_limit=1)
        if response is None:
            raise MatrixError("first sync", self._last_error)
        await self._accept_invites(response)
        await self._state.set_next_batch(response.next_batch)
        self._since = response.next_batch
        log.info("first start on Matrix: earlier messages are not read")

    async def run(self) -> None:
        """Sync until stopped; the batch in hand is always finished and its token saved.

        A batch that fails half-way is synced again from the same token: the commands it
        already ran are marked handled, so they are not run twice.
        """
        failures = 0
        while not self._stopping:
            try:
                response = await self._sync(self._since, wait_ms=SYNC_TIMEOUT_MS,
                                            timeline_limit=TIMELINE_LIMIT)
                if response is not None and not self._stopping:
                    await self.handle(response)
                    failures = 0
                    continue
            except Exception:
                log.exception("Matrix sync failed")
            if self._stopping:
                break
            failures += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(),
                                       min(MAX_BACKOFF, 0.5 * 2 ** failures))

    async def handle(self, response: SyncResponse) -> None:
        since = self._since
        await self._accept_invites(response)
        for room_id, room in response.rooms.join.items():
            events = list(room.timeline.events)
            if room.timeline.limited and since is not None and room.timeline.prev_batch:
                try:
                    events = await self._gap(room_id, room.timeline.prev_batch, since) + events
                except MatrixError as error:
                    log.error("%s: events missed while the bot was away are lost: %s",
                              room_id, error)
            for event in self._since_own_join(events):
                try:
                    await self._event(room_id, event)
                except Exception:
                    log.exception("event %s in %s", getattr(event, "event_id", "?"), room_id)
        await self._state.set_next_batch(response.next_batch)
        self._since = response.next_batch

    async def stop(self) -> None:
        self._stopping = True
        self._stopped.set()
        if self._poll is not None and not self._poll.done():
            self._poll.cancel()

    async def _sync(self, since: str | None, *, wait_ms: int,
                    timeline_limit: int) -> SyncResponse | None:
        self._poll = asyncio.create_task(self._client.sync(
            timeout=wait_ms, since=since, sync_filter=sync_filter(timeline_limit),
        ))
        try:
            response = await self._poll
        except asyncio.CancelledError:
            if self._stopping:
                return None
            raise
        finally:
            self._poll = None
        if isinstance(response, SyncResponse):
            return response
        self._last_error = response
        log.error("Matrix sync failed: %s", response)
        return None

    async def _gap(self, room_id: str, prev_batch: str, since: str) -> list[Any]:
        """The events between the last sync and this one's (limited) timeline, oldest first."""
        found: list[Any] = []
        start: str | None = prev_batch
        while start and len(found) < MAX_GAP_EVENTS:
            response = await call(
                f"read the missed events of {room_id}",
                partial(self._client.room_messages, room_id, start=start, end=since,
                        direction=MessageDirection.back, limit=100),
                RoomMessagesResponse,
            )
            if not response.chunk:
                break
            found.extend(response.chunk)
            start = response.end if response.end != start else None
        if len(found) >= MAX_GAP_EVENTS:
            log.warning("%s: more than %d missed events, the oldest are skipped", room_id,
                        MAX_GAP_EVENTS)
        return list(reversed(found))

    def _since_own_join(self, events: list[Any]) -> list[Any]:
        """A room the bot has just joined comes with its history: none of it is for the bot."""
        for index in range(len(events) - 1, -1, -1):
            event = events[index]
            if (isinstance(event, RoomMemberEvent) and event.state_key == self._me
                    and event.membership == "join" and event.prev_membership != "join"):
                return events[index + 1:]
        return events

    async def _event(self, room_id: str, event: Any) -> None:
        if isinstance(event, RoomMemberEvent):
            self._rooms.members_changed(room_id)
            if event.membership in ("leave", "ban") and event.state_key != self._me:
                await self._rooms.member_left(room_id, event.state_key)
            return
        if event.sender == self._me:
            return
        content = event.source.get("content") or {}
        if isinstance(event, RoomMessageText | RoomMessageMedia):
            if (content.get("m.relates_to") or {}).get("rel_type") == "m.replace":
                return  # an edited command is not run again
            await self._commands.on_message(room_id, event.sender, event.event_id, content)
        elif isinstance(event, ReactionEvent):
            await self._commands.on_reaction(room_id, event.sender, event.event_id,
                                             event.reacts_to, event.key)

    async def _accept_invites(self, response: SyncResponse) -> None:
        for room_id, invite in response.rooms.invite.items():
            inviter, direct = None, False
            for event in invite.invite_state:
                if isinstance(event, InviteMemberEvent) and event.state_key == self._me:
                    inviter = event.sender
                    direct = bool(event.content.get("is_direct"))
            try:
                await call(f"join {room_id}", partial(self._client.join, room_id), JoinResponse)
            except MatrixError as error:
                log.warning("could not accept the invitation to %s: %s", room_id, error)
                continue
            if direct and inviter is not None:
                await self._rooms.offered_direct_room(room_id, inviter)


async def close(client: AsyncClient, log_out: bool) -> None:
    if log_out:
        with contextlib.suppress(Exception):
            await client.logout()
    await client.close()
