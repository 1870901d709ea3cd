"""Discord API objects as the fake server sends them: just the fields discord.py 2.7 reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

EPOCH = "2026-11-01T09:00:00.000000+00:00"
# Discord's default upload limit; discord.py requires the field on every interaction.
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
EVERYONE_PERMISSIONS = "1071698660929"


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id), "username": name, "global_name": name, "discriminator": "0",
        "avatar": None, "bot": bot, "system": False, "public_flags": 0, "flags": 0,
    }


def member(person: dict[str, Any], roles: list[int]) -> dict[str, Any]:
    return {
        "user": person, "roles": [str(role) for role in roles], "joined_at": EPOCH,
        "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None,
        "pending": False, "premium_since": None, "communication_disabled_until": None,
    }


def role(role_id: int, name: str, position: int, permissions: str = "0") -> dict[str, Any]:
    return {
        "id": str(role_id), "name": name, "permissions": permissions, "position": position,
        "color": 0, "colors": {"primary_color": 0, "secondary_color": None,
                               "tertiary_color": None},
        "hoist": False, "managed": False, "mentionable": False, "flags": 0, "icon": None,
        "unicode_emoji": None,
    }


def channel(
    channel_id: int, guild_id: int, name: str, *, kind: int = 0, position: int = 0,
    parent_id: int | None = None, overwrites: list[dict[str, Any]] | None = None,
    topic: str | None = None,
) -> dict[str, Any]:
    return {
        "id": str(channel_id), "type": kind, "guild_id": str(guild_id), "name": name,
        "position": position, "parent_id": None if parent_id is None else str(parent_id),
        "permission_overwrites": overwrites or [], "topic": topic, "nsfw": False,
        "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
    }


def dm_channel(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 1, "recipients": [recipient],
            "last_message_id": None, "flags": 0}


def guild(
    guild_id: int, name: str, *, roles: list[dict[str, Any]], channels: list[dict[str, Any]],
    members: list[dict[str, Any]], owner_id: int,
) -> dict[str, Any]:
    return {
        "id": str(guild_id), "name": name, "icon": None, "splash": None,
        "discovery_splash": None, "owner_id": str(owner_id), "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "roles": roles, "emojis": [], "stickers": [],
        "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
        "description": None, "banner": None, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": "fr",
        "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled":
        False, "safety_alerts_channel_id": None, "joined_at": EPOCH, "large": False,
        "unavailable": False, "member_count": len(members), "voice_states": [],
        "members": members, "channels": channels, "threads": [], "presences": [],
        "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
    }


def message(
    message_id: int, channel_id: int, author: dict[str, Any], body: dict[str, Any], *,
    guild_id: int | None, application_id: int | None = None,
) -> dict[str, Any]:
    found = {
        "id": str(message_id), "channel_id": str(channel_id), "author": author,
        "content": body.get("content") or "", "timestamp": now_iso(),
        "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
        "components": body.get("components") or [], "pinned": False, "type": 0,
        "flags": body.get("flags") or 0,
    }
    if guild_id is not None:
        found["guild_id"] = str(guild_id)
    if application_id is not None:
        found["application_id"] = str(application_id)
        found["webhook_id"] = str(application_id)
    return found
