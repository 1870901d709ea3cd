"""What the bot sends on its own: reminders by direct message, and never a stray ping."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from commands import reminders
from storage.rsvps import Answer
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import (
    GENERAL_ID,
    INES,
    MARC,
    FakeDiscord,
)
from tests.bot.platforms.discord.helpers import (
    STARTS,
    committee_channel,
    scheduled,
    services,
)


async def going(fake: FakeDiscord, app: App, user: int, card_message: int, custom_id: str) -> None:
    await fake.answer_to(await fake.click(user, card_message, custom_id))
    repos = services(app).repos
    found = await repos.users.find("discord", str(user))
    assert found is not None
    rsvp = await repos.rsvps.get(1, found.id)
    assert rsvp is not None
    assert rsvp.answer is Answer.GOING


async def test_the_day_before_reminder_arrives_by_direct_message(
    fake: FakeDiscord, bots: Bots
) -> None:
    app = await bots.start()
    channel_id = await committee_channel(fake)
    card = await scheduled(fake, channel_id)
    await going(fake, app, MARC, card.message_id, card.button(fake, "going"))
    # Ines leads it and is going too, but takes no direct messages from the server.
    await going(fake, app, INES, card.message_id, card.button(fake, "going"))
    fake.dm_closed.add(INES)

    bots.clock.set(STARTS - timedelta(hours=23))
    done = await reminders.deliver_due(services(app))

    assert done.sent
    opened = fake.calls("POST", r"/users/@me/channels")
    assert sorted(int(call.body["recipient_id"]) for call in opened) == sorted([MARC, INES])
    dm = fake.dms[MARC]
    [direct] = fake.calls("POST", rf"/channels/{dm}/messages")
    assert direct.body["allowed_mentions"] == {"parse": []}
    assert "Marché de la Croix-Rousse" in direct.body["embeds"][0]["title"]
    buttons = [b["custom_id"] for row in direct.body["components"] for b in row["components"]]
    assert buttons == ["c:action rsvp 1 going", "c:action rsvp 1 no"]
    # Ines is told in the committee's channel instead, mentioned and pinged: she alone.
    fallback = fake.calls("POST", rf"/channels/{channel_id}/messages")[-1]
    assert fallback.body["content"].startswith(f"<@{INES}>")
    assert fallback.body["allowed_mentions"] == {"parse": [], "users": [INES]}
    assert str(MARC) not in fallback.body["content"]


async def test_everyone_typed_by_someone_pings_no_one(fake: FakeDiscord, bot: App) -> None:
    channel_id = await committee_channel(fake)
    await scheduled(fake, channel_id)

    cancelled = await fake.slash(INES, "action cancel", channel=GENERAL_ID, action="1",
                                 reason="@everyone @here la pluie, désolée <@&1>")

    answer = (await fake.answer_to(cancelled)).body
    assert answer["data"]["allowed_mentions"] == {"parse": []}
    [notice] = await fake.wait_for("POST", rf"/channels/{channel_id}/messages")
    assert "@everyone" in notice.body["content"]
    assert notice.body["allowed_mentions"] == {"parse": []}
    every_message = [r for r in fake.requests if isinstance(r.body, dict) and (
        "content" in r.body or "data" in r.body)]
    for request in every_message:
        sent = request.body.get("data", request.body)
        if "allowed_mentions" in sent or "content" in sent:
            assert sent.get("allowed_mentions", {}).get("parse") == [], request.path
