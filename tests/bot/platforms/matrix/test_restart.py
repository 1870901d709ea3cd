"""A restart on a real Synapse: the sync token in the database means nothing is replayed,
and what was typed while the bot was down runs exactly once, even past one sync's worth."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nio import RoomCreateResponse, RoomInviteResponse

from bot.app import App
from bot.platforms.matrix import client as matrix_client
from tests.bot.platforms.matrix.conftest import bot_config
from tests.bot.platforms.matrix.homeserver import Homeserver
from tests.bot.platforms.matrix.person import Person
from tests.bot.platforms.matrix.scene import ask, bot_id, direct_room, joined

# Settling time after the last answer, for an unwanted extra one to show up.
SETTLE = 1.0


async def test_a_restart_replays_nothing_and_runs_what_was_sent_meanwhile_once(
    homeserver: Homeserver, tmp_path: Path, password_in_env: None, alex: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = bot_config(homeserver, tmp_path / "comites.db")
    first = App(config, console=False)
    await first.start()
    try:
        dm = await direct_room(first, alex)
        await ask(first, alex, dm, "!help committee", "committee create")
        await ask(first, alex, dm, 'committee create "Quimper Sud" Quimper 29000',
                  "You are its lead")
    finally:
        await first.stop()

    # While the bot is down, more than one sync returns for a room (the limit made small).
    monkeypatch.setattr(matrix_client, "TIMELINE_LIMIT", 2)
    for line in ('committee create "Brest Centre" Brest 29200',
                 "!committee info brest-centre",
                 "!committee join brest-centre",
                 "committee list Brest"):
        await alex.say(dm, line)

    second = App(config, console=False)
    await second.start()
    try:
        assert second.services is not None
        await ask(second, alex, dm, "!help committee", "committee create")
        await asyncio.sleep(SETTLE)
        answers = [seen.body for seen in alex.notices(dm, bot_id(second))]
        audit = [entry.action for entry in await second.services.repos.audit.recent(limit=100)]
    finally:
        await second.stop()

    def count(text: str) -> int:
        return sum(text in answer for answer in answers)

    assert count("Committee Quimper Sud is created") == 1  # not replayed
    assert count("Committee Brest Centre is created") == 1  # sent while down: run once
    assert count("Your role: lead") == 1
    assert count("You are already a member of Brest Centre") == 1
    assert count("Brest Centre —") == 2  # in the info and in the list
    assert count("committee create <name>") == 2  # the help before and after, no more
    # In the order they were typed, the help last: the missed events came first, in order.
    order = [next(index for index, answer in enumerate(answers) if text in answer)
             for text in ("Committee Brest Centre is created", "Your role: lead",
                          "You are already a member", "Committees 1–1 of 1")]
    assert order == sorted(order)
    assert "committee create <name>" in answers[-1]
    assert audit.count("committee.create") == 2


async def test_the_history_of_a_room_the_bot_is_invited_to_is_not_run(
    bot: App, alex: Person
) -> None:
    created = await alex.client.room_create(name="Lobby")
    assert isinstance(created, RoomCreateResponse)
    lobby = str(created.room_id)
    await alex.say(lobby, '!committee create "Vannes Est" Vannes 56000')
    invited = await alex.client.room_invite(lobby, bot_id(bot))
    assert isinstance(invited, RoomInviteResponse)
    await joined(alex, lobby, bot_id(bot))

    await ask(bot, alex, lobby, '!committee create "Lorient Port" Lorient 56100', "created")

    assert [seen.body.split(",")[0] for seen in alex.notices(lobby, bot_id(bot))] == [
        "Committee Lorient Port is created"]
    assert bot.services is not None
    assert await bot.services.repos.committees.by_slug("vannes-est") is None
