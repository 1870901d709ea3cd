"""A reply as a Matrix message: an `m.notice` whose HTML escapes every piece of user text.

The reply is rendered to plain text first (names, descriptions, titles are inside it), and
that text is escaped as a whole; only then are the bot's own bits of markup added: mention
links, line breaks, quotes and the list of commands that stand for the reply's buttons.
Mentions are swapped for unguessable placeholders while rendering, so that they survive the
escaping as links without letting user text forge one.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from commands.i18n import RenderContext, _, render
from commands.reply import Reply

NAME = "matrix"
HTML_FORMAT = "org.matrix.custom.html"

# The reactions put under an action card, and what each answers.
RSVP_REACTIONS = (("going", "✅"), ("maybe", "🤔"), ("no", "❌"))
_ANSWERS = {"✅": "going", "✔": "going", "👍": "going", "🤔": "maybe", "❌": "no", "✖": "no",
            "👎": "no"}
_RSVP = re.compile(r"^action rsvp (\d+) (going|maybe|no)$")


def matrix_to(user_id: str) -> str:
    return "https://matrix.to/#/" + quote(user_id, safe="@:")


@dataclass
class _Mentions:
    """Hands out a placeholder per Matrix mention while a reply is rendered."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    people: list[str] = field(default_factory=list)

    def __call__(self, platform: str, platform_user_id: str) -> str:
        if platform != NAME:
            return platform_user_id
        self.people.append(platform_user_id)
        return f"\ue000{self.nonce}.{len(self.people) - 1}\ue001"

    def pattern(self) -> re.Pattern[str]:
        return re.compile("\ue000" + self.nonce + r"\.(\d+)\ue001")


@dataclass(frozen=True)
class Rendered:
    body: str
    html: str

    def content(self, ping: tuple[str, ...] = ()) -> dict[str, Any]:
        body, formatted = self.body, self.html
        if ping:
            body = " ".join(ping) + " " + body
            formatted = " ".join(_link(user) for user in ping) + " " + formatted
        return {
            "msgtype": "m.notice",
            "body": body,
            "format": HTML_FORMAT,
            "formatted_body": formatted,
            # Present, and listing only who the message is meant for: the server then notifies
            # nobody else, even when a name appears in the text.
            "m.mentions": {"user_ids": list(ping)} if ping else {},
        }


def render_reply(reply: Reply, locale: str, prefix: str, *, reactions: bool = False) -> Rendered:
    """`reactions`: the card of an action will carry the RSVP reactions, so say so."""
    mentions = _Mentions()
    text = render(reply.text, RenderContext(locale, mentions))
    pattern = mentions.pattern()
    body = pattern.sub(lambda found: mentions.people[int(found[1])], text)
    formatted = pattern.sub(lambda found: _link(mentions.people[int(found[1])]),
                            _lines_html(text))
    if reply.buttons:
        plain_ctx = RenderContext(locale)
        items = []
        body_lines = [body]
        if reactions and card_action(reply) is not None:
            hint = render(_("Answer with a reaction: ✅ going, 🤔 maybe, ❌ not going. Or type:"),
                          plain_ctx)
            body_lines.append(hint)
            formatted += f"<p>{html.escape(hint)}</p>"
        for button in reply.buttons:
            label = render(button.label, plain_ctx)
            command = f"{prefix}{button.command}"
            body_lines.append(f"• {label}: {command}")
            items.append(f"<li>{html.escape(label)}: <code>{html.escape(command)}</code></li>")
        body = "\n".join(body_lines)
        formatted += "<ul>" + "".join(items) + "</ul>"
    return Rendered(body, formatted)


def _link(user_id: str) -> str:
    return f'<a href="{html.escape(matrix_to(user_id))}">{html.escape(user_id)}</a>'


def _lines_html(text: str) -> str:
    """Escaped text with its line breaks, and `> ` lines (a quoted charter) as a quote."""
    parts: list[str] = []
    quoted: list[str] = []
    for line in text.split("\n"):
        if line.startswith("> "):
            quoted.append(html.escape(line[2:]))
            continue
        if quoted:
            parts.append("<blockquote>" + "<br>".join(quoted) + "</blockquote>")
            quoted = []
        parts.append(html.escape(line) + "<br>")
    if quoted:
        parts.append("<blockquote>" + "<br>".join(quoted) + "</blockquote>")
    return "".join(parts).removesuffix("<br>")


def card_action(reply: Reply) -> int | None:
    """The action a reply is the card of: it offers the three RSVP answers as buttons."""
    answers: dict[int, set[str]] = {}
    for button in reply.buttons:
        found = _RSVP.match(button.command)
        if found:
            answers.setdefault(int(found[1]), set()).add(found[2])
    for action_id, given in answers.items():
        if given == {"going", "maybe", "no"}:
            return action_id
    return None


def answer_of(key: str) -> str | None:
    """The RSVP answer a reaction stands for (with or without the emoji variation mark)."""
    return _ANSWERS.get(key.replace("\ufe0f", "").strip())


def rsvp_command(action_id: int, answer: str) -> str:
    return f"action rsvp {action_id} {answer}"


def reaction_content(event_id: str, key: str) -> dict[str, Any]:
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}


def edit_content(event_id: str, content: dict[str, Any]) -> dict[str, Any]:
    """An `m.replace` edit of one of the bot's messages; `* ` marks the fallback as an edit."""
    return {
        "msgtype": content["msgtype"],
        "body": "* " + content["body"],
        "format": HTML_FORMAT,
        "formatted_body": "* " + content["formatted_body"],
        "m.new_content": content,
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        "m.mentions": {},
    }
