"""Every message the bot sends goes through one queue, in order, at the pace the server sets.

A refusal for rate limiting (`M_LIMIT_EXCEEDED`) is waited out for exactly the
`retry_after_ms` the server asks, and the same message is tried again: none is lost and the
order is kept. Each message has its own transaction id, so a retry after a timeout the
server had in fact handled is not posted twice. A message the server refuses for good (the
room is gone, the bot was kicked) is logged and dropped, and the queue goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from nio import AsyncClient, RoomSendResponse

from bot.platforms.matrix.api import MatrixError, is_rate_limited, retry_after

log = logging.getLogger(__name__)

# Server errors and network failures are tried again this many times, waiting longer each time.
MAX_FAILURES = 5
FIRST_BACKOFF = 0.5

Prepare = Callable[[], Awaitable[dict[str, Any]]]
OnSent = Callable[[str], Awaitable[None]]


@dataclass
class Envelope:
    room_id: str
    event_type: str
    # The content, or how to make it just before sending (an upload to the media repository).
    content: dict[str, Any] | None = None
    prepare: Prepare | None = None
    # Told the event id once the message is in the room (to react to it, to remember it).
    on_sent: OnSent | None = None
    txn_id: str = field(default_factory=lambda: uuid.uuid4().hex)


class Outbox:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._queue: asyncio.Queue[Envelope] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        # What happened, for logs and tests: waits imposed by the server, messages dropped.
        self.rate_limited = 0
        self.sent = 0
        self.dropped = 0

    def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="matrix-outbox")

    def send(self, envelope: Envelope) -> None:
        """Queue a message; it never waits for the server, so a command is never held up."""
        self._queue.put_nowait(envelope)

    async def drain(self, within: float) -> bool:
        """Wait until everything queued is sent (or given up); False after `within` s."""
        try:
            await asyncio.wait_for(self._queue.join(), within)
        except TimeoutError:
            log.warning("stopping with %d Matrix messages unsent", self._queue.qsize())
            return False
        return True

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    async def _run(self) -> None:
        while True:
            envelope = await self._queue.get()
            try:
                await self._deliver(envelope)
            except Exception:
                self.dropped += 1
                log.exception("could not send a message to %s", envelope.room_id)
            finally:
                self._queue.task_done()

    async def _deliver(self, envelope: Envelope) -> None:
        if envelope.content is None and envelope.prepare is not None:
            envelope.content = await envelope.prepare()
        assert envelope.content is not None
        failures = 0
        while True:
            try:
                response: object = await self._client.room_send(
                    envelope.room_id, envelope.event_type, envelope.content,
                    tx_id=envelope.txn_id,
                )
            except (TimeoutError, OSError) as error:  # aiohttp's connection errors are OSErrors
                response = error
            if isinstance(response, RoomSendResponse):
                self.sent += 1
                await self._sent(envelope, response.event_id)
                return
            if is_rate_limited(response):
                self.rate_limited += 1
                await asyncio.sleep(retry_after(response))
                continue
            failures += 1
            permanent = not isinstance(response, Exception) and not MatrixError(
                "send", response).transient
            if permanent or failures >= MAX_FAILURES:
                self.dropped += 1
                log.error("message to %s dropped: %s", envelope.room_id, response)
                return
            await asyncio.sleep(FIRST_BACKOFF * 2 ** (failures - 1))

    async def _sent(self, envelope: Envelope, event_id: str) -> None:
        if envelope.on_sent is None:
            return
        try:
            await envelope.on_sent(event_id)
        except Exception:
            log.exception("after sending %s to %s", event_id, envelope.room_id)
