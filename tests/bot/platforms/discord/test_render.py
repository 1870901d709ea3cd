"""Replies longer than a Discord message: split between lines, buttons on the last part."""

from __future__ import annotations

from bot.platforms.discord.render import CONTENT_LIMIT, split_text


def test_a_long_text_is_cut_between_lines_and_nothing_is_lost() -> None:
    text = "\n".join(f"• committee number {n}, a few words about it" for n in range(200))
    pieces = split_text(text, CONTENT_LIMIT)
    assert len(pieces) > 1
    assert all(len(piece) <= CONTENT_LIMIT for piece in pieces)
    assert "\n".join(pieces) == text


def test_a_single_line_longer_than_a_message_is_cut_inside() -> None:
    pieces = split_text("x" * 4500, CONTENT_LIMIT)
    assert [len(piece) for piece in pieces] == [2000, 2000, 500]
