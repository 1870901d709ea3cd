"""Turning replies into messages in a room, through the outbox.

An action card posted for everyone gets the three RSVP reactions under it and is remembered,
so that a reaction to it answers and the card can be edited when the answers change.
"""

from __future__ import annotations

import hashlib
import json
import logging

from nio import AsyncClient

from bot.platforms.matrix import media, render
from bot.platforms.matrix.outbox import Envelope, OnSent, Outbox
from bot.platforms.matrix.state import CardRef, MatrixState
from commands.ports import Outgoing
from commands.reply import Attachment, Reply

log = logging.getLogger(__name__)


class Messenger:
    def __init__(self, client: AsyncClient, outbox: Outbox, state: MatrixState,
                 prefix: str) -> None:
        self._client = client
        self._outbox = outbox
        self._state = state
        self.prefix = prefix
        # What each card shows now, so an edit that changes nothing is not sent.
        self._shown: dict[str, str] = {}

    def send(self, room_id: str, message: Outgoing, *, public: bool) -> None:
        """Queue a reply for a room; `public` cards get reactions and are kept up to date."""
        reply = message.reply
        action_id = render.card_action(reply) if public else None
        rendered = render.render_reply(reply, message.locale, self.prefix,
                                       reactions=action_id is not None)
        content = rendered.content(tuple(user.platform_user_id for user in message.ping
                                         if user.platform == render.NAME))
        on_sent = None if action_id is None else self._on_card_sent(room_id, action_id, content)
        self._outbox.send(Envelope(room_id, "m.room.message", content, on_sent=on_sent))
        if reply.file is not None:
            self.send_file(room_id, reply.file)

    def send_file(self, room_id: str, attachment: Attachment) -> None:
        async def prepare() -> dict[str, object]:
            return media.file_content(attachment, await media.upload(self._client, attachment))

        self._outbox.send(Envelope(room_id, "m.room.message", prepare=prepare))

    def edit_card(self, card: CardRef, reply: Reply, locale: str) -> None:
        rendered = render.render_reply(reply, locale, self.prefix,
                                       reactions=render.card_action(reply) is not None)
        content = rendered.content()
        digest = _digest(content)
        if self._shown.get(card.event_id) == digest:
            return
        self._shown[card.event_id] = digest
        self._outbox.send(Envelope(card.room_id, "m.room.message",
                                   render.edit_content(card.event_id, content)))

    def _on_card_sent(self, room_id: str, action_id: int,
                      content: dict[str, object]) -> OnSent:
        digest = _digest(content)

        async def remember(event_id: str) -> None:
            self._shown[event_id] = digest
            await self._state.remember_card(CardRef(action_id, room_id, event_id))
            for _answer, key in render.RSVP_REACTIONS:
                self._outbox.send(Envelope(room_id, "m.reaction",
                                           render.reaction_content(event_id, key)))

        return remember


def _digest(content: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
