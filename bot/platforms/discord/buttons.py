"""Buttons that are commands, and keep working after a restart.

A button's `custom_id` carries its command (`c:action rsvp 42 going`), so any instance of the
bot, restarted or not, knows what a click means; a button that is a form carries the options
to ask for too (`a:attendees,notes;report 12`). Whatever does not fit Discord's 100
characters is stored in the database under a short hash (`h:…`). A form's modal carries its
command the same way (`f:report 12`, or `g:…` hashed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Protocol, cast

import discord

from bot.platforms.discord.users import NAME
from storage.platform_state import PlatformStateRepository

CUSTOM_ID_LIMIT = 100
HASH_LENGTH = 24
COMMAND, FORM, HASHED = "c:", "a:", "h:"
SUBMIT, SUBMIT_HASHED = "f:", "g:"
BUTTON_TEMPLATE = rf"(?s)(?:{COMMAND}.+|{FORM}.+|{HASHED}[0-9a-f]{{{HASH_LENGTH}}})"


@dataclass(frozen=True)
class Clicked:
    """What a button stands for: a command, and the options to ask for first (a form)."""

    command: str
    form: tuple[str, ...] = ()


class CustomIds:
    """Commands written into custom ids, or stored under a hash when they do not fit."""

    def __init__(self, state: PlatformStateRepository) -> None:
        self.state = state

    async def button(self, command: str, form: tuple[str, ...] = ()) -> str:
        payload = f"{FORM}{','.join(form)};{command}" if form else COMMAND + command
        return await self._fit(payload, HASHED)

    async def submit(self, command: str) -> str:
        """The custom id of the modal that completes `command`."""
        return await self._fit(SUBMIT + command, SUBMIT_HASHED)

    async def clicked(self, custom_id: str) -> Clicked | None:
        """What a button's custom id stands for; None when it is not one of ours (any more)."""
        payload = await self._unfold(custom_id, HASHED)
        if payload is not None and payload.startswith(COMMAND):
            return Clicked(payload[len(COMMAND):])
        if payload is not None and payload.startswith(FORM):
            fields, _semicolon, command = payload[len(FORM):].partition(";")
            return Clicked(command, tuple(name for name in fields.split(",") if name))
        return None

    async def submitted(self, custom_id: str) -> str | None:
        """The command a modal's custom id carries."""
        payload = await self._unfold(custom_id, SUBMIT_HASHED)
        if payload is not None and payload.startswith(SUBMIT):
            return payload[len(SUBMIT):]
        return None

    async def _fit(self, payload: str, hashed: str) -> str:
        if len(payload) <= CUSTOM_ID_LIMIT:
            return payload
        digest = hashlib.sha256(payload.encode()).hexdigest()[:HASH_LENGTH]
        await self.state.set(NAME, _key(digest), payload)
        return hashed + digest

    async def _unfold(self, custom_id: str, hashed: str) -> str | None:
        if custom_id.startswith(hashed):
            return await self.state.get(NAME, _key(custom_id[len(hashed):]))
        return custom_id


def _key(digest: str) -> str:
    return f"custom_id:{digest}"


class ButtonHandler(Protocol):
    async def on_command_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        ...


class CommandButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=BUTTON_TEMPLATE
):
    """Any button of ours, on any message the bot ever sent: its custom id is its command."""

    def __init__(self, button: discord.ui.Button[discord.ui.View]) -> None:
        super().__init__(button)

    @classmethod
    def make(cls, custom_id: str, label: str, style: discord.ButtonStyle) -> CommandButton:
        return cls(discord.ui.Button(label=label, style=style, custom_id=custom_id))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> CommandButton:
        return cls(cast("discord.ui.Button[discord.ui.View]", item))

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = cast(ButtonHandler, interaction.client)
        await handler.on_command_button(interaction, self.custom_id)
