"""Monday morning: the last week's digest goes to every staff destination, files attached."""

from __future__ import annotations

import pytest

from commands.digest import chart
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
    assert "lundi 30 novembre 2026" in text
    assert all(len(item.text) <= 1_900 for item in sent)


async def test_in_the_organisation_language(harness: Harness, world: World) -> None:
    harness.services.settings = Settings(organisation=Organisation(locale="en"))

    await post_weekly_digest(harness.services)

    text = "\n".join(harness.platform.to("staff"))
    assert "Digest of the week from Monday 30 November 2026 to Sunday 6 December 2026" in text
    assert "Voters persuaded, estimated: 11 (+223%)." in text


async def test_without_its_chart_the_digest_still_goes(
    harness: Harness, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("no fonts on this server")

    monkeypatch.setattr(chart, "draw", broken)

    await post_weekly_digest(harness.services)

    files = [item.reply.file.filename for item in harness.platform.sent if item.reply.file]
    assert files == ["digest-2026-11-30.csv"]
    assert any("lundi 30 novembre 2026" in text for text in harness.platform.to("staff"))
