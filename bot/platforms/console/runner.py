"""Reads console lines, runs them as commands and prints every reply.

    [@name] [#space] command ...

`@name` acts as that person (default from config), `#space` types in a committee's space.
A line with only `@name` or `#space` changes who speaks or where, for the lines after it.
Lines starting with `#` followed by a space are comments; blank lines are skipped.

    :clock 2026-12-04T10:00+01:00

moves the console's clock to that moment and sends the reminders that became due, printed
like any message (a time without an offset is read in the organisation's timezone). It only
works when the clock is fixed (`[console] clock` in config.toml): the system clock cannot
be moved. At the end of a script, pending work (a reminders pass, what is due) is finished
before the console exits.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.platforms.console.port import NAME, ConsolePort
from commands.clock import FixedClock
from commands.dispatch import Dispatcher, Request
from commands.ports import Outgoing, Place
from commands.reminders import deliver_due

LOBBY = "#general"
CLOCK = ":clock"


@dataclass(frozen=True)
class ConsoleLine:
    user: str
    space: str
    command: str


def read_line(line: str, user: str, space: str) -> ConsoleLine | None:
    """Split the speaker and the place off a line; None for comments and blank lines."""
    text = line.strip()
    if not text or text == "#" or text.startswith("# "):
        return None
    words = text.split(maxsplit=1)
    while words and (words[0].startswith("@") or words[0].startswith("#")) and len(words[0]) > 1:
        if words[0].startswith("@"):
            user = words[0][1:]
        else:
            space = words[0]
        words = words[1].split(maxsplit=1) if len(words) > 1 else []
    return ConsoleLine(user, space, words[0] if len(words) == 1 else " ".join(words))


class ConsoleRunner:
    def __init__(
        self,
        dispatcher: Dispatcher,
        port: ConsolePort,
        *,
        user: str,
        staff: frozenset[str],
        stdin: TextIO | None = None,
        write: Callable[[str], None] | None = None,
        interactive: bool | None = None,
        settle: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.port = port
        self.user = user
        self.space = LOBBY
        self.staff = staff
        self.stdin = stdin or sys.stdin
        self.write = write or print
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self.settle = settle

    async def run(self) -> None:
        """Until the end of input (or quit, in a terminal)."""
        loop = asyncio.get_running_loop()
        if self.interactive:
            self.write("Comités console — help lists the commands, quit leaves.")
        while True:
            if self.interactive:
                sys.stdout.write(f"@{self.user} {self.space}> ")
                sys.stdout.flush()
            raw = await loop.run_in_executor(None, self.stdin.readline)
            if not raw:
                break
            if self.interactive and raw.strip() in ("quit", "exit"):
                break
            await self.run_line(raw)
        if not self.interactive and self.settle is not None:
            await self.settle()

    async def run_line(self, raw: str) -> None:
        parsed = read_line(raw, self.user, self.space)
        if parsed is None:
            return
        if not parsed.command:
            self.user, self.space = parsed.user, parsed.space
            return
        if not self.interactive:
            self.write(f"@{parsed.user} {parsed.space}> {parsed.command}")
        if parsed.command.split(maxsplit=1)[0] == CLOCK:
            await self.move_clock(parsed.command.removeprefix(CLOCK).strip())
            return
        request = Request(
            platform=NAME,
            user_id=parsed.user,
            place=Place(NAME, parsed.space),
            is_staff=parsed.user in self.staff,
        )
        outcome = await self.dispatcher.handle_line(request, parsed.command)
        for reply in outcome.replies:
            where = f"dm @{parsed.user}" if reply.private else parsed.space
            self.port.show(where, Outgoing(reply, outcome.locale))

    async def move_clock(self, text: str) -> None:
        """`:clock <moment>`: set the fixed clock, then send what became due."""
        services = self.dispatcher.services
        clock = services.clock
        if not isinstance(clock, FixedClock):
            self.write("[console] :clock needs a fixed clock: set [console] clock in"
                       " config.toml (e.g. clock = \"2026-12-02T15:00:00+01:00\")")
            return
        zone = ZoneInfo(services.settings.organisation.timezone)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.write(f"[console] :clock needs a date and time, e.g. {CLOCK}"
                       f" 2026-12-04T10:00+01:00 (got {text!r})")
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        clock.set(moment)
        self.write(f"[console] clock set to {moment.astimezone(zone):%a %Y-%m-%d %H:%M %z}")
        done = await deliver_due(services)
        self.write(f"[console] reminders: {len(done.sent)} sent, {len(done.skipped)} skipped"
                   + (f", {len(done.failed)} failed" if done.failed else ""))
