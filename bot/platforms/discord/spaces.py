"""Committee channels: created in a category, opened to members, archived read-only.

Discord caps a category at 50 channels and a server at 500 (categories included). A full
category gets a sibling ("Comités 2"); a full server refuses new committee channels with a
clear message, and staff hear about it, first as the limit nears, then when it is reached.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar

import discord

from bot.config import DiscordConfig
from bot.platforms.discord import permissions
from commands.errors import PlatformError
from commands.i18n import Number, Renderable, _
from storage.committees import Committee

log = logging.getLogger(__name__)

GUILD_CHANNELS = 500
CATEGORY_CHANNELS = 50
# Staff are warned once this few channels are left.
WARN_WHEN_LEFT = 25
TOPIC_LIMIT = 1024

# The server a command came from: a committee created there gets its channel there.
COMMAND_GUILD: ContextVar[int | None] = ContextVar("discord_command_guild", default=None)

WarnStaff = Callable[[Renderable], Awaitable[None]]


class Spaces:
    def __init__(self, client: discord.Client, config: DiscordConfig, warn_staff: WarnStaff):
        self.client = client
        self.config = config
        self.warn_staff = warn_staff

    def guild(self) -> discord.Guild:
        """The server of the command under way, else the first configured one."""
        candidates = [COMMAND_GUILD.get(), *self.config.guild_ids]
        for guild_id in candidates:
            guild = self.client.get_guild(guild_id) if guild_id else None
            if guild is not None:
                return guild
        if self.client.guilds and not self.config.guild_ids:
            return self.client.guilds[0]
        raise PlatformError(_("The bot is not on the Discord server yet, so it cannot open a"
                              " channel. Ask an administrator to invite it."))

    async def create(self, committee: Committee, founder_id: int) -> int:
        guild = self.guild()
        channels = await guild.fetch_channels()
        category = _room_in(channels, self.config.category_name)
        needed = 1 if category is not None else 2
        if len(channels) + needed > GUILD_CHANNELS:
            await self.warn_staff(_(
                "The Discord server {server} has reached Discord's limit of 500 channels:"
                " committee {name} could not get one. Delete channels no longer needed, such"
                " as those of archived committees.").format(server=guild.name,
                                                            name=committee.name))
            raise PlatformError(_(
                "This Discord server has reached Discord's limit of 500 channels, so your"
                " committee's channel cannot be created. National staff have been told; try"
                " again once they have made room."))
        if category is None:
            category = await guild.create_category(
                _next_name(channels, self.config.category_name),
                reason=f"committee channels ({committee.slug})")
        overwrites: dict[discord.Role | discord.Member | discord.Object,
                         discord.PermissionOverwrite] = {
            guild.default_role: permissions.HIDDEN,
            guild.me: permissions.BOT,
            discord.Object(founder_id, type=discord.Member): permissions.MEMBER,
        }
        for role_id in self.config.staff_role_ids:
            role = guild.get_role(role_id)
            if role is not None:
                overwrites[role] = permissions.STAFF
        channel = await guild.create_text_channel(
            committee.slug, category=category, topic=topic(committee), overwrites=overwrites,
            reason=f"committee {committee.slug}")
        left = GUILD_CHANNELS - (len(channels) + needed)
        if left <= WARN_WHEN_LEFT:
            await self.warn_staff(_(
                "The Discord server {server} has {count} channels left before Discord's limit"
                " of 500; after that, new committees get no channel. Delete channels no"
                " longer needed, such as those of archived committees.").format(
                    server=guild.name, count=Number(left)))
        return channel.id

    async def update(self, channel_id: int, committee: Committee) -> None:
        channel = await self._channel(channel_id)
        await channel.edit(topic=topic(committee))

    async def archive(self, channel_id: int) -> None:
        """Into the archive category, and read-only for everyone."""
        channel = await self._channel(channel_id)
        guild = channel.guild
        me = guild.me
        overwrites = {
            target: overwrite if me is not None and target.id == me.id
            else permissions.read_only(overwrite)
            for target, overwrite in channel.overwrites.items()
        }
        overwrites[guild.default_role] = permissions.read_only(
            channel.overwrites_for(guild.default_role))
        channels = await guild.fetch_channels()
        archive = _room_in(channels, self.config.archive_category_name)
        if archive is None and len(channels) < GUILD_CHANNELS:
            archive = await guild.create_category(
                _next_name(channels, self.config.archive_category_name),
                reason="archived committee channels")
        if archive is None:  # a full server: read-only where it is
            await channel.edit(overwrites=overwrites, reason="committee archived")
        else:
            await channel.edit(category=archive, overwrites=overwrites, sync_permissions=False,
                               reason="committee archived")

    async def set_member(self, channel_id: int, user_id: int,
                         overwrite: discord.PermissionOverwrite | None) -> None:
        """One person's rights in a channel; None takes their overwrite away."""
        http = self.client.http
        # `set_permissions` wants a cached Member; the REST call only needs the ids.
        if overwrite is None:
            await http.delete_channel_permissions(channel_id, user_id, reason="committee")
            return
        allow, deny = permissions.pair(overwrite)
        await http.edit_channel_permissions(channel_id, user_id, allow, deny, 1,
                                            reason="committee")

    async def _channel(self, channel_id: int) -> discord.TextChannel:
        channel = self.client.get_channel(channel_id) or await self.client.fetch_channel(
            channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise PlatformError(_("The committee's channel is gone from Discord."))
        return channel


def topic(committee: Committee) -> str:
    text = f"{committee.name} — {committee.place} ({committee.postal_code})"
    if committee.description:
        text += f" · {committee.description}"
    return text[:TOPIC_LIMIT]


def _category_names(channels: Sequence[discord.abc.GuildChannel], base: str) -> dict[int, str]:
    """Our categories for `base`: "Comités", "Comités 2", "Comités 3"..."""
    names = {base.casefold()} | {f"{base} {n}".casefold() for n in range(2, GUILD_CHANNELS)}
    return {channel.id: channel.name for channel in channels
            if isinstance(channel, discord.CategoryChannel) and channel.name.casefold() in names}


def _room_in(
    channels: Sequence[discord.abc.GuildChannel], base: str
) -> discord.CategoryChannel | None:
    """The first of our categories with room for one more channel."""
    ours = _category_names(channels, base)
    filled = {category_id: 0 for category_id in ours}
    for channel in channels:
        if channel.category_id in filled:
            filled[channel.category_id] += 1
    for channel in sorted(channels, key=lambda c: (c.position, c.id)):
        if channel.id in ours and filled[channel.id] < CATEGORY_CHANNELS:
            assert isinstance(channel, discord.CategoryChannel)
            return channel
    return None


def _next_name(channels: Sequence[discord.abc.GuildChannel], base: str) -> str:
    taken = {name.casefold() for name in _category_names(channels, base).values()}
    if base.casefold() not in taken:
        return base
    number = 2
    while f"{base} {number}".casefold() in taken:
        number += 1
    return f"{base} {number}"
