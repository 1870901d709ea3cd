"""Start-up: the commands reach Discord once, and again only when they change."""

from __future__ import annotations

from bot.app import App
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import APP_ID, GUILD_ID, FakeDiscord

SYNC = rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"


async def test_first_start_syncs_the_commands_built_from_the_specs(
    fake: FakeDiscord, bot: App
) -> None:
    [sync] = fake.calls("PUT", SYNC)
    commands = {command["name"]: command for command in sync.body}
    assert {"committee", "action", "help", "lang", "staff"} <= set(commands)
    committee = {sub["name"]: sub for sub in commands["committee"]["options"]}
    create = {option["name"]: option for option in committee["create"]["options"]}
    assert [o["name"] for o in committee["create"]["options"]] == [
        "name", "place", "postal_code", "description"]
    assert create["name"]["required"]
    assert not create["description"]["required"]
    # Described in the organisation's language, localised in French and English.
    assert committee["create"]["description_localizations"]["en-US"] == (
        "Start a local committee: no approval needed, you become its lead.")
    assert committee["create"]["description"] == (
        committee["create"]["description_localizations"]["fr"])
    schedule = {o["name"]: o for o in
                {s["name"]: s for s in commands["action"]["options"]}["schedule"]["options"]}
    assert [c["value"] for c in schedule["kind"]["choices"]][:2] == ["door_to_door", "leafleting"]
    assert schedule["capacity"]["type"] == 4
    assert (schedule["capacity"]["min_value"], schedule["capacity"]["max_value"]) == (1, 10_000)
    assert schedule["committee"]["autocomplete"] is True
    # Staff commands are hidden from members' menus (a hint: the bot checks roles itself).
    assert int(commands["staff"]["default_member_permissions"]) == 32  # manage server
    # The gateway: identified once, with only the intents the bot needs.
    [identify] = [sent for sent in fake.gateway if sent["op"] == 2]
    assert identify["d"]["intents"] == 1


async def test_a_second_start_with_the_same_commands_syncs_nothing(
    fake: FakeDiscord, bots: Bots
) -> None:
    first = await bots.start()
    await bots.stop(first)
    assert len(fake.calls("PUT", SYNC)) == 1
    second = await bots.start()
    assert second.discord is not None
    assert len(fake.calls("PUT", SYNC)) == 1
    assert second.discord.synced == []
    assert fake.connections == 2
