"""Local committees: create, join, find, lead, and moderate after the fact."""

from commands.committees import browse, create, manage, membership, moderation

__all__ = ["browse", "create", "manage", "membership", "moderation"]
