"""Steps the Matrix scenarios share: opening a direct room with the bot, a committee with its
lead and a member."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.app import App
from storage.committees import Committee
from tests.bot.platforms.matrix.person import Person, Seen


def bot_id(app: App) -> str:
    return app.config.matrix.user_id


def from_bot(app: App, room_id: str, text: str = "") -> Callable[[Seen], bool]:
    """A message from the bot in that room (not an edit), containing `text`."""
    def match(seen: Seen) -> bool:
        return (seen.room_id == room_id and seen.sender == bot_id(app)
                and seen.type == "m.room.message" and seen.replaces is None
                and text in seen.body)

    return match


async def joined(person: Person, room_id: str, user_id: str) -> None:
    await person.wait_for(
        lambda seen: seen.room_id == room_id and seen.type == "m.room.member"
        and seen.source.get("state_key") == user_id
        and seen.content.get("membership") == "join",
        f"{user_id} joining {room_id}",
    )


async def direct_room(app: App, person: Person) -> str:
    """The person starts a chat with the bot, as in any client; the bot accepts it."""
    room_id = await person.open_direct_room(bot_id(app))
    await joined(person, room_id, bot_id(app))
    return room_id


async def ask(app: App, person: Person, room_id: str, line: str, expect: str = "") -> Seen:
    """Type a line and wait for the bot's answer (containing `expect`) in that room."""
    before = len(person.seen)
    await person.say(room_id, line)
    return await person.wait_for(from_bot(app, room_id, expect),
                                 f"the bot's answer to {line!r}", after=before)


@dataclass
class Scene:
    committee: Committee
    room_id: str
    lead_dm: str
    member_dm: str | None = None


async def committee_led_by(app: App, lead: Person, name: str = "Rennes Nord",
                           description: str = "Les quartiers nord de Rennes") -> Scene:
    dm = await direct_room(app, lead)
    await ask(app, lead, dm,
              f'committee create "{name}" Rennes 35000 description="{description}"',
              "You are its lead")
    room_id = await lead.wait_for_invite()
    await joined(lead, room_id, lead.user_id)
    assert app.services is not None
    found = await app.services.repos.committees.by_space("matrix", room_id)
    assert found is not None, "the room the lead was invited to is the committee's"
    return Scene(found, room_id, dm)


async def with_member(app: App, scene: Scene, member: Person) -> Scene:
    dm = await direct_room(app, member)
    await ask(app, member, dm, f"!committee join {scene.committee.slug}", "Welcome to")
    room_id = await member.wait_for_invite()
    assert room_id == scene.room_id
    await joined(member, scene.room_id, member.user_id)
    scene.member_dm = dm
    return scene
