"""Replies as Matrix messages, and typed messages as commands: no homeserver needed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.platforms.matrix.commands import command_text
from bot.platforms.matrix.render import (
    answer_of,
    card_action,
    edit_content,
    render_reply,
)
from commands.i18n import _, lines, mention
from commands.reply import Button, Reply
from storage.users import User

MARC = User(id=2, platform="matrix", platform_user_id="@marc:example.org", locale=None,
            created_at=datetime(2026, 12, 1, tzinfo=UTC))
CARD_BUTTONS = (Button(_("Going"), "action rsvp 7 going"),
                Button(_("Maybe"), "action rsvp 7 maybe"),
                Button(_("Not going"), "action rsvp 7 no"))


def test_user_text_is_escaped_and_only_the_bots_markup_is_html() -> None:
    text = _("{name} is updated.").format(name='<img src=x onerror="alert(1)"> & <b>')
    rendered = render_reply(Reply(lines(text, "> quoted <i>charter</i>")), "en", "!")
    assert rendered.body == ('<img src=x onerror="alert(1)"> & <b> is updated.\n'
                             "> quoted <i>charter</i>")
    assert rendered.html == ("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt; is"
                             " updated.<br><blockquote>quoted &lt;i&gt;charter&lt;/i&gt;"
                             "</blockquote>")


def test_a_mention_is_a_link_that_notifies_nobody_and_cannot_be_forged() -> None:
    forged = "\ue000deadbeef.0\ue001"
    text = _("{who} joined the committee. Welcome!").format(who=mention(MARC))
    content = render_reply(Reply(lines(text, forged)), "en", "!").content()
    assert content["body"].startswith("@marc:example.org joined")
    assert content["formatted_body"].startswith(
        '<a href="https://matrix.to/#/@marc:example.org">@marc:example.org</a> joined')
    assert forged in content["body"]
    assert forged in content["formatted_body"]
    assert content["m.mentions"] == {}
    assert content["msgtype"] == "m.notice"


def test_a_ping_names_the_person_and_notifies_only_them() -> None:
    content = render_reply(Reply("Reminder"), "en", "!").content(("@marc:example.org",))
    assert content["body"] == "@marc:example.org Reminder"
    assert content["m.mentions"] == {"user_ids": ["@marc:example.org"]}


def test_buttons_become_commands_to_copy_and_a_card_says_reactions_answer() -> None:
    card = Reply("Leafleting: Marché", buttons=CARD_BUTTONS)
    assert card_action(card) == 7
    shown = render_reply(card, "en", "?", reactions=True)
    assert "• Going: ?action rsvp 7 going" in shown.body
    assert "<li>Not going: <code>?action rsvp 7 no</code></li>" in shown.html
    assert "Answer with a reaction: ✅ going" in shown.body
    private = render_reply(card, "en", "!")
    assert "reaction" not in private.body
    assert card_action(Reply("x", buttons=CARD_BUTTONS[:1])) is None


def test_reactions_map_to_answers() -> None:
    assert answer_of("✅") == "going"
    assert answer_of("✔️") == "going"
    assert answer_of("🤔") == "maybe"
    assert answer_of("❌") == "no"
    assert answer_of("🎉") is None


def test_an_edit_replaces_the_card_with_a_fallback_marked_as_edit() -> None:
    content = render_reply(Reply("Going: 1"), "en", "!").content()
    edit = edit_content("$card", content)
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$card"}
    assert edit["m.new_content"] == content
    assert edit["body"] == "* Going: 1"


def test_a_mention_typed_as_a_pill_reaches_the_command_as_a_user_id() -> None:
    html = ('!committee promote <a href="https://matrix.to/#/%40marc%3Aexample.org">Marc'
            " D.</a> lyon")
    assert command_text("!committee promote Marc D. lyon", html) == (
        "!committee promote @marc:example.org lyon")
    assert command_text("!help", None) == "!help"


def test_the_quote_of_a_replied_message_is_not_part_of_the_command() -> None:
    body = "> <@alex:example.org> schedule something\n> second line\n\n!action list"
    assert command_text(body, None) == "!action list"
    html = ("<mx-reply><blockquote>quoted <a href=\"https://matrix.to/#/@alex:example.org\">"
            "Alex</a></blockquote></mx-reply>!committee promote "
            '<a href="https://matrix.to/#/@marc:example.org">Marc</a>')
    assert command_text("ignored", html) == "!committee promote @marc:example.org"
