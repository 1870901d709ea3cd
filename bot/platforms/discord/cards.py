"""Action cards posted in committee channels, redrawn in place when answers change.

Where each action's public card was posted is kept in the database, with a digest of what it
shows, so a card posted before a restart is still redrawn after it, and only when it would
look different. A card addressed to one person (a reminder, an answer to a click) shows what
only they may see and is left as sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

import discord

from bot.platforms.discord.events import ScheduledEvents
from bot.platforms.discord.render import Message, Renderer
from bot.platforms.discord.users import NAME
from commands.actions.card import public_card
from commands.notify import committee_locale
from commands.services import Services

log = logging.getLogger(__name__)

# Cards kept per action: the channel post, and a few re-posts at most.
KEEP = 5


class Cards:
    def __init__(
        self,
        client: discord.Client,
        services: Services,
        renderer: Renderer,
        events: ScheduledEvents | None,
    ) -> None:
        self.client = client
        self.services = services
        self.renderer = renderer
        self.events = events

    async def posted(self, drawn: Message, channel_id: int, message_id: int) -> None:
        assert drawn.card is not None
        action_id = drawn.card.action_id
        shown = await self._shown(action_id)
        first = not shown.places
        shown.places = [*shown.places, (channel_id, message_id)][-KEEP:]
        shown.digest = digest(drawn)
        await self._keep(action_id, shown)
        if first and self.events is not None:
            await self.events.sync(action_id, channel_id)

    async def refresh(self, action_id: int) -> None:
        """Redraw the action's public cards if they changed; never raises."""
        shown = await self._shown(action_id)
        if not shown.places:
            return
        try:
            await self._redraw(action_id, shown)
        except Exception:
            log.exception("redrawing the cards of action %d failed", action_id)
        if self.events is not None:
            await self.events.sync(action_id, shown.places[0][0])

    async def _redraw(self, action_id: int, shown: Shown) -> None:
        reply = await public_card(self.services, action_id)
        action = await self.services.repos.actions.get(action_id)
        if reply is None or action is None:
            return
        committee = await self.services.repos.committees.get(action.committee_id)
        if committee is None:
            return
        drawn = (await self.renderer.messages(reply, committee_locale(self.services,
                                                                      committee)))[-1]
        if digest(drawn) == shown.digest:
            return  # nothing a reader would see has changed (`action info`, a report...)
        kept: list[tuple[int, int]] = []
        for channel_id, message_id in shown.places:
            message = self.client.get_partial_messageable(channel_id).get_partial_message(
                message_id)
            try:
                await message.edit(embeds=drawn.embeds, view=drawn.view(),
                                   allowed_mentions=discord.AllowedMentions.none())
            except discord.NotFound:
                continue  # deleted by someone: forget it
            except discord.HTTPException:
                log.warning("card of action %d in %d not redrawn", action_id, channel_id,
                            exc_info=True)
            kept.append((channel_id, message_id))
        await self._keep(action_id, Shown(kept, digest(drawn)))

    async def _shown(self, action_id: int) -> Shown:
        stored = await self.services.repos.platform_state.get(NAME, _key(action_id))
        if stored is None:
            return Shown([], "")
        data = json.loads(stored)
        return Shown([(int(c), int(m)) for c, m in data["places"]], data["digest"])

    async def _keep(self, action_id: int, shown: Shown) -> None:
        await self.services.repos.platform_state.set(NAME, _key(action_id), json.dumps({
            "places": [[str(c), str(m)] for c, m in shown.places], "digest": shown.digest}))


@dataclass
class Shown:
    """Where an action's public card is, and a digest of what it shows."""

    places: list[tuple[int, int]]
    digest: str


def digest(drawn: Message) -> str:
    what = {"embeds": [embed.to_dict() for embed in drawn.embeds],
            "buttons": [button.custom_id for button in drawn.buttons]}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


def _key(action_id: int) -> str:
    return f"card:{action_id}"
