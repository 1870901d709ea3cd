"""`/committee create` and what follows: the channel, its rights, its category, the limits."""

from __future__ import annotations

from typing import Any

import discord

from bot.app import App
from bot.platforms.discord import permissions
from tests.bot.platforms.discord import payloads
from tests.bot.platforms.discord.fake_discord import (
    BOT_ID,
    GUILD_ID,
    INES,
    MARC,
    STAFF_CHANNEL_ID,
    STAFF_ROLE_ID,
    FakeDiscord,
)
from tests.bot.platforms.discord.helpers import services

CHANNELS = rf"/guilds/{GUILD_ID}/channels"
EPHEMERAL = 64


def overwrite(value: discord.PermissionOverwrite, kind: int) -> tuple[int, int, int]:
    allow, deny = value.pair()
    return kind, allow.value, deny.value


def rights_in(body: dict[str, Any]) -> dict[int, tuple[int, int, int]]:
    """Overwrites as sent (numbers or strings): target -> (type, allow, deny)."""
    return {int(o["id"]): (int(o["type"]), int(o["allow"]), int(o["deny"]))
            for o in body["permission_overwrites"]}


async def create(
    fake: FakeDiscord, user: int = INES, name: str = "Lyon Croix-Rousse"
) -> dict[str, Any]:
    interaction = await fake.slash(user, "committee create", name=name, place="Lyon",
                                   postal_code="69004")
    answer: dict[str, Any] = (await fake.answer_to(interaction)).body
    return answer


async def test_committee_create_opens_a_members_only_channel_in_the_category(
    fake: FakeDiscord, bot: App
) -> None:
    answer = await create(fake)

    assert answer["type"] == 4
    assert "Lyon Croix-Rousse" in answer["data"]["content"]
    assert not answer["data"].get("flags")  # the welcome is for the channel to see
    assert answer["data"]["allowed_mentions"] == {"parse": []}
    category_call, channel_call = fake.calls("POST", CHANNELS)
    assert category_call.body["type"] == 4
    assert category_call.body["name"] == "Comités"
    [category_id] = [c for c, found in fake.channels.items() if found["type"] == 4]
    assert channel_call.body["type"] == 0
    assert channel_call.body["name"] == "lyon-croix-rousse"
    assert int(channel_call.body["parent_id"]) == category_id
    assert channel_call.body["topic"] == "Lyon Croix-Rousse — Lyon (69004)"
    assert rights_in(channel_call.body) == {
        GUILD_ID: overwrite(permissions.HIDDEN, 0),  # @everyone does not see it
        BOT_ID: overwrite(permissions.BOT, 1),
        INES: overwrite(permissions.MEMBER, 1),
        STAFF_ROLE_ID: overwrite(permissions.STAFF, 0),
    }
    channel_id = next(c for c, found in fake.channels.items() if found["name"] ==
                      "lyon-croix-rousse")
    # The founder leads it: deleting and pinning messages, on top of a member's rights.
    [lead] = fake.calls("PUT", rf"/channels/{channel_id}/permissions/{INES}")
    allow, deny = permissions.LEAD.pair()
    assert (lead.body["type"], lead.body["allow"], lead.body["deny"]) == (
        1, str(allow.value), str(deny.value))
    assert discord.Permissions(int(lead.body["allow"])).manage_messages
    assert discord.Permissions(int(lead.body["allow"])).pin_messages

    repos = services(bot).repos
    committee = await repos.committees.by_slug("lyon-croix-rousse")
    assert committee is not None
    assert await repos.committees.space_of(committee.id, "discord") == str(channel_id)
    founder = await repos.users.find("discord", str(INES))
    assert founder is not None
    membership = await repos.memberships.get(committee.id, founder.id)
    assert membership is not None
    assert membership.role.value == "lead"


async def test_joining_gives_the_member_the_channel_and_archiving_makes_it_read_only(
    fake: FakeDiscord, bot: App
) -> None:
    await create(fake)
    channel_id = next(c for c, found in fake.channels.items() if found["name"] ==
                      "lyon-croix-rousse")
    joined = await fake.slash(MARC, "committee join", committee="lyon-croix-rousse")
    await fake.answer_to(joined)
    [member] = fake.calls("PUT", rf"/channels/{channel_id}/permissions/{MARC}")
    assert member.body["allow"] == str(permissions.MEMBER.pair()[0].value)

    archived = await fake.slash(INES, "committee archive", channel=channel_id, confirm=True)
    answer = await fake.answer_to(archived)
    assert answer.body["data"]["flags"] & EPHEMERAL
    [move] = [call for call in fake.calls("PATCH", rf"/channels/{channel_id}")
              if "parent_id" in call.body]
    archive = fake.channels[int(move.body["parent_id"])]
    assert archive["type"] == 4
    assert archive["name"] == "Comités archivés"
    rights = {target: discord.PermissionOverwrite.from_pair(
        discord.Permissions(allow), discord.Permissions(deny))
        for target, (_kind, allow, deny) in rights_in(move.body).items()}
    for target in (INES, MARC, GUILD_ID, STAFF_ROLE_ID):
        assert rights[target].send_messages is False, target
    assert rights[INES].view_channel is True  # still readable by its members
    assert rights[BOT_ID].send_messages is True


async def test_a_full_category_gets_a_sibling(fake: FakeDiscord, bot: App) -> None:
    category = fake.new_id()
    fake.channels[category] = payloads.channel(category, GUILD_ID, "Comités", kind=4)
    for number in range(50):
        channel_id = fake.new_id()
        fake.channels[channel_id] = payloads.channel(channel_id, GUILD_ID, f"c{number}",
                                                     parent_id=category)
    await create(fake)
    category_call, channel_call = fake.calls("POST", CHANNELS)
    assert category_call.body["name"] == "Comités 2"
    assert int(channel_call.body["parent_id"]) != category


async def test_at_discords_500_channels_the_founder_is_told_and_staff_warned(
    fake: FakeDiscord, bot: App
) -> None:
    category = fake.new_id()
    fake.channels[category] = payloads.channel(category, GUILD_ID, "Comités", kind=4)
    while len([c for c in fake.channels.values() if c.get("guild_id")]) < 500:
        channel_id = fake.new_id()
        fake.channels[channel_id] = payloads.channel(channel_id, GUILD_ID, "other")

    answer = await create(fake)

    assert answer["data"]["flags"] & EPHEMERAL
    assert "500" in answer["data"]["content"]
    assert not fake.calls("POST", CHANNELS)
    [warning] = await fake.wait_for("POST", rf"/channels/{STAFF_CHANNEL_ID}/messages")
    assert "500" in warning.body["content"]
    assert "Lyon Croix-Rousse" in warning.body["content"]
    assert warning.body["allowed_mentions"] == {"parse": []}
    repos = services(bot).repos
    assert await repos.committees.by_slug("lyon-croix-rousse") is None
