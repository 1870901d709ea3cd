"""What the bot may do on a server, and what committee channels let each person do.

A committee's channel is private to its members: `@everyone` cannot see it, each member has
their own overwrite, leads and co-leads may also delete and pin messages, staff roles see
every committee. An archived channel is read-only for everyone.
"""

from __future__ import annotations

import discord

# Everything the bot needs, and nothing more: no Administrator, no Mention Everyone.
# README.md gives this integer in the invite URL (a test keeps the two in step).
REQUIRED = discord.Permissions(
    view_channel=True,
    manage_channels=True,
    manage_roles=True,  # to set the channels' permission overwrites
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    # A bot can only grant what it holds: leads get these in their committee's channel.
    manage_messages=True,
    pin_messages=True,
    manage_events=True,  # [discord] scheduled_events
)
INTENTS = discord.Intents.none()
INTENTS.guilds = True

def _set(overwrite: discord.PermissionOverwrite) -> dict[str, bool]:
    """The permissions an overwrite says something about."""
    return {name: value for name, value in overwrite if value is not None}


HIDDEN = discord.PermissionOverwrite(view_channel=False)
MEMBER = discord.PermissionOverwrite(
    view_channel=True, send_messages=True, read_message_history=True, add_reactions=True,
    send_messages_in_threads=True,
)
LEAD = discord.PermissionOverwrite(**{**_set(MEMBER), "manage_messages": True,
                                      "pin_messages": True})
STAFF = LEAD
BOT = discord.PermissionOverwrite(
    view_channel=True, send_messages=True, read_message_history=True, embed_links=True,
    attach_files=True, manage_messages=True, pin_messages=True,
)
# What an archived channel takes away from everyone but the bot.
READ_ONLY = dict(
    send_messages=False, add_reactions=False, send_messages_in_threads=False,
    create_public_threads=False, create_private_threads=False, manage_messages=False,
    pin_messages=False,
)


def read_only(overwrite: discord.PermissionOverwrite) -> discord.PermissionOverwrite:
    return discord.PermissionOverwrite(**{**_set(overwrite), **READ_ONLY})


def pair(overwrite: discord.PermissionOverwrite) -> tuple[str, str]:
    """Allow and deny bit sets, as the REST API takes them."""
    allow, deny = overwrite.pair()
    return str(allow.value), str(deny.value)
