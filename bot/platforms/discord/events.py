"""Optionally (`[discord] scheduled_events`), each action is also a native Discord event,
kept in step when the action changes and cancelled with it.

The event shows what the card shows to everyone (title, time, place), never the details kept
for those going.
"""

from __future__ import annotations

import logging

import discord

from bot.platforms.discord.users import NAME
from commands.actions.kinds import kind_label
from commands.i18n import RenderContext, render
from commands.notify import committee_locale
from commands.services import Services
from storage.actions import Action, ActionStatus
from storage.committees import Committee

log = logging.getLogger(__name__)

NAME_LIMIT = 100
LOCATION_LIMIT = 100
DESCRIPTION_LIMIT = 1000
CANCELLED = 4  # the API's status code for a cancelled event


class ScheduledEvents:
    def __init__(self, client: discord.Client, services: Services) -> None:
        self.client = client
        self.services = services

    async def sync(self, action_id: int, channel_id: int) -> None:
        """Create, update or cancel the action's event; a failure is logged, never raised."""
        try:
            await self._sync(action_id, channel_id)
        except discord.HTTPException:
            log.warning("scheduled event of action %d: Discord refused", action_id,
                        exc_info=True)

    async def _sync(self, action_id: int, channel_id: int) -> None:
        repos = self.services.repos
        action = await repos.actions.get(action_id)
        if action is None:
            return
        committee = await repos.committees.get(action.committee_id)
        if committee is None:
            return
        key = f"event:{action_id}"
        known = await repos.platform_state.get(NAME, key)
        started = action.starts_at <= self.services.clock.now()
        name, location, description = self._shown(action, committee)
        if known is not None:
            guild_id, event_id = (int(part) for part in known.split(":"))
            http = self.client.http
            if action.status is ActionStatus.CANCELLED:
                await http.edit_scheduled_event(guild_id, event_id, status=CANCELLED)
            elif not started:  # once started, Discord runs the event's life
                await http.edit_scheduled_event(
                    guild_id, event_id, name=name, description=description,
                    scheduled_start_time=action.starts_at.isoformat(),
                    scheduled_end_time=action.ends_at.isoformat(),
                    entity_metadata={"location": location})
            return
        if action.status is ActionStatus.CANCELLED or started:
            return
        guild = await self._guild_of(channel_id)
        if guild is None:
            return
        event = await guild.create_scheduled_event(
            name=name,
            start_time=action.starts_at,
            end_time=action.ends_at,
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location=location,
            description=description,
            reason=f"action {action.id}",
        )
        await repos.platform_state.set(NAME, key, f"{guild.id}:{event.id}")

    def _shown(self, action: Action, committee: Committee) -> tuple[str, str, str]:
        """Name, place and description: what everyone may see of the action."""
        ctx = RenderContext(committee_locale(self.services, committee))
        name = f"{render(kind_label(action.kind), ctx)} · {action.title}"
        return (name[:NAME_LIMIT], (action.location or committee.name)[:LOCATION_LIMIT],
                f"{committee.name} · {committee.place}"[:DESCRIPTION_LIMIT])

    async def _guild_of(self, channel_id: int) -> discord.Guild | None:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.HTTPException:
                return None
        return getattr(channel, "guild", None)
