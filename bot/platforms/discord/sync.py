"""Command sync only when the commands changed: Discord allows 200 creations a day.

The payload Discord would receive (names, options, localisations) is hashed; the hash of what
was last synced is kept in the database for each scope (a server, or global). A start with
the same commands sends nothing; `comites discord sync` sends them anyway.
"""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.platforms.discord.users import NAME
from storage.platform_state import PlatformStateRepository

log = logging.getLogger(__name__)


async def command_hash(tree: app_commands.CommandTree, guild: discord.Object | None) -> str:
    translator = tree.translator
    payload = []
    for command in tree.get_commands(guild=guild):
        if translator is None:
            payload.append(command.to_dict(tree))
        else:
            payload.append(await command.get_translated_payload(tree, translator))
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree,
    state: PlatformStateRepository,
    *,
    application_id: int,
    guild_ids: list[int],
    force: bool = False,
) -> list[str]:
    """Sync each scope whose commands changed (every scope when forced); returns those synced."""
    scopes: list[discord.Object | None] = [discord.Object(g) for g in guild_ids] or [None]
    synced: list[str] = []
    failed: discord.HTTPException | None = None
    for guild in scopes:
        scope = "global" if guild is None else f"guild:{guild.id}"
        key = f"commands:{application_id}:{scope}"
        digest = await command_hash(tree, guild)
        if not force and await state.get(NAME, key) == digest:
            log.info("commands for %s unchanged: not synced", scope)
            continue
        try:
            await tree.sync(guild=guild)
        except discord.HTTPException as error:
            # One server refusing (the bot was removed from it) leaves the others in step.
            log.error("syncing the commands for %s failed: %s", scope, error)
            failed = error
            continue
        await state.set(NAME, key, digest)
        log.info("commands synced for %s", scope)
        synced.append(scope)
    if failed is not None and force:
        raise failed
    return synced
