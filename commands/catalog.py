"""Importing this module declares every command."""

from commands import campaigns, committees, general
from commands.actions import calendar, change, checkin, info, listing, rsvp, schedule
from commands.reports import report

__all__ = [
    "calendar", "campaigns", "change", "checkin", "committees", "general", "info", "listing",
    "report", "rsvp", "schedule",
]
