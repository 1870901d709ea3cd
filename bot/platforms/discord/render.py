"""A reply as Discord messages: text, an embed for an action card, buttons, a file.

Every message allows no mention at all, except the people a message is meant to ping
(`Outgoing.ping`, reminders): their mentions are written at the start and allowed alone.
So `@everyone` typed into a committee's description, or a name in an attendee list, pings
nobody.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import discord
from discord.utils import format_dt

from bot.platforms.discord.buttons import CommandButton, CustomIds
from bot.platforms.discord.translator import shorten
from bot.platforms.discord.users import NAME, mention
from commands.i18n import RenderContext, render
from commands.reply import ActionCard, Button, ButtonStyle, Reply, split_card
from storage.users import User

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
BUTTONS_LIMIT = 25
LABEL_LIMIT = 80
# Discord refuses a message with nothing in it.
EMPTY = "…"

STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


@dataclass
class Message:
    """One Discord message, ready to send, edit or answer an interaction with."""

    content: str
    private: bool = False
    embeds: list[discord.Embed] = field(default_factory=list)
    buttons: list[CommandButton] = field(default_factory=list)
    file: tuple[str, bytes] | None = None
    pinged: tuple[int, ...] = ()
    card: ActionCard | None = None

    @property
    def allowed_mentions(self) -> discord.AllowedMentions:
        if not self.pinged:
            return discord.AllowedMentions.none()
        return discord.AllowedMentions(
            everyone=False, roles=False, replied_user=False,
            users=[discord.Object(user_id) for user_id in self.pinged],
        )

    def view(self) -> discord.ui.View | None:
        if not self.buttons:
            return None
        view = discord.ui.View(timeout=None)
        for button in self.buttons:
            view.add_item(button)
        # Nothing to remember in memory: every click is routed by its custom id.
        view.stop()
        return view

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `send`, `send_message` and `followup.send`."""
        kwargs: dict[str, Any] = {"content": self.content or None,
                                  "allowed_mentions": self.allowed_mentions}
        if self.embeds:
            kwargs["embeds"] = self.embeds
        view = self.view()
        if view is not None:
            kwargs["view"] = view
        if self.file is not None:
            name, data = self.file
            kwargs["file"] = discord.File(io.BytesIO(data), filename=name)
        return kwargs


class Renderer:
    def __init__(self, custom_ids: CustomIds) -> None:
        self.custom_ids = custom_ids

    async def messages(
        self, reply: Reply, locale: str, ping: tuple[User, ...] = ()
    ) -> list[Message]:
        """The reply as one message, or several when its text is longer than Discord takes."""
        ctx = RenderContext(locale, mention)
        card, rest = split_card(reply.text)
        content = render(rest, ctx).strip()
        pinged = tuple(dict.fromkeys(int(user.platform_user_id) for user in ping
                                     if user.platform == NAME))
        if pinged:
            content = " ".join(f"<@{user_id}>" for user_id in pinged) + (
                "\n" + content if content else "")
        chunks = split_text(content, CONTENT_LIMIT)
        last = Message(
            chunks[-1],
            private=reply.private,
            embeds=[card_embed(card, ctx)] if card is not None else [],
            buttons=await self.buttons(reply.buttons, ctx),
            file=(reply.file.filename, reply.file.data) if reply.file is not None else None,
            pinged=pinged,
            card=card,
        )
        if not last.content and (last.embeds or last.file):
            last.content = ""
        elif not last.content:
            last.content = EMPTY
        leading = [Message(chunk, private=reply.private, pinged=pinged) for chunk in chunks[:-1]]
        return [*leading, last]

    async def buttons(self, buttons: tuple[Button, ...], ctx: RenderContext) -> list[CommandButton]:
        made: list[CommandButton] = []
        seen: set[str] = set()
        for button in buttons[:BUTTONS_LIMIT]:
            custom_id = await self.custom_ids.button(button.command, button.form)
            if custom_id in seen:  # Discord refuses two components with one id
                continue
            seen.add(custom_id)
            label = shorten(render(button.label, ctx), LABEL_LIMIT) or button.command[:LABEL_LIMIT]
            made.append(CommandButton.make(custom_id, label, STYLES[button.style]))
        return made


def card_embed(card: ActionCard, ctx: RenderContext) -> discord.Embed:
    """Times as Discord timestamps: each reader sees them in their own zone."""
    end_style: Literal["t", "F"] = "t" if card.ends_at - card.starts_at < timedelta(
        hours=20) else "F"
    when = (f"{format_dt(card.starts_at, 'F')} – {format_dt(card.ends_at, end_style)}"
            f" ({format_dt(card.starts_at, 'R')})")
    if card.cancelled:
        when = f"~~{when}~~"
    body = [render(part, ctx) for part in card.body]
    embed = discord.Embed(
        title=shorten(render(card.title, ctx), TITLE_LIMIT),
        description=shorten_lines([when, *body], DESCRIPTION_LIMIT),
        colour=discord.Colour.light_grey() if card.cancelled else discord.Colour.green(),
    )
    embed.set_footer(text=shorten(render(card.footer, ctx), FOOTER_LIMIT))
    return embed


def shorten_lines(parts: list[str], limit: int) -> str:
    text = "\n".join(part for part in parts if part)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut between lines when a line allows it."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
