"""Messages and reactions in, commands run, replies out.

In a room, a command starts with the prefix (`!` by default); in a direct room with only the
bot and one person, the prefix may be left out. In a shared room, words that are not one of
our commands are left alone: another bot may answer to `!` too. A reaction under an action
card is the same `action rsvp` command a person could type. A file goes with a command that
takes one (`!material share`) when the command is its caption, or a reply to it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from nio import AsyncClient, RoomGetEventResponse

from bot.config import MatrixConfig
from bot.platforms.matrix import media
from bot.platforms.matrix.api import MatrixError
from bot.platforms.matrix.cards import Cards
from bot.platforms.matrix.messages import Messenger
from bot.platforms.matrix.render import HTML_FORMAT, NAME
from bot.platforms.matrix.rooms import Rooms
from bot.platforms.matrix.state import MatrixState
from commands.dispatch import Dispatcher, Request
from commands.errors import UserError
from commands.files import Incoming
from commands.parser import Parsed, clean_line, parse
from commands.ports import Outgoing, Place
from commands.reply import Reply
from commands.spec import Kind, Registry
from storage.users import User

log = logging.getLogger(__name__)


class MatrixCommands:
    def __init__(self, dispatcher: Dispatcher, client: AsyncClient, config: MatrixConfig,
                 state: MatrixState, rooms: Rooms, messenger: Messenger, cards: Cards) -> None:
        self._dispatcher = dispatcher
        self._client = client
        self._config = config
        self._state = state
        self._rooms = rooms
        self._messenger = messenger
        self._cards = cards

    @property
    def _registry(self) -> Registry:
        return self._dispatcher.services.registry

    async def on_message(self, room_id: str, sender: str, event_id: str,
                         content: dict[str, Any]) -> None:
        """A text, or a file whose caption is a command (the file goes with it)."""
        sent = media.incoming_file(content)
        if sent is not None:
            body = media.caption(content)
            if body is None:
                return
        else:
            body = str(content.get("body") or "")
        formatted = content.get("formatted_body") if content.get("format") == HTML_FORMAT else None
        text = command_text(body, formatted if isinstance(formatted, str) else None)
        direct = await self._rooms.is_direct(room_id)
        line = self._command_line(text, direct)
        if line is None:
            return
        replied = ((content.get("m.relates_to") or {}).get("m.in_reply_to") or {}).get("event_id")
        files = _Files(sent, room_id, replied if isinstance(replied, str) else None)
        await self._run(room_id, sender, event_id, line, direct, files)

    async def on_reaction(self, room_id: str, sender: str, event_id: str, reacts_to: str,
                          key: str) -> None:
        found = await self._cards.command_for_reaction(reacts_to, key)
        if found is None:
            return
        card, line = found
        await self._run(card.room_id, sender, event_id, line, direct=False)

    def _command_line(self, text: str, direct: bool) -> str | None:
        stripped = text.strip()
        prefix = self._config.command_prefix
        if stripped.startswith(prefix):
            line = stripped[len(prefix):].lstrip()
        elif direct:
            line = stripped
        else:
            return None
        if not direct and not self._is_ours(line):
            return None
        return line

    def _is_ours(self, line: str) -> bool:
        words = line.split(maxsplit=1)
        if not words:
            return False
        first = words[0].lower()
        return self._registry.get((first,)) is not None or bool(self._registry.under((first,)))

    async def _run(self, room_id: str, sender: str, event_id: str, line: str,
                   direct: bool, files: _Files | None = None) -> None:
        # Marked before it runs: after a crash a command is lost rather than run twice.
        if await self._state.was_handled(event_id):
            return
        await self._state.mark_handled(event_id)
        parsed = self._parsed(line)
        request = Request(
            platform=NAME,
            user_id=sender,
            place=Place(NAME, room_id, direct),
            is_staff=sender in self._config.staff_user_ids,
            attachments=await self._attachments(parsed, sender, files),
        )
        outcome = await self._dispatcher.handle_line(request, line)
        for reply in outcome.replies:
            await self._answer(room_id, sender, direct, reply, outcome.locale)
        if outcome.replies and not any(reply.error for reply in outcome.replies):
            action_id = _action_named(parsed)
            if action_id is not None:
                await self._cards.refresh(action_id)

    async def _answer(self, room_id: str, sender: str, direct: bool, reply: Reply,
                      locale: str) -> None:
        if reply.private and not direct:
            private_room = await self._rooms.direct_room(sender)
            if private_room is not None:
                self._messenger.send(private_room, Outgoing(reply, locale), public=False)
                return
            # Nowhere private to answer: answer here, for the person alone to be notified.
            person = await self._dispatcher.services.repos.users.find(NAME, sender)
            ping: tuple[User, ...] = (person,) if person else ()
            self._messenger.send(room_id, Outgoing(reply, locale, ping), public=False)
            return
        self._messenger.send(room_id, Outgoing(reply, locale), public=not direct)

    def _parsed(self, line: str) -> Parsed | None:
        try:
            parsed = parse(self._registry, clean_line(line))
        except UserError:
            return None  # the dispatcher says what is wrong
        return parsed if isinstance(parsed, Parsed) else None

    async def _attachments(self, parsed: Parsed | None, sender: str,
                           files: _Files | None) -> tuple[Incoming, ...]:
        """The file sent with the command (as its caption, or replied to), for a command
        that takes one; only then is it downloaded."""
        if parsed is None or parsed.spec.files == 0 or files is None:
            return ()
        found = files.sent or await self._replied_file(files.room_id, files.replied_to, sender)
        if found is None:
            return ()
        try:
            return (await media.download(self._client, found),)
        except MatrixError as error:
            log.warning("a file sent with a command could not be read: %s", error)
            return ()

    async def _replied_file(self, room_id: str, event_id: str | None,
                            sender: str) -> media.IncomingFile | None:
        if event_id is None:
            return None
        response = await self._client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            log.info("the message replied to is not readable: %s", response)
            return None
        source = response.event.source
        if source.get("sender") != sender:
            return None  # only one's own file goes with one's command
        return media.incoming_file(source.get("content") or {})


@dataclass(frozen=True)
class _Files:
    """Where a command's file may be: sent with it, or in the message it replies to."""

    sent: media.IncomingFile | None
    room_id: str
    replied_to: str | None


