"""Files: an attachment is downloaded into the blob store; a file in a reply is uploaded."""

from __future__ import annotations

import hashlib

from bot.app import App
from tests.bot.platforms.discord.fake_discord import INES, FakeDiscord, Upload
from tests.bot.platforms.discord.helpers import committee_channel, services

PDF = b"%PDF-1.4\n% a leaflet\n%%EOF\n"


async def test_an_attached_file_is_kept_by_the_bot_and_sent_back_as_a_file(
    fake: FakeDiscord, bot: App
) -> None:
    channel_id = await committee_channel(fake)

    shared = await fake.slash(INES, "material share", channel=channel_id,
                              title="Tract du marché",
                              attachment=Upload("tract.pdf", PDF, "application/pdf"))

    answer = (await fake.answer_to(shared)).body
    assert "Tract du marché" in answer["data"]["content"]
    material = await services(bot).repos.materials.get(1)
    assert material is not None
    # The bot's own copy, never Discord's expiring link.
    assert material.blob_sha256 == hashlib.sha256(PDF).hexdigest()
    assert material.url is None

    fetched = await fake.slash(INES, "material get", channel=channel_id, id=1)

    sent = await fake.answer_to(fetched)
    assert sent.files == ["tract.pdf"]  # uploaded with the answer, for the channel to see
    assert not sent.body["data"].get("flags")
