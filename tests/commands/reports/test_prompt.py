"""The report prompt (30 minutes after the end) asks for `report <id>`, with this kind's
fields, and its button leads to them."""

from __future__ import annotations

from datetime import timedelta

from commands.reminders import deliver_due
from tests.commands.committees.helpers import ok
from tests.commands.reports.helpers import ENDS, SPACE, lyon, schedule
from tests.conftest import Harness


async def test_the_prompt_shows_the_fields_of_the_kind_and_its_button_works(
    harness: Harness,
) -> None:
    await lyon(harness)
    action = await schedule(harness, "phone_bank", "Appels")
    harness.clock.set(ENDS + timedelta(minutes=30))
    harness.platform.sent.clear()

    await deliver_due(harness.services)

    [prompt] = harness.platform.sent
    assert prompt.where == SPACE
    assert f"Leads, tell us how it went: report {action.id}" in prompt.text
    assert (f"For example: report {action.id} attendees=6 calls_made=150 calls_answered=60"
            " conversations=30") in prompt.text
    assert "arrives soon" not in prompt.text
    [button] = prompt.reply.buttons
    assert button.command == f"report {action.id}"

    said = await ok(harness, "ines", button.command, space=SPACE)

    assert said.text.startswith("No report yet for phone bank “Appels”.")
