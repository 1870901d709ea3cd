"""The rooms the bot keeps: the organisation's space, and one direct room per person.

A direct room is created the first time the bot has something private to say to someone,
and reused after that (it is remembered in the database); a room someone opens with the bot
becomes their direct room if they have none. When the person leaves it, it is forgotten and
the next private message opens a new one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from nio import (
    AsyncClient,
    JoinedMembersResponse,
    JoinResponse,
    RoomCreateResponse,
    RoomLeaveResponse,
    RoomPreset,
)

from bot.config import MatrixConfig
from bot.platforms.matrix.api import MatrixError, call
from bot.platforms.matrix.state import MatrixState

log = logging.getLogger(__name__)

IsCommitteeRoom = Callable[[str], Awaitable[bool]]


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1]


class Rooms:
    def __init__(
        self,
        client: AsyncClient,
        config: MatrixConfig,
        state: MatrixState,
        is_committee_room: IsCommitteeRoom,
    ) -> None:
        self._client = client
        self._config = config
        self._state = state
        self._is_committee_room = is_committee_room
        self._space_id: str | None = None
        self._joined: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def server(self) -> str:
        return server_of(self._config.user_id)

    # The organisation's space.

    async def open_space(self) -> str:
        """The space from the config (joined if need be), or the one the bot made, or a new one."""
        space_id = self._config.space_id or await self._state.space_id()
        if space_id is not None:
            await call(f"join space {space_id}", lambda: self._client.join(space_id),
                       JoinResponse)
        else:
            created = await call("create the space", lambda: self._client.room_create(
                name=self._config.space_name, space=True, preset=RoomPreset.private_chat,
            ), RoomCreateResponse)
            space_id = str(created.room_id)
            await self._state.set_space_id(space_id)
            log.info("created the organisation's space %s", space_id)
        self._space_id = space_id
        return space_id

    @property
    def space_id(self) -> str:
        assert self._space_id is not None, "open_space() first"
        return self._space_id

    # Direct rooms.

    async def direct_room(self, user_id: str) -> str | None:
        """The person's direct room with the bot, opened now if there is none; None if the
        person cannot be invited (no such account, the server refuses)."""
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            room_id = await self._state.direct_room(user_id)
            if room_id is not None:
                return room_id
            try:
                created = await call(f"open a direct room with {user_id}",
                                     lambda: self._client.room_create(
                                         is_direct=True, invite=[user_id],
                                         preset=RoomPreset.trusted_private_chat,
                                     ), RoomCreateResponse)
            except MatrixError as error:
                log.warning("cannot reach %s privately: %s", user_id, error)
                return None
            room_id = str(created.room_id)
            await self._state.set_direct_room(user_id, room_id)
            self._joined[room_id] = 1
            return room_id

    async def offered_direct_room(self, room_id: str, user_id: str) -> None:
        """Someone opened a direct room with the bot: theirs, unless they already have one."""
        if await self._state.direct_room(user_id) is None:
            await self._state.set_direct_room(user_id, room_id)

    async def member_left(self, room_id: str, user_id: str) -> None:
        self._joined.pop(room_id, None)
        if await self._state.direct_room(user_id) == room_id:
            await self._state.set_direct_room(user_id, None)
            # Nobody is left to read it: leave rather than talk to an empty room.
            response = await self._client.room_leave(room_id)
            if not isinstance(response, RoomLeaveResponse):
                log.info("could not leave %s: %s", room_id, response)

    def members_changed(self, room_id: str) -> None:
        self._joined.pop(room_id, None)

    async def is_direct(self, room_id: str) -> bool:
        """Only the bot and one person, and not a room the bot keeps for something else."""
        if room_id in (self._space_id, self._config.staff_room_id):
            return False
        if await self._joined_count(room_id) != 2:
            return False
        return not await self._is_committee_room(room_id)

    async def _joined_count(self, room_id: str) -> int:
        if room_id not in self._joined:
            response = await self._client.joined_members(room_id)
            if not isinstance(response, JoinedMembersResponse):
                log.info("cannot count the members of %s: %s", room_id, response)
                return 0
            self._joined[room_id] = len(response.members)
        return self._joined[room_id]