def _action_named(parsed: Parsed | None) -> int | None:
    """The action a command was about, so its cards can be brought up to date."""
    if parsed is None:
        return None
    option = parsed.spec.option_of(Kind.ACTION)
    raw = parsed.raw.get(option.name, "") if option else ""
    text = raw.strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


# --- Reading what was typed -----------------------------------------------------------------

_REPLY_FALLBACK = re.compile(r"\A(?:> [^\n]*\n)+\n", re.MULTILINE)
_MX_REPLY = re.compile(r"<mx-reply>.*?</mx-reply>", re.DOTALL | re.IGNORECASE)
_PERMALINK = re.compile(r"^https://matrix\.to/#/((?:@|%40)[^/?]+)")
_PERMALINK_IN = re.compile(r"matrix\.to/#/(?:@|%40)")


def command_text(body: str, formatted: str | None) -> str:
    """What the person typed: mentions as user ids, without the quote of a replied message.

    Clients write a mention as the person's display name in `body` and as a link in the
    HTML: the HTML is read when it holds a mention, so the command gets the user id.
    """
    if formatted and _PERMALINK_IN.search(formatted):
        return _HtmlText.of(_MX_REPLY.sub("", formatted))
    return _REPLY_FALLBACK.sub("", body, count=1)


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._link_user: list[str | None] = []

    @classmethod
    def of(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return "".join(parser.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            found = _PERMALINK.match(dict(attrs).get("href") or "")
            user = found[1] if found else None
            self._link_user.append(user)
            if user is not None:
                self.parts.append(unquote(user))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link_user:
            self._link_user.pop()
        elif tag in ("p", "div", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._link_user and self._link_user[-1] is not None:
            return  # the display name, replaced by the user id
        self.parts.append(data)
