"""Private messages, and what the committee's space sees when one cannot be delivered."""

from __future__ import annotations

from commands.notify import send_direct
from commands.reply import Reply
from tests.conftest import Harness


async def _lyon(harness: Harness) -> None:
    await harness.ok("ines", 'committee create "Lyon Croix-Rousse" Lyon 69004')
    await harness.ok("marc", "committee join lyon-croix-rousse")
    harness.platform.sent.clear()


async def test_a_private_message_goes_to_the_person(harness: Harness) -> None:
    await _lyon(harness)
    marc = await harness.repos.users.find("test", "marc")
    committee = await harness.repos.committees.by_slug("lyon-croix-rousse")
    assert marc is not None
    assert committee is not None
    assert await send_direct(harness.services, marc, Reply("door code 4521"), committee)
    assert harness.platform.to("dm:marc") == ["door code 4521"]


async def test_closed_direct_messages_never_put_the_private_text_in_the_space(
    harness: Harness,
) -> None:
    await _lyon(harness)
    harness.platform.direct_closed.add("marc")
    marc = await harness.repos.users.find("test", "marc")
    committee = await harness.repos.committees.by_slug("lyon-croix-rousse")
    assert marc is not None
    assert committee is not None
    assert await send_direct(harness.services, marc, Reply("door code 4521"), committee)
    [note] = [sent for sent in harness.platform.sent if sent.where == "space-lyon-croix-rousse"]
    assert "4521" not in note.text
    assert note.ping == ("marc",)


async def test_a_public_version_is_used_when_given(harness: Harness) -> None:
    await _lyon(harness)
    harness.platform.direct_closed.add("marc")
    marc = await harness.repos.users.find("test", "marc")
    committee = await harness.repos.committees.by_slug("lyon-croix-rousse")
    assert marc is not None
    assert committee is not None
    await send_direct(harness.services, marc, Reply("door code 4521"), committee,
                      public=Reply("A place freed up for you: action info 1"))
    assert harness.platform.to("space-lyon-croix-rousse") == [
        "A place freed up for you: action info 1"
    ]
