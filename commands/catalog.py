"""Importing this module declares every command."""

from commands import campaigns, committees, flags, general, materials, privacy, staff
from commands.actions import calendar, change, checkin, info, listing, rsvp, schedule
from commands.digest import command as digest
from commands.reports import report

__all__ = [
    "calendar", "campaigns", "change", "checkin", "committees", "digest", "flags", "general",
    "info", "listing", "materials", "privacy", "report", "rsvp", "schedule", "staff",
]
