"""The console: every command in a terminal or a script, with no account anywhere."""

from bot.platforms.console.port import ConsolePort
from bot.platforms.console.runner import ConsoleRunner

__all__ = ["ConsolePort", "ConsoleRunner"]
