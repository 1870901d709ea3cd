"""Importing this module declares every command."""

from commands import committees, general

__all__ = ["committees", "general"]
