"""Discord's hiccups: a gateway reconnect, a rate limit. No interaction is lost to either."""

from __future__ import annotations

from bot.app import App
from tests.bot.platforms.discord.fake_discord import GUILD_ID, INES, FakeDiscord
from tests.bot.platforms.discord.helpers import SLUG, committee_channel, services


async def test_after_a_reconnect_the_session_resumes_and_the_next_interaction_arrives(
    fake: FakeDiscord, bot: App
) -> None:
    await fake.reconnect()
    # Sent while the bot is away: Discord keeps it for the resumed session.
    interaction = await fake.slash(INES, "committee create", name="Lyon Croix-Rousse",
                                   place="Lyon", postal_code="69004")

    answer = (await fake.answer_to(interaction)).body
    assert "Lyon Croix-Rousse" in answer["data"]["content"]
    assert fake.connections == 2
    identified = [sent for sent in fake.gateway if sent["op"] == 2]
    [resumed] = [sent for sent in fake.gateway if sent["op"] == 6]
    assert len(identified) == 1  # resumed, not started over
    assert resumed["d"]["session_id"].startswith("session-")
    assert resumed["d"]["seq"] >= 2  # READY and GUILD_CREATE were seen before
    assert await services(bot).repos.committees.by_slug(SLUG) is not None


async def test_a_rate_limited_request_is_retried_and_the_reply_still_arrives(
    fake: FakeDiscord, bot: App
) -> None:
    fake.fail_next("POST", rf"/guilds/{GUILD_ID}/channels")
    fake.fail_next("POST", r"/interactions/\d+/[^/]+/callback")

    await committee_channel(fake)

    creations = fake.calls("POST", rf"/guilds/{GUILD_ID}/channels")
    assert [call.status for call in creations] == [429, 201, 201]  # category retried
    callbacks = fake.calls("POST", r"/interactions/\d+/[^/]+/callback")
    assert [call.status for call in callbacks] == [429, 200]
    assert "Lyon Croix-Rousse" in callbacks[-1].body["data"]["content"]
    assert await services(bot).repos.committees.by_slug(SLUG) is not None
