"""Discord: slash commands, buttons and forms built from the command specs.

See `platform.DiscordPlatform`; README.md says how to set up the application.
"""

from bot.platforms.discord.platform import DiscordPlatform
from bot.platforms.discord.users import NAME

__all__ = ["NAME", "DiscordPlatform"]
