"""The digest's text fits every platform: cut between blocks, never past the limit."""

from __future__ import annotations

from commands.digest.figures import PeriodKind, choose_period, compute
from commands.digest.text import LIMIT, Change, blocks, full_text, pack, text_replies
from commands.i18n import RenderContext, render
from tests.commands.digest.world import NOW, World
from tests.conftest import Harness


def test_changes_read_as_people_write_them() -> None:
    en, fr = RenderContext("en"), RenderContext("fr")

    assert Change(12, 10).render(en) == "+20%"
    assert Change(12, 10).render(fr) == "+20\u00a0%"
    assert Change(5, 10).render(en) == "-50%"
    assert Change(3, 3).render(en) == "unchanged"
    assert Change(3, 0).render(en) == "none before"
    assert Change(0, 0).render(en) == "unchanged"


async def test_each_reply_fits_and_nothing_is_lost(harness: Harness, world: World) -> None:
    digest = await compute(harness.repos, harness.services.settings,
                           period=choose_period(PeriodKind.WEEK, NOW, "Europe/Paris"), now=NOW)
    ctx = RenderContext("en")
    whole = render(full_text(digest), ctx)

    for limit in (LIMIT, 600, 200):
        pieces = [render(piece, ctx) for piece in pack(blocks(digest), "en", limit)]
        assert all(len(piece) <= limit for piece in pieces)
        # The words, in order, with nothing dropped or repeated (a line too long for the
        # limit is cut between words).
        assert " ".join(pieces).split() == whole.split()
    assert len(pack(blocks(digest), "en", 200)) > len(pack(blocks(digest), "en", LIMIT))


async def test_blocks_stay_whole_when_they_fit(harness: Harness, world: World) -> None:
    digest = await compute(harness.repos, harness.services.settings,
                           period=choose_period(PeriodKind.WEEK, NOW, "Europe/Paris"), now=NOW)
    ctx = RenderContext("en")
    found = blocks(digest)
    limit = max(len(render("\n".join(render(line, ctx) for line in block), ctx))
                for block in found)

    pieces = [render(piece, ctx) for piece in pack(found, "en", limit)]

    firsts = {render(block[0], ctx) for block in found}
    for piece in pieces:
        assert piece.splitlines()[0] in firsts  # every reply starts with a block's heading


async def test_replies_are_private_or_not_as_asked(harness: Harness, world: World) -> None:
    digest = await compute(harness.repos, harness.services.settings,
                           period=choose_period(PeriodKind.WEEK, NOW, "Europe/Paris"), now=NOW)

    assert all(reply.private for reply in text_replies(digest, "fr", private=True))
    assert not any(reply.private for reply in text_replies(digest, "fr", private=False))
