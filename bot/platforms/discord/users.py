"""Discord people as the commands see them: the platform's name, ids, mentions."""

from __future__ import annotations

import re

NAME = "discord"

# `<@123>` (or the old `<@!123>`), or the bare id a slash command's user option gives.
_MENTION = re.compile(r"<@!?(\d{15,21})>")
_SNOWFLAKE = re.compile(r"\d{15,21}")


def parse_user(token: str) -> str | None:
    """The user id a typed mention or id stands for; None for anything else."""
    text = token.strip()
    found = _MENTION.fullmatch(text)
    if found is not None:
        return found.group(1)
    return text if _SNOWFLAKE.fullmatch(text) else None


def mention(platform: str, platform_user_id: str) -> str:
    """How a person is written in a Discord message; never a ping unless allowed by the send."""
    if platform == NAME:
        return f"<@{platform_user_id}>"
    return platform_user_id
