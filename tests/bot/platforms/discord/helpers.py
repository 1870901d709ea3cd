"""Steps the scenarios share: a committee with its channel, an action with its card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.app import App
from commands.services import Services
from tests.bot.platforms.discord.fake_discord import INES, FakeDiscord

SLUG = "lyon-croix-rousse"
# 2026-12-05 10:00 in Paris.
STARTS = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def services(app: App) -> Services:
    assert app.services is not None
    return app.services


async def committee_channel(fake: FakeDiscord, lead: int = INES) -> int:
    """`/committee create` by `lead`; returns the new channel's id."""
    interaction = await fake.slash(lead, "committee create", name="Lyon Croix-Rousse",
                                   place="Lyon", postal_code="69004")
    await fake.answer_to(interaction)
    return next(c for c, found in fake.channels.items() if found["name"] == SLUG)


@dataclass
class Card:
    channel_id: int
    message_id: int
    answer: dict[str, Any]

    def button(self, fake: FakeDiscord, word: str) -> str:
        """The custom id of the card's button whose command ends with `word`."""
        message = fake.messages[self.message_id]
        for row in message["components"]:
            for button in row["components"]:
                if button["custom_id"].endswith(f" {word}"):
                    return str(button["custom_id"])
        raise AssertionError(f"no {word} button on {message['components']}")


async def scheduled(fake: FakeDiscord, channel_id: int, lead: int = INES, **extra: Any) -> Card:
    """`/action schedule` typed in the committee's channel: the card is the answer."""
    interaction = await fake.slash(lead, "action schedule", channel=channel_id,
                                   kind="leafleting", title="Marché de la Croix-Rousse",
                                   when="2026-12-05 10:00", where="Place de la Croix-Rousse",
                                   **extra)
    answer = (await fake.answer_to(interaction)).body
    # The fake keeps the message an interaction's answer made as its "original".
    return Card(channel_id, int(interaction["original"]), answer)
