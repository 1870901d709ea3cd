"""Shared materials: links and files for a committee, or for every committee."""

from commands.materials import browse, share

__all__ = ["browse", "share"]
