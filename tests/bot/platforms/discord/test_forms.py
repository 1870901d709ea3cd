"""Forms: a button whose command misses options, or that names the options to ask for
(`Button.form`), opens a modal; submitting it runs the command with what was filled in.

Still to add once the report prompt's button carries its form (`commands/reminders.py`): the
scenario "the report prompt arrives, its button opens the report form for that kind of action,
and submitting it records the report", with the steps of the report test below.
"""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from commands.i18n import _
from commands.ports import Outgoing
from commands.reply import Button, Reply
from commands.reports.fields import names_of
from tests.bot.platforms.discord.conftest import Bots
from tests.bot.platforms.discord.fake_discord import GENERAL_ID, INES, FakeDiscord
from tests.bot.platforms.discord.helpers import (
    SLUG,
    STARTS,
    committee_channel,
    scheduled,
    services,
)


async def test_a_button_with_missing_options_opens_a_form_that_runs_the_command(
    fake: FakeDiscord, bot: App
) -> None:
    assert bot.discord is not None
    # Any message of the bot may carry such a button; here, one posted in #general.
    await bot.discord.port.post(str(GENERAL_ID), Outgoing(Reply(
        _("Start a local committee: no approval needed, you become its lead."),
        buttons=(Button("committee create", "committee create"),)), "fr"))
    [posted] = fake.calls("POST", rf"/channels/{GENERAL_ID}/messages")
    message_id = next(m for m, found in fake.messages.items()
                      if found["channel_id"] == str(GENERAL_ID))
    [button] = posted.body["components"][0]["components"]
    assert button["custom_id"] == "c:committee create"

    click = await fake.click(INES, message_id, button["custom_id"])

    opened = (await fake.answer_to(click)).body
    assert opened["type"] == 9  # a modal
    form = opened["data"]
    assert form["custom_id"] == "f:committee create"
    assert form["title"] == "committee create"
    inputs = [label["component"] for label in form["components"]]
    assert [label["type"] for label in form["components"]] == [18] * 4
    assert [i["custom_id"] for i in inputs] == ["name", "place", "postal_code", "description"]
    assert [i["required"] for i in inputs] == [True, True, True, False]
    # Described in the person's language (the interaction's locale is French).
    assert form["components"][2]["description"] == "son code postal, par ex. 69004"

    submitted = await fake.submit(INES, form["custom_id"], {
        "name": "Lyon Croix-Rousse", "place": "Lyon", "postal_code": "69004",
        "description": ""}, message_id=message_id)

    answer = (await fake.answer_to(submitted)).body
    assert answer["type"] == 4
    assert "Lyon Croix-Rousse" in answer["data"]["content"]
    committee = await services(bot).repos.committees.by_slug(SLUG)
    assert committee is not None
    assert committee.place == "Lyon"
    assert any(found["name"] == SLUG for found in fake.channels.values())


async def test_a_form_is_read_from_its_submission_alone(fake: FakeDiscord, bot: App) -> None:
    # Nothing about a form lives in memory: its custom id carries the command.
    submitted = await fake.submit(INES, "f:committee create", {
        "name": "Lyon Croix-Rousse", "place": "Lyon", "postal_code": "69004"})
    answer = (await fake.answer_to(submitted)).body
    assert "Lyon Croix-Rousse" in answer["data"]["content"]
    assert await services(bot).repos.committees.by_slug(SLUG) is not None


async def test_a_report_form_asks_for_what_the_kind_of_action_counts(
    fake: FakeDiscord, bots: Bots
) -> None:
    app = await bots.start()
    channel_id = await committee_channel(fake)
    await scheduled(fake, channel_id)  # leafleting
    bots.clock.set(STARTS + timedelta(hours=3))
    assert app.discord is not None
    asked = (*names_of("leafleting"), "notes")
    await app.discord.port.post(str(channel_id), Outgoing(Reply(
        "…", buttons=(Button("report", "report 1", form=asked),)), "fr"))
    message_id = max(m for m, found in fake.messages.items()
                     if found["channel_id"] == str(channel_id))
    [button] = fake.messages[message_id]["components"][0]["components"]

    click = await fake.click(INES, message_id, button["custom_id"])

    form = (await fake.answer_to(click)).body["data"]
    inputs = [label["component"]["custom_id"] for label in form["components"]]
    assert inputs == ["attendees", "leaflets", "conversations", "notes"]
    submitted = await fake.submit(INES, form["custom_id"], {
        "attendees": "6", "leaflets": "1200", "conversations": "40",
        "notes": "Bon accueil au marché"}, channel=channel_id, message_id=message_id)
    answer = (await fake.answer_to(submitted)).body
    assert answer["data"]["flags"] & 64
    filed = await services(app).repos.reports.for_action(1)
    assert filed is not None
    assert filed.figures == {"attendees": 6, "leaflets": 1200, "conversations": 40}
    assert filed.notes == "Bon accueil au marché"
