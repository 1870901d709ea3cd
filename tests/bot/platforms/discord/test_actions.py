"""Action cards: posted with RSVP buttons, redrawn in place, still clickable after a restart."""

from __future__ import annotations

from commands.i18n import RenderContext, _, render
from storage.rsvps import Answer
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import GENERAL_ID, INES, MARC, FakeDiscord
from tests.bot.platforms.discord.helpers import STARTS, committee_channel, scheduled, services

EPHEMERAL = 64


def counts(going: int) -> str:
    text = _("Going: {going} · Maybe: {maybe} · Waiting list: {waitlist}").format(
        going=str(going), maybe=0, waitlist=0)
    return render(text, RenderContext("fr"))


async def test_action_schedule_posts_a_card_with_rsvp_buttons(
    fake: FakeDiscord, bots: Bots
) -> None:
    await bots.start()
    channel_id = await committee_channel(fake)

    card = await scheduled(fake, channel_id)

    data = card.answer["data"]
    assert card.answer["type"] == 4
    assert not data.get("flags")  # for the whole channel
    [embed] = data["embeds"]
    stamp = int(STARTS.timestamp())
    assert "Marché de la Croix-Rousse" in embed["title"]
    assert f"<t:{stamp}:F>" in embed["description"]
    assert f"<t:{stamp}:R>" in embed["description"]
    assert "Place de la Croix-Rousse" in embed["description"]
    assert counts(0) in embed["description"]
    buttons = [b["custom_id"] for row in data["components"] for b in row["components"]]
    assert buttons == ["c:action rsvp 1 going", "c:action rsvp 1 maybe", "c:action rsvp 1 no"]
    assert data["allowed_mentions"] == {"parse": []}
    # The time is in the embed, in each reader's zone: the text keeps the confirmation only.
    assert "Marché" not in data["content"]


async def test_a_card_posted_elsewhere_goes_to_the_committee_channel(
    fake: FakeDiscord, bots: Bots
) -> None:
    await bots.start()
    channel_id = await committee_channel(fake)
    interaction = await fake.slash(
        INES, "action schedule", channel=GENERAL_ID, kind="meeting",
        title="Réunion de rentrée", when="2026-12-05 10:00", committee="lyon-croix-rousse")
    answer = (await fake.answer_to(interaction)).body
    assert answer["data"]["flags"] & EPHEMERAL  # the confirmation, to the lead alone
    [posted] = fake.calls("POST", rf"/channels/{channel_id}/messages")
    assert "Réunion de rentrée" in posted.body["embeds"][0]["title"]
    assert posted.body["allowed_mentions"] == {"parse": []}


async def test_a_click_records_the_answer_and_redraws_the_card(
    fake: FakeDiscord, bots: Bots
) -> None:
    app = await bots.start()
    channel_id = await committee_channel(fake)
    card = await scheduled(fake, channel_id)

    click = await fake.click(MARC, card.message_id, card.button(fake, "going"))

    answer = (await fake.answer_to(click)).body
    assert answer["type"] == 4
    assert answer["data"]["flags"] & EPHEMERAL
    assert "vous venez" in answer["data"]["content"]
    repos = services(app).repos
    marc = await repos.users.find("discord", str(MARC))
    assert marc is not None
    rsvp = await repos.rsvps.get(1, marc.id)
    assert rsvp is not None
    assert rsvp.answer is Answer.GOING
    [redrawn] = await fake.wait_for("PATCH", rf"/channels/{channel_id}/messages/{card.message_id}")
    assert counts(1) in redrawn.body["embeds"][0]["description"]
    assert redrawn.body["allowed_mentions"] == {"parse": []}
    assert len(redrawn.body["components"][0]["components"]) == 3
    assert counts(1) in fake.messages[card.message_id]["embeds"][0]["description"]


async def test_after_a_restart_an_old_button_still_works(fake: FakeDiscord, bots: Bots) -> None:
    first = await bots.start()
    channel_id = await committee_channel(fake)
    card = await scheduled(fake, channel_id)
    await bots.stop(first)

    second = await bots.start()
    click = await fake.click(MARC, card.message_id, card.button(fake, "maybe"))

    answer = (await fake.answer_to(click)).body
    assert answer["data"]["flags"] & EPHEMERAL
    repos = services(second).repos
    marc = await repos.users.find("discord", str(MARC))
    assert marc is not None
    rsvp = await repos.rsvps.get(1, marc.id)
    assert rsvp is not None
    assert rsvp.answer is Answer.MAYBE
    # The card's place was kept in the database: the new process redraws it too.
    await fake.wait_for("PATCH", rf"/channels/{channel_id}/messages/{card.message_id}")


async def test_a_card_is_redrawn_only_when_it_would_look_different(
    fake: FakeDiscord, bots: Bots
) -> None:
    app = await bots.start()
    assert app.discord is not None
    channel_id = await committee_channel(fake)
    card = await scheduled(fake, channel_id)
    edits = rf"/channels/{channel_id}/messages/{card.message_id}"

    looked = await fake.slash(MARC, "action info", action="1")
    await fake.answer_to(looked)
    await app.discord.interactions.finish(5.0)  # its card check included
    assert not fake.calls("PATCH", edits)
    click = await fake.click(MARC, card.message_id, card.button(fake, "maybe"))
    await fake.answer_to(click)
    await fake.wait_for("PATCH", edits)

    assert len(fake.calls("PATCH", edits)) == 1  # the answer changed the counts; info did not
