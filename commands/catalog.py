"""Importing this module declares every command."""

from commands import committees, general
from commands.actions import change, rsvp, schedule

__all__ = ["change", "committees", "general", "rsvp", "schedule"]
