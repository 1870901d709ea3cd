"""What the Matrix platform remembers across restarts, in the `platform_state` table.

The sync token (so a restart never replays a command), the organisation's space when the
bot created it, each person's direct room, the commands already handled (so a crash between
handling a command and saving the token does not run it twice) and the action cards posted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.platform_state import PlatformStateRepository

PLATFORM = "matrix"
# Enough to cover one sync batch replayed after a crash.
HANDLED_KEPT = 200
CARDS_KEPT_PER_ACTION = 5


@dataclass(frozen=True)
class CardRef:
    """An action card the bot posted: where, and which action it shows."""

    action_id: int
    room_id: str
    event_id: str


class MatrixState:
    def __init__(self, repo: PlatformStateRepository, account: str) -> None:
        self._repo = repo
        # Sync tokens belong to one account: another account starts afresh.
        self._account = account

    async def _get(self, key: str) -> str | None:
        value = await self._repo.get(PLATFORM, key)
        return value or None  # an empty value is how a key is forgotten

    async def _set(self, key: str, value: str) -> None:
        await self._repo.set(PLATFORM, key, value)

    # Sync.

    async def next_batch(self) -> str | None:
        return await self._get(f"next_batch {self._account}")

    async def set_next_batch(self, token: str) -> None:
        await self._set(f"next_batch {self._account}", token)

    async def was_handled(self, event_id: str) -> bool:
        return event_id in await self._handled()

    async def mark_handled(self, event_id: str) -> None:
        handled = [*await self._handled(), event_id][-HANDLED_KEPT:]
        await self._set(f"handled {self._account}", json.dumps(handled))

    async def _handled(self) -> list[str]:
        raw = await self._get(f"handled {self._account}")
        return list(json.loads(raw)) if raw else []

    # Rooms.

    async def space_id(self) -> str | None:
        return await self._get("space")

    async def set_space_id(self, room_id: str) -> None:
        await self._set("space", room_id)

    async def direct_room(self, user_id: str) -> str | None:
        return await self._get(f"direct {user_id}")

    async def set_direct_room(self, user_id: str, room_id: str | None) -> None:
        await self._set(f"direct {user_id}", room_id or "")

    # Action cards.

    async def remember_card(self, card: CardRef) -> None:
        """A card posted for everyone: reactions to it answer, and it is edited on change."""
        await self._set(f"card {card.event_id}", json.dumps([card.action_id, card.room_id]))
        key = f"cards {card.action_id}"
        known = [event for event in await self._events_of(key) if event != card.event_id]
        await self._set(key, json.dumps([*known, card.event_id][-CARDS_KEPT_PER_ACTION:]))

    async def card(self, event_id: str) -> CardRef | None:
        raw = await self._get(f"card {event_id}")
        if raw is None:
            return None
        action_id, room_id = json.loads(raw)
        return CardRef(int(action_id), str(room_id), event_id)

    async def cards_of(self, action_id: int) -> list[CardRef]:
        found = []
        for event_id in await self._events_of(f"cards {action_id}"):
            card = await self.card(event_id)
            if card is not None:
                found.append(card)
        return found

    async def _events_of(self, key: str) -> list[str]:
        raw = await self._get(key)
        return [str(event) for event in json.loads(raw)] if raw else []
