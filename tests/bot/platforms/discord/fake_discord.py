"""A small Discord on loopback for the real discord.py client: REST under /api/v10 and a
gateway websocket. It records every request, keeps channels and messages, pushes gateway
events (interactions included), answers a request with a 429 when told, and asks the client
to reconnect (op 7) to test resuming.

    fake = FakeDiscord()
    await fake.start()          # discord.py's Route.BASE and DEFAULT_GATEWAY now point here
    interaction = await fake.slash(INES, "committee create", name=..., place=..., ...)
    answer = await fake.answer_to(interaction)
    await fake.stop()           # and they point at Discord again
"""
from __future__ import annotations

import asyncio
import re
from typing import Any

import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.bot.platforms.discord import payloads
from tests.bot.platforms.discord.fake_gateway import Gateway
from tests.bot.platforms.discord.fake_rest import Rest
from tests.bot.platforms.discord.fake_state import (
    APP_ID,
    BOT_ID,
    CHLOE,
    EPHEMERAL,
    GENERAL_ID,
    GUILD_ID,
    INES,
    MARC,
    STAFF_CHANNEL_ID,
    STAFF_ROLE_ID,
    Failure,
    Recorded,
    Upload,
)

__all__ = [
    "APP_ID", "BOT_ID", "CHLOE", "EPHEMERAL", "GENERAL_ID", "GUILD_ID", "INES", "MARC",
    "STAFF_CHANNEL_ID", "STAFF_ROLE_ID", "FakeDiscord", "Recorded", "Upload",
]


class FakeDiscord(Gateway, Rest):
    # --- Life ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{filename}", self._cdn)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = f"http://127.0.0.1:{self.port}/api/v10"
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    async def stop(self) -> None:
        if self._saved is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- What the tests look at -----------------------------------------------------------

    def calls(self, method: str, pattern: str, *, succeeded: bool = False) -> list[Recorded]:
        """Requests made so far whose path matches `pattern` entirely (answered 2xx only,
        when `succeeded`)."""
        regex = re.compile(pattern)
        return [r for r in self.requests if r.method == method and regex.fullmatch(r.path)
                and (not succeeded or r.status < 300)]

    async def wait_for(
        self, method: str, pattern: str, *, count: int = 1, within: float = 5.0,
        succeeded: bool = False,
    ) -> list[Recorded]:
        def found() -> list[Recorded]:
            return self.calls(method, pattern, succeeded=succeeded)

        async def enough() -> list[Recorded]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(found()) >= count)
            return found()

        try:
            return await asyncio.wait_for(enough(), within)
        except TimeoutError:
            seen = "\n".join(f"  {r.method} {r.path} {r.status}" for r in self.requests)
            raise AssertionError(f"no {count} × {method} {pattern} in time; seen:\n{seen}"
                                 ) from None

    def fail_next(self, method: str, pattern: str, *, status: int = 429,
                  retry_after: float = 0.2, times: int = 1) -> None:
        """Answer the next matching request(s) with an error (a rate limit by default)."""
        self.failures.append(Failure(method, re.compile(pattern), status, retry_after, times))

    # --- Interactions the tests push -----------------------------------------------------

    def command_data(self, path: str, options: dict[str, Any]) -> dict[str, Any]:
        """`data` of a slash command, by its path ("committee create") and option values
        (an `Upload` for an attachment option)."""
        words = path.split()
        resolved: dict[str, dict[str, Any]] = {}
        leaf = []
        for name, value in options.items():
            if isinstance(value, Upload):
                attachment_id = str(self.new_id())
                self.uploads[attachment_id] = value
                url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{value.filename}"
                resolved[attachment_id] = {
                    "id": attachment_id, "filename": value.filename, "size": len(value.data),
                    "url": url, "proxy_url": url, "content_type": value.content_type}
                leaf.append({"name": name, "type": 11, "value": attachment_id})
            else:
                leaf.append({"name": name, "type": _option_type(value), "value": value})
        for word in reversed(words[1:]):
            leaf = [{"name": word, "type": 1, "options": leaf}]
        found = next((c for scope in self.commands.values() for c in scope
                      if c["name"] == words[0]), None)
        assert found is not None, f"/{words[0]} was never synced"
        data = {"id": found["id"], "name": words[0], "type": 1, "options": leaf}
        if resolved:
            data["resolved"] = {"attachments": resolved}
        if found.get("guild_id"):
            data["guild_id"] = found["guild_id"]
        return data

    async def slash(self, user: int, path: str, *, channel: int = GENERAL_ID,
                    locale: str = "fr", **options: Any) -> dict[str, Any]:
        return await self.interact(2, user, self.command_data(path, options), channel=channel,
                                   locale=locale)

    async def autocomplete(self, user: int, path: str, option: str, current: str, *,
                           channel: int = GENERAL_ID, **others: Any) -> dict[str, Any]:
        """Someone typing `current` into `option` (the other options as already filled)."""
        data = self.command_data(path, {**others, option: current})
        leaf = data
        while leaf["options"] and leaf["options"][0]["type"] in (1, 2):
            leaf = leaf["options"][0]
        for given in leaf["options"]:
            if given["name"] == option:
                given["focused"] = True
        return await self.interact(4, user, data, channel=channel, locale="fr")

    async def click(self, user: int, message_id: int, custom_id: str, *,
                    locale: str = "fr") -> dict[str, Any]:
        message = self.messages[message_id]
        return await self.interact(3, user, {"custom_id": custom_id, "component_type": 2},
                                   channel=int(message["channel_id"]), locale=locale,
                                   message=message)

    async def submit(self, user: int, custom_id: str, values: dict[str, str], *,
                     channel: int = GENERAL_ID, message_id: int | None = None,
                     locale: str = "fr") -> dict[str, Any]:
        components = [{"type": 18, "id": index + 1,
                       "component": {"type": 4, "id": index + 10, "custom_id": name,
                                     "value": value}}
                      for index, (name, value) in enumerate(values.items())]
        message = self.messages[message_id] if message_id is not None else None
        return await self.interact(5, user, {"custom_id": custom_id, "components": components},
                                   channel=channel, locale=locale, message=message)

    async def interact(self, kind: int, user: int, data: dict[str, Any], *, channel: int,
                       locale: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        interaction_id = self.new_id()
        place = self.channels[channel]
        interaction: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(APP_ID), "type": kind,
            "token": f"token-{interaction_id}", "version": 1, "data": data,
            "channel_id": str(channel), "channel": place, "locale": locale,
            "app_permissions": "2251808672181264", "entitlements": [],
            "attachment_size_limit": payloads.ATTACHMENT_SIZE_LIMIT,
        }
        if place.get("guild_id"):
            interaction.update(guild_id=str(GUILD_ID), guild_locale="fr", context=0,
                               guild={"id": str(GUILD_ID), "locale": "fr", "features": []},
                               member={**self.member(user), "permissions": "1071698660929"},
                               authorizing_integration_owners={"0": str(GUILD_ID)})
        else:
            interaction.update(user=self.users[user], context=1,
                               authorizing_integration_owners={"1": str(user)})
        if message is not None:
            interaction["message"] = message
        self._interactions[interaction["token"]] = interaction
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    async def answer_to(self, interaction: dict[str, Any], within: float = 5.0) -> Recorded:
        """The interaction's callback (its first response), once Discord took it."""
        found = await self.wait_for("POST", rf"/interactions/{interaction['id']}/[^/]+/callback",
                                    within=within, succeeded=True)
        return found[0]


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
