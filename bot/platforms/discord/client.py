"""The discord.py client: one per process, whatever the number of servers it serves."""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands

from bot.platforms.discord import permissions
from bot.platforms.discord.buttons import CommandButton

# Seconds discord.py waits for more servers before it calls itself ready.
GUILD_READY_TIMEOUT = 2.0


class Handlers(Protocol):
    async def prepare(self, client: ComitesClient) -> None:
        """Once logged in, before the gateway: the command tree and its sync."""
        ...

    async def button(self, interaction: discord.Interaction, custom_id: str) -> None: ...

    async def form(self, interaction: discord.Interaction) -> None: ...

    async def failed(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None: ...


class ComitesClient(discord.Client):
    def __init__(self, handlers: Handlers, *, application_id: int | None) -> None:
        # Unset, discord.py learns it at login.
        known: dict[str, Any] = {} if application_id is None else {
            "application_id": application_id}
        super().__init__(
            **known,
            intents=permissions.INTENTS,
            # The default for every message; the few that ping say so themselves.
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=GUILD_READY_TIMEOUT,
            max_messages=None,
            chunk_guilds_at_startup=False,
        )
        self.handlers = handlers
        self.tree: app_commands.CommandTree[ComitesClient] = app_commands.CommandTree(self)
        self.tree.error(self.handlers.failed)

    async def setup_hook(self) -> None:
        # Every button of ours, on any message, whenever it was sent.
        self.add_dynamic_items(CommandButton)
        await self.handlers.prepare(self)

    async def on_command_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        await self.handlers.button(interaction, custom_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        # Forms are read from the submission itself, so they outlive a restart.
        if interaction.type is discord.InteractionType.modal_submit:
            await self.handlers.form(interaction)
