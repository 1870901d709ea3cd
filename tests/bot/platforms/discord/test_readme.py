"""The README's invite URL grants exactly the permissions the bot declares it needs."""

from __future__ import annotations

import re
from pathlib import Path

from bot.platforms.discord.permissions import INTENTS, REQUIRED

README = Path(__file__).resolve().parents[4] / "README.md"


def discord_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Discord", 1)[1].split("\n## ", 1)[0]


def test_the_invite_url_asks_for_the_permissions_the_bot_needs() -> None:
    [asked] = re.findall(r"permissions=(\d+)", discord_section())
    assert int(asked) == REQUIRED.value
    assert not REQUIRED.administrator
    assert not REQUIRED.mention_everyone


def test_no_privileged_intent_is_needed() -> None:
    assert INTENTS.value == 1  # Guilds alone
    assert not INTENTS.members
    assert not INTENTS.presences
    assert not INTENTS.message_content
    assert "Message Content off" in " ".join(discord_section().split())
