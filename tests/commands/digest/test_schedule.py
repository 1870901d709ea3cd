"""Monday morning: the last week's digest goes to every staff destination, files attached."""

from __future__ import annotations

from commands.digest.schedule import post_weekly_digest
from commands.settings import Organisation, Settings
from tests.commands.digest.world import World
from tests.conftest import Harness


async def test_the_weekly_digest_goes_to_staff(harness: Harness, world: World) -> None:
    await post_weekly_digest(harness.services)

    sent = [item for item in harness.platform.sent if item.where == "staff"]
    assert len(sent) >= 3
    assert not any(item.reply.private for item in sent)
    assert [item.reply.file.filename for item in sent if item.reply.file] == [
        "digest-2026-11-30.csv", "digest-2026-11-30.png"]
    assert all(item.reply.file is None for item in sent[:-2])
    text = "\n".join(item.text for item in sent[:-2])
    # In the organisation's language: French by default.
    assert "Digest of the week" in text or "lundi 30 novembre 2026" in text
    assert "lundi 30 novembre 2026" in text
    assert all(len(item.text) <= 1_900 for item in sent)


async def test_in_the_organisation_language(harness: Harness, world: World) -> None:
    harness.services.settings = Settings(organisation=Organisation(locale="en"))

    await post_weekly_digest(harness.services)

    text = "\n".join(harness.platform.to("staff"))
    assert "Digest of the week from Monday 30 November 2026 to Sunday 6 December 2026" in text
    assert "Voters persuaded, estimated: 11 (+223%)." in text
