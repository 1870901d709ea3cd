"""Committees on a real Synapse: a room in the organisation's space, leads as moderators,
joining by invitation, archiving to a read-only room out of the space."""

from __future__ import annotations

from bot.app import App
from storage.committees import CommitteeStatus
from storage.memberships import MemberRole
from tests.bot.platforms.matrix.homeserver import Homeserver
from tests.bot.platforms.matrix.person import Person
from tests.bot.platforms.matrix.scene import (
    ask,
    bot_id,
    committee_led_by,
    from_bot,
    with_member,
)


async def test_a_new_committee_is_a_room_in_the_space_with_its_lead_as_moderator(
    bot: App, alex: Person, homeserver: Homeserver
) -> None:
    # Typed without the prefix: in a direct room with the bot, a bare command is enough.
    scene = await committee_led_by(bot, alex, description="Les quartiers nord de Rennes")
    assert bot.matrix is not None
    assert bot.services is not None
    space_id = bot.matrix.rooms.space_id

    # The room is a child of the space, named after the committee, its topic the description.
    hierarchy = await homeserver.api("GET", f"/_matrix/client/v1/rooms/{space_id}/hierarchy",
                                     bot.matrix.client.access_token)
    rooms = {room["room_id"]: room for room in hierarchy["rooms"]}
    assert rooms[space_id]["room_type"] == "m.space"
    assert scene.room_id in {child["state_key"] for child in rooms[space_id]["children_state"]}
    assert rooms[scene.room_id]["name"] == "Rennes Nord"
    assert rooms[scene.room_id]["topic"] == "Les quartiers nord de Rennes"
    parent = await alex.state(scene.room_id, "m.space.parent", space_id)
    assert parent["canonical"] is True

    # The lead is a moderator; the bot, the room's creator, is not listed (room version 12).
    levels = await alex.state(scene.room_id, "m.room.power_levels")
    assert levels["users"] == {alex.user_id: 50}

    repos = bot.services.repos
    assert await repos.committees.space_of(scene.committee.id, "matrix") == scene.room_id
    lead = await repos.users.find("matrix", alex.user_id)
    assert lead is not None
    membership = await repos.memberships.get(scene.committee.id, lead.id)
    assert membership is not None
    assert membership.role is MemberRole.LEAD
    # The space the bot made on its first start is remembered for the next one.
    assert await repos.platform_state.get("matrix", "space") == space_id


async def test_joining_invites_the_person_and_welcomes_them_without_pinging(
    bot: App, alex: Person, marc: Person
) -> None:
    scene = await with_member(bot, await committee_led_by(bot, alex), marc)
    assert bot.services is not None

    announced = await alex.wait_for(from_bot(bot, scene.room_id, "joined the committee"),
                                    "the welcome in the committee room")
    assert f'href="https://matrix.to/#/{marc.user_id}"' in announced.html
    assert announced.content["m.mentions"] == {}  # shown as a name, nobody notified
    assert announced.content["msgtype"] == "m.notice"

    user = await bot.services.repos.users.find("matrix", marc.user_id)
    assert user is not None
    membership = await bot.services.repos.memberships.get(scene.committee.id, user.id)
    assert membership is not None
    assert membership.role is MemberRole.MEMBER
    levels = await marc.state(scene.room_id, "m.room.power_levels")
    assert marc.user_id not in levels["users"]

    # Promoting a member makes them a moderator too (a pill in the command names them).
    await alex.say(scene.room_id, f"!committee promote {marc.user_id}",
                   html=f'!committee promote <a href="https://matrix.to/#/{marc.user_id}">'
                        "Marc</a>")
    await alex.wait_for(from_bot(bot, scene.room_id, "is now co-lead"), "the promotion")
    levels = await marc.state(scene.room_id, "m.room.power_levels")
    assert levels["users"][marc.user_id] == 50


async def test_in_a_shared_room_only_our_commands_are_answered_and_privately_if_private(
    bot: App, alex: Person
) -> None:
    scene = await committee_led_by(bot, alex)
    await alex.say(scene.room_id, "!roll 2d6")  # another bot's command
    await alex.say(scene.room_id, "committee info")  # no prefix in a shared room: a sentence
    await alex.say(scene.room_id, "!committee info")  # a private answer
    # A public answer, after the rest: the same room's messages are handled in order.
    await ask(bot, alex, scene.room_id, '!committee edit description="Rennes, au nord"',
              "is updated")
    info = await alex.wait_for(from_bot(bot, scene.lead_dm, "Your role: lead"), "the info")
    assert "Rennes Nord — Rennes (35000" in info.body
    assert [seen.body for seen in alex.notices(scene.room_id, bot_id(bot))] == [
        "Rennes Nord is updated."
    ]
    topic = await alex.state(scene.room_id, "m.room.topic")
    assert topic["topic"] == "Rennes, au nord"


async def test_archiving_makes_the_room_read_only_and_takes_it_out_of_the_space(
    bot: App, alex: Person, homeserver: Homeserver
) -> None:
    scene = await committee_led_by(bot, alex)
    assert bot.matrix is not None
    assert bot.services is not None
    space_id = bot.matrix.rooms.space_id

    await ask(bot, alex, scene.room_id, "!committee archive confirm=yes", "archived")
    await alex.wait_for(lambda seen: seen.room_id == scene.room_id
                        and seen.type == "m.room.power_levels"
                        and seen.content.get("events_default") == 100, "the room read-only")

    levels = await alex.state(scene.room_id, "m.room.power_levels")
    assert levels["events_default"] == 100
    assert levels["users"] == {}
    refused = await alex.client.room_send(scene.room_id, "m.room.message",
                                          {"msgtype": "m.text", "body": "still here?"})
    assert getattr(refused, "status_code", None) == "M_FORBIDDEN"
    hierarchy = await homeserver.api("GET", f"/_matrix/client/v1/rooms/{space_id}/hierarchy",
                                     bot.matrix.client.access_token)
    assert scene.room_id not in {room["room_id"] for room in hierarchy["rooms"]}
    archived = await bot.services.repos.committees.get(scene.committee.id)
    assert archived is not None
    assert archived.status is CommitteeStatus.ARCHIVED
