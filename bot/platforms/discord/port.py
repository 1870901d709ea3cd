"""The `commands.ports.Platform` port on Discord: what handlers may ask of the platform."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord

from bot.config import DiscordConfig
from bot.platforms.discord import permissions
from bot.platforms.discord.cards import Cards
from bot.platforms.discord.render import Renderer
from bot.platforms.discord.spaces import Spaces
from bot.platforms.discord.users import NAME, parse_user
from commands.errors import PlatformError
from commands.i18n import Renderable, _
from commands.ports import Outgoing
from commands.reply import Reply
from commands.services import Services
from storage.committees import Committee
from storage.users import User

log = logging.getLogger(__name__)

T = TypeVar("T")


class DiscordPort:
    name = NAME

    def __init__(
        self,
        client: discord.Client,
        config: DiscordConfig,
        services: Services,
        renderer: Renderer,
        cards: Cards,
    ) -> None:
        self.client = client
        self.config = config
        self.services = services
        self.renderer = renderer
        self.cards = cards
        self.spaces = Spaces(client, config, self._warn_staff)

    def parse_user(self, token: str) -> str | None:
        return parse_user(token)

    # Committee channels. A refusal from Discord stops the command with a clear sentence.

    async def create_space(self, committee: Committee, founder: User) -> str:
        channel_id = await _refused(self.spaces.create(committee, _discord_id(founder)))
        return str(channel_id)

    async def update_space(self, space_id: str, committee: Committee) -> None:
        await _refused(self.spaces.update(int(space_id), committee))

    async def archive_space(self, space_id: str) -> None:
        await _refused(self.spaces.archive(int(space_id)))

    async def add_member(self, space_id: str, user: User) -> None:
        if user.platform == NAME:
            await _refused(self.spaces.set_member(int(space_id), _discord_id(user),
                                                  permissions.MEMBER))

    async def remove_member(self, space_id: str, user: User) -> None:
        if user.platform == NAME:
            await _refused(self.spaces.set_member(int(space_id), _discord_id(user), None))

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        if user.platform == NAME:
            overwrite = permissions.LEAD if lead else permissions.MEMBER
            await _refused(self.spaces.set_member(int(space_id), _discord_id(user), overwrite))

    # Messages. A message that cannot be delivered is logged: the command itself is done.

    async def post(self, space_id: str, message: Outgoing) -> None:
        await self.send_to(int(space_id), message.reply, message.locale, message.ping)

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        if user.platform != NAME:
            return False
        try:
            channel = await self.client.create_dm(discord.Object(_discord_id(user)))
            for part in await self.renderer.messages(message.reply, message.locale):
                await channel.send(**part.send_kwargs())
        except discord.HTTPException as error:
            # 50007: the person does not accept direct messages from the server's members.
            log.info("no direct message to %s (%s)", user.platform_user_id, error.code)
            return False
        return True

    async def post_staff(self, message: Outgoing) -> None:
        if self.config.staff_channel_id is None:
            log.warning("a message for staff is dropped: [discord] staff_channel_id is not set")
            return
        await self.send_to(self.config.staff_channel_id, message.reply, message.locale)

    async def send_to(
        self, channel_id: int, reply: Reply, locale: str, ping: tuple[User, ...] = ()
    ) -> None:
        channel = self.client.get_partial_messageable(channel_id)
        try:
            for part in await self.renderer.messages(reply, locale, ping):
                sent = await channel.send(**part.send_kwargs())
                # A card for everyone in the space (not one addressed to the people pinged).
                if part.card is not None and not part.pinged:
                    await self.cards.posted(part, channel_id, sent.id)
        except discord.HTTPException:
            log.warning("message to channel %d not delivered", channel_id, exc_info=True)

    async def _warn_staff(self, text: Renderable) -> None:
        await self.post_staff(Outgoing(Reply(text), self.services.settings.organisation.locale))


def _discord_id(user: User) -> int:
    if user.platform != NAME:
        raise PlatformError(_("This can only be done for someone on Discord."))
    return int(user.platform_user_id)


async def _refused(work: Awaitable[T]) -> T:
    try:
        return await work
    except discord.Forbidden as error:
        log.warning("Discord refused: %s", error)
        raise PlatformError(_(
            "Discord refused: the bot is missing a permission on this server. Ask an"
            " administrator to check the bot's role (see the README).")) from error
    except discord.HTTPException as error:
        log.warning("Discord failed: %s", error)
        raise PlatformError(_("Discord did not answer as expected; try again in a"
                              " moment.")) from error
