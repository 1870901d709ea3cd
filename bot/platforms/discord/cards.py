"""Action cards posted in committee channels, redrawn in place when answers change.

Where each action's public card was posted is kept in the database, so a card posted before
a restart is still redrawn after it. A card addressed to one person (a reminder, an answer
to a click) shows what only they may see and is left as sent.
"""

from __future__ import annotations

import json
import logging

import discord

from bot.platforms.discord.events import ScheduledEvents
from bot.platforms.discord.render import Renderer
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

    async def posted(self, action_id: int, channel_id: int, message_id: int) -> None:
        places = await self._places(action_id)
        first = not places
        places = [*places, (channel_id, message_id)][-KEEP:]
        await self._keep(action_id, places)
        if first and self.events is not None:
            await self.events.sync(action_id, channel_id)

    async def refresh(self, action_id: int) -> None:
        """Redraw every public card of the action from the database; never raises."""
        places = await self._places(action_id)
        if not places:
            return
        try:
            await self._redraw(action_id, places)
        except Exception:
            log.exception("redrawing the cards of action %d failed", action_id)
        if self.events is not None:
            await self.events.sync(action_id, places[0][0])

    async def _redraw(self, action_id: int, places: list[tuple[int, int]]) -> None:
        reply = await public_card(self.services, action_id)
        action = await self.services.repos.actions.get(action_id)
        if reply is None or action is None:
            return
        committee = await self.services.repos.committees.get(action.committee_id)
        if committee is None:
            return
        drawn = (await self.renderer.messages(reply, committee_locale(self.services,
                                                                      committee)))[-1]
        kept: list[tuple[int, int]] = []
        for channel_id, message_id in places:
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
        if kept != places:
            await self._keep(action_id, kept)

    async def _places(self, action_id: int) -> list[tuple[int, int]]:
        stored = await self.services.repos.platform_state.get(NAME, _key(action_id))
        if stored is None:
            return []
        return [(int(channel), int(message)) for channel, message in json.loads(stored)]

    async def _keep(self, action_id: int, places: list[tuple[int, int]]) -> None:
        await self.services.repos.platform_state.set(
            NAME, _key(action_id), json.dumps([[str(c), str(m)] for c, m in places]))


def _key(action_id: int) -> str:
    return f"card:{action_id}"
