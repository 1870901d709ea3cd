"""Actions on a real Synapse: the card with its reactions, an RSVP by reaction that edits the
card, and a reminder in the person's direct room."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import App
from commands.reminders import deliver_due
from storage.actions import Action
from storage.reminders import ReminderKind, ReminderState
from storage.rsvps import Answer
from tests.bot.platforms.matrix.person import Person, Seen
from tests.bot.platforms.matrix.scene import (
    Scene,
    ask,
    bot_id,
    committee_led_by,
    from_bot,
    with_member,
)


def in_three_days() -> str:
    day = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=3)
    return f"{day.isoformat()} 10:00"


async def scheduled(bot: App, alex: Person, scene: Scene) -> tuple[Action, Seen]:
    card = await ask(bot, alex, scene.room_id,
                     f'!action schedule leafleting "Marché des Lices" {in_three_days()}'
                     ' where="Place des Lices"', "Marché des Lices")
    assert bot.services is not None
    actions = await bot.services.repos.actions.of_committee(
        scene.committee.id, upcoming=True, now=bot.services.clock.now(), limit=5)
    assert len(actions) == 1
    return actions[0], card


async def test_a_reaction_under_the_card_answers_and_the_card_is_edited(
    bot: App, alex: Person, marc: Person
) -> None:
    scene = await with_member(bot, await committee_led_by(bot, alex), marc)
    action, card = await scheduled(bot, alex, scene)
    assert bot.services is not None

    # The card says how to answer: reactions, or the same commands typed out.
    assert "Answer with a reaction" in card.body
    assert f"<code>!action rsvp {action.id} going</code>" in card.html
    def reaction(key: str) -> Callable[[Seen], bool]:
        return lambda seen: (seen.type == "m.reaction" and seen.sender == bot_id(bot)
                             and seen.content["m.relates_to"] == {
                                 "rel_type": "m.annotation", "event_id": card.event_id,
                                 "key": key})

    for key in ("✅", "🤔", "❌"):
        await marc.wait_for(reaction(key), f"the bot's {key} under the card")

    await marc.react(scene.room_id, card.event_id, "✅")

    confirmed = await marc.wait_for(from_bot(bot, scene.member_dm or "", "You are going"),
                                    "the RSVP confirmation in the direct room")
    assert "Marché des Lices" in confirmed.body
    edit = await alex.wait_for(lambda seen: seen.replaces == card.event_id, "the card edited")
    assert edit.sender == bot_id(bot)
    assert "Going: 1" in edit.content["m.new_content"]["body"]
    assert "Going: 1" in edit.content["m.new_content"]["formatted_body"]
    marc_user = await bot.services.repos.users.find("matrix", marc.user_id)
    assert marc_user is not None
    rsvp = await bot.services.repos.rsvps.get(action.id, marc_user.id)
    assert rsvp is not None
    assert rsvp.answer is Answer.GOING

    # Changing one's mind with another reaction edits the card again.
    await marc.react(scene.room_id, card.event_id, "❌")
    await alex.wait_for(lambda seen: seen.replaces == card.event_id
                        and "Going: 0" in seen.content["m.new_content"]["body"],
                        "the card edited back")
    rsvp = await bot.services.repos.rsvps.get(action.id, marc_user.id)
    assert rsvp is not None
    assert rsvp.answer is Answer.NO


async def test_a_reminder_arrives_in_the_direct_room(
    bot: App, alex: Person, marc: Person
) -> None:
    scene = await with_member(bot, await committee_led_by(bot, alex), marc)
    action, _card = await scheduled(bot, alex, scene)
    assert bot.services is not None
    assert scene.member_dm is not None
    await ask(bot, marc, scene.member_dm, f"action rsvp {action.id} going", "You are going")

    # The day before, as the scheduler would run it then.
    delivered = await deliver_due(bot.services, now=action.starts_at - timedelta(hours=23))

    reminder = await marc.wait_for(from_bot(bot, scene.member_dm, "Reminder"),
                                   "the reminder in the direct room")
    assert "Marché des Lices" in reminder.body
    assert f"!action rsvp {action.id} no" in reminder.body
    assert reminder.content["m.mentions"] == {}
    assert len(delivered.sent) == 1
    states = {r.kind: r.state for r in await bot.services.repos.reminders.of_action(action.id)}
    assert states[ReminderKind.DAY_BEFORE] is ReminderState.SENT
    # The direct room is the one Marc opened, reused: no second room was made for him.
    assert await bot.services.repos.platform_state.get(
        "matrix", f"direct {marc.user_id}") == scene.member_dm
    assert marc.invited == [scene.room_id]
