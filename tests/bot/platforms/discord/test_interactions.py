"""The edges of answering: slow commands, long commands in buttons, suggestions as one types."""

from __future__ import annotations

import asyncio

from bot.app import App
from commands.ports import Outgoing
from commands.reply import Button, Reply
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import (
    APP_ID,
    GENERAL_ID,
    GUILD_ID,
    INES,
    MARC,
    FakeDiscord,
)
from tests.bot.platforms.discord.helpers import (
    SLUG,
    committee_channel,
    scheduled,
    services,
)

EPHEMERAL = 64


def hurry(app: App) -> None:
    """Acknowledge interactions at once, as for a command slower than Discord's 3 seconds."""
    assert app.discord is not None
    app.discord.interactions.grace = 0.0


async def hold_the_database(app: App, seconds: float) -> None:
    async with services(app).repos.db.unit():
        await asyncio.sleep(seconds)


async def test_a_slow_command_is_acknowledged_then_answered_in_place(
    fake: FakeDiscord, bot: App
) -> None:
    hurry(bot)
    fake.fail_next("POST", rf"/guilds/{GUILD_ID}/channels", retry_after=0.3)

    interaction = await fake.slash(INES, "committee create", name="Lyon Croix-Rousse",
                                   place="Lyon", postal_code="69004")

    first = (await fake.answer_to(interaction)).body
    assert first["type"] == 5  # "thinking…", for everyone to see
    [edit] = await fake.wait_for(
        "PATCH", rf"/webhooks/{APP_ID}/{interaction['token']}/messages/@original")
    assert "Lyon Croix-Rousse" in edit.body["content"]
    assert edit.body["allowed_mentions"] == {"parse": []}
    assert await services(bot).repos.committees.by_slug(SLUG) is not None


async def test_a_slow_private_answer_to_a_click_comes_as_an_ephemeral_follow_up(
    fake: FakeDiscord, bots: Bots
) -> None:
    app = await bots.start()
    channel_id = await committee_channel(fake)
    card = await scheduled(fake, channel_id)
    hurry(app)
    # Someone else's command holds the database a moment: the click has to wait for it.
    held = asyncio.create_task(hold_the_database(app, 0.3))
    await asyncio.sleep(0)

    click = await fake.click(MARC, card.message_id, card.button(fake, "going"))

    first = (await fake.answer_to(click)).body
    assert first["type"] == 6  # acknowledged, the card left as it is
    [follow_up] = await fake.wait_for("POST", rf"/webhooks/{APP_ID}/{click['token']}")
    assert follow_up.body["flags"] & EPHEMERAL
    assert "vous venez" in follow_up.body["content"]
    await held


async def test_a_command_too_long_for_a_custom_id_is_kept_under_a_hash(
    fake: FakeDiscord, bot: App
) -> None:
    assert bot.discord is not None
    long_search = "committee list " + "croix rousse " * 10
    await bot.discord.port.post(str(GENERAL_ID), Outgoing(Reply(
        "…", buttons=(Button("next page", long_search),)), "fr"))
    message_id = next(m for m, found in fake.messages.items()
                      if found["channel_id"] == str(GENERAL_ID))
    [button] = fake.messages[message_id]["components"][0]["components"]
    assert button["custom_id"].startswith("h:")
    assert len(button["custom_id"]) <= 100

    click = await fake.click(MARC, message_id, button["custom_id"])

    answer = (await fake.answer_to(click)).body
    assert answer["data"]["flags"] & EPHEMERAL
    assert "comité" in answer["data"]["content"].lower()  # `committee list` answered


async def test_committee_and_action_ids_are_suggested_as_one_types(
    fake: FakeDiscord, bot: App
) -> None:
    channel_id = await committee_channel(fake)
    await scheduled(fake, channel_id)

    typed = await fake.autocomplete(MARC, "committee join", "committee", "croix")
    choices = (await fake.answer_to(typed)).body
    assert choices["type"] == 8
    assert choices["data"]["choices"] == [
        {"name": "Lyon Croix-Rousse — Lyon (69004)", "value": SLUG}]

    typed = await fake.autocomplete(INES, "action rsvp", "action", "", answer="going")
    choices = (await fake.answer_to(typed)).body
    [action] = choices["data"]["choices"]
    assert action["value"] == "1"
    assert action["name"].startswith("1 · Marché de la Croix-Rousse · sam. 5 déc.")


async def test_a_command_discord_shows_in_an_older_shape_gets_a_clear_answer(
    fake: FakeDiscord, bot: App
) -> None:
    # As from a client that still has a version of /committee create without its options.
    stale = await fake.slash(INES, "committee create")

    answer = (await fake.answer_to(stale)).body
    assert answer["data"]["flags"] & EPHEMERAL
    assert "help" in answer["data"]["content"]
    assert await services(bot).repos.committees.by_slug(SLUG) is None
