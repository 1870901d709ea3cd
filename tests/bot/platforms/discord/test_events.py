"""`[discord] scheduled_events`: each action is also a Discord event, cancelled with it."""

from __future__ import annotations

from bot.config import Config
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import GENERAL_ID, GUILD_ID, INES, FakeDiscord
from tests.bot.platforms.discord.helpers import STARTS, committee_channel, scheduled

EVENTS = rf"/guilds/{GUILD_ID}/scheduled-events"


async def test_an_action_becomes_a_discord_event_and_is_cancelled_with_it(
    fake: FakeDiscord, config: Config
) -> None:
    discord = config.discord.model_copy(update={"scheduled_events": True})
    bots = Bots(config.model_copy(update={"discord": discord}))
    try:
        await bots.start()
        channel_id = await committee_channel(fake)
        await scheduled(fake, channel_id, details="Code porte 1234")

        [created] = await fake.wait_for("POST", EVENTS)
        assert created.body["entity_type"] == 3  # external: a place, not a voice channel
        assert created.body["privacy_level"] == 2
        assert created.body["scheduled_start_time"].startswith(STARTS.isoformat()[:19])
        assert created.body["entity_metadata"] == {"location": "Place de la Croix-Rousse"}
        assert "Marché de la Croix-Rousse" in created.body["name"]
        assert "1234" not in str(created.body)  # details stay with those going

        cancelled = await fake.slash(INES, "action cancel", channel=GENERAL_ID, action="1",
                                     reason="la pluie")
        await fake.answer_to(cancelled)
        [event_id] = fake.events
        [edit] = await fake.wait_for("PATCH", rf"{EVENTS}/{event_id}")
        assert edit.body == {"status": 4}
    finally:
        for app in list(bots.running):
            await bots.stop(app)
