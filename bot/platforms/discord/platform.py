"""The Discord platform: its client, its port, and its life in the process."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord import app_commands

from bot.config import DiscordConfig
from bot.platforms.discord.buttons import CustomIds
from bot.platforms.discord.cards import Cards
from bot.platforms.discord.client import ComitesClient
from bot.platforms.discord.events import ScheduledEvents
from bot.platforms.discord.interactions import GRACE, Interactions
from bot.platforms.discord.port import DiscordPort
from bot.platforms.discord.render import Renderer
from bot.platforms.discord.suggest import Suggestions
from bot.platforms.discord.sync import sync_commands
from bot.platforms.discord.translator import SpecTranslator
from bot.platforms.discord.tree import build_commands
from commands.dispatch import Dispatcher
from commands.services import Services

log = logging.getLogger(__name__)

# How long `start` waits for the gateway before carrying on without it.
READY_TIMEOUT = 60.0
# How long `stop` lets the interactions under way finish.
FINISH_TIMEOUT = 10.0


class DiscordPlatform:
    def __init__(
        self,
        config: DiscordConfig,
        services: Services,
        dispatcher: Dispatcher,
        *,
        grace: float = GRACE,
    ) -> None:
        self.config = config
        self.services = services
        self.client = ComitesClient(self, application_id=config.application_id)
        custom_ids = CustomIds(services.repos.platform_state)
        renderer = Renderer(custom_ids)
        events = ScheduledEvents(self.client, services) if config.scheduled_events else None
        cards = Cards(self.client, services, renderer, events)
        self.port = DiscordPort(self.client, config, services, renderer, cards)
        self.interactions = Interactions(
            client=self.client, config=config, services=services, dispatcher=dispatcher,
            renderer=renderer, custom_ids=custom_ids, cards=cards, grace=grace,
        )
        self.suggestions = Suggestions(services)
        self.force_sync = False
        # Scopes whose commands were synced at the last login ("global", "guild:<id>").
        self.synced: list[str] = []
        self._connection: asyncio.Task[None] | None = None

    async def start(self, token: str | None = None) -> None:
        """Log in, sync the commands if they changed, connect, and wait until ready."""
        await self.client.login(token or self.config.token())
        self._connection = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _pending = await asyncio.wait({ready, self._connection}, timeout=READY_TIMEOUT,
                                            return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
        if self._connection in done:
            self._connection.result()  # the error that ended the connection
        elif ready not in done:
            log.warning("Discord is not ready after %.0f s; carrying on", READY_TIMEOUT)

    async def wait(self) -> None:
        """Until the connection to Discord ends for good."""
        if self._connection is not None:
            await self._connection

    async def stop(self) -> None:
        await self.interactions.finish(FINISH_TIMEOUT)
        await self.client.close()
        if self._connection is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connection
            self._connection = None

    async def sync(self, token: str | None = None) -> list[str]:
        """Log in, sync every scope whatever the hashes say, log out (`comites discord sync`)."""
        self.force_sync = True
        try:
            await self.client.login(token or self.config.token())
        finally:
            await self.client.close()
        return self.synced

    # What the client asks of the platform (`client.Handlers`).

    async def prepare(self, client: ComitesClient) -> None:
        tree = client.tree
        await tree.set_translator(SpecTranslator())
        guilds = [discord.Object(guild_id) for guild_id in self.config.guild_ids]
        suggest = {"committee": self.suggestions.committees,
                   "action": self.suggestions.actions}
        for command in build_commands(
            self.services.registry, base_locale=self.services.settings.organisation.locale,
            run=self.interactions.slash, suggest=suggest,
        ):
            tree.add_command(command, guilds=guilds or discord.utils.MISSING)
        assert client.application_id is not None
        try:
            self.synced = await sync_commands(
                tree, self.services.repos.platform_state, application_id=client.application_id,
                guild_ids=self.config.guild_ids, force=self.force_sync)
        except discord.HTTPException:
            if self.force_sync:
                raise
            # The commands already on Discord keep working; the next start tries again.
            log.exception("syncing the commands with Discord failed")

    async def button(self, interaction: discord.Interaction, custom_id: str) -> None:
        await self.interactions.button(interaction, custom_id)

    async def form(self, interaction: discord.Interaction) -> None:
        await self.interactions.form(interaction)

    async def failed(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.interactions.failed(interaction, error)
