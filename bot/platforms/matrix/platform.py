"""The Matrix platform as the application runs it: connect, listen, stop.

    matrix = MatrixPlatform(config.matrix, services, dispatcher)
    await matrix.start()              # logged in, the space open, the port ready
    services.ports["matrix"] = matrix.port
    matrix.listen()                   # commands from now on
    ...
    await matrix.stop()               # the sync batch in hand finished, the outbox emptied
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from nio import AsyncClient, AsyncClientConfig, JoinResponse

from bot.config import MatrixConfig
from bot.platforms.matrix.api import MatrixError, call
from bot.platforms.matrix.cards import Cards
from bot.platforms.matrix.client import SyncLoop, close, log_in
from bot.platforms.matrix.commands import MatrixCommands
from bot.platforms.matrix.messages import Messenger
from bot.platforms.matrix.outbox import Outbox
from bot.platforms.matrix.port import MatrixPort
from bot.platforms.matrix.render import NAME
from bot.platforms.matrix.rooms import Rooms
from bot.platforms.matrix.state import MatrixState
from commands.dispatch import Dispatcher
from commands.services import Services

log = logging.getLogger(__name__)

# How long a stop waits for queued messages to go out.
DRAIN_TIMEOUT = 15.0


class MatrixPlatform:
    def __init__(self, config: MatrixConfig, services: Services, dispatcher: Dispatcher) -> None:
        self.config = config
        self._services = services
        self.client = AsyncClient(
            config.homeserver,
            config.user_id,
            # Rate limits are waited out by `api.call` and the outbox, not inside nio.
            config=AsyncClientConfig(max_limit_exceeded=0, encryption_enabled=False,
                                     store_sync_tokens=False),
        )
        self.state = MatrixState(services.repos.platform_state, config.user_id)
        self.outbox = Outbox(self.client)
        self.rooms = Rooms(self.client, config, self.state, self._is_committee_room)
        self.messenger = Messenger(self.client, self.outbox, self.state, config.command_prefix)
        self.port = MatrixPort(self.client, config, self.rooms, self.messenger)
        self.cards = Cards(services, self.state, self.messenger)
        self.commands = MatrixCommands(dispatcher, self.client, config, self.state, self.rooms,
                                       self.messenger, self.cards)
        self._sync = SyncLoop(self.client, self.state, self.rooms, self.commands)
        self._listening: asyncio.Task[None] | None = None
        self._log_out = False

    async def start(self) -> None:
        try:
            self._log_out = await log_in(self.client, self.config)
            self.outbox.start()
            await self.rooms.open_space()
            await self._join_staff_room()
            await self._sync.resume()
        except BaseException:
            await self._close()
            raise
        log.info("Matrix: %s on %s, space %s", self.config.user_id, self.config.homeserver,
                 self.rooms.space_id)

    def listen(self) -> None:
        if self._listening is None:
            self._listening = asyncio.create_task(self._sync.run(), name="matrix-sync")

    async def stop(self) -> None:
        await self._sync.stop()
        if self._listening is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
            self._listening = None
        await self.outbox.drain(DRAIN_TIMEOUT)
        await self._close()

    async def _close(self) -> None:
        await self.outbox.stop()
        await close(self.client, self._log_out)

    async def _join_staff_room(self) -> None:
        room_id = self.config.staff_room_id
        if room_id is None:
            return
        try:
            await call(f"join the staff room {room_id}", lambda: self.client.join(room_id),
                       JoinResponse)
        except MatrixError as error:
            # Digests would be lost: say it loudly, but the rest of the bot works.
            log.error("the bot cannot join the staff room (invite it there): %s", error)

    async def _is_committee_room(self, room_id: str) -> bool:
        return await self._services.repos.committees.by_space(NAME, room_id) is not None
