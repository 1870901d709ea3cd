"""From a Discord interaction to a command, and its replies back as interaction responses.

Slash commands arrive with their options separated; a button carries a whole command line;
a form (modal) submits the options a command was missing. All three become one `Request`
for the dispatcher, which checks everything (roles, limits) against the database: what
Discord's menus show or hide is never a permission.

Discord wants an answer within three seconds. A command that takes longer (creating a
channel, a rate-limited request) is acknowledged first and answered when done.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, Literal

import discord
from discord import app_commands

from bot.config import DiscordConfig
from bot.platforms.discord.buttons import SUBMIT, SUBMIT_HASHED, CustomIds
from bot.platforms.discord.cards import Cards
from bot.platforms.discord.forms import build_form, form_fields, submitted
from bot.platforms.discord.render import Message, Renderer
from bot.platforms.discord.spaces import COMMAND_GUILD
from bot.platforms.discord.users import NAME
from commands.dispatch import Dispatcher, Outcome, Request
from commands.errors import UserError
from commands.files import Incoming
from commands.i18n import LOCALES, _, normalise_locale
from commands.parser import Parsed, clean_line, parse
from commands.ports import Place
from commands.reply import Reply
from commands.services import Services
from commands.spec import CommandSpec, Kind

log = logging.getLogger(__name__)

# Seconds a command may take before the interaction is acknowledged (Discord allows 3).
GRACE = 2.0

Deferred = Literal["no", "update", "thinking"]
STALE = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch,
         app_commands.TransformerError)


class Interactions:
    def __init__(
        self,
        *,
        client: discord.Client,
        config: DiscordConfig,
        services: Services,
        dispatcher: Dispatcher,
        renderer: Renderer,
        custom_ids: CustomIds,
        cards: Cards,
        grace: float = GRACE,
    ) -> None:
        self.client = client
        self.config = config
        self.services = services
        self.dispatcher = dispatcher
        self.renderer = renderer
        self.custom_ids = custom_ids
        self.cards = cards
        self.grace = grace
        # Interactions being handled: stopping waits for them, so none is cut in half.
        self.busy: set[asyncio.Task[Any]] = set()

    # The three ways a command arrives.

    async def slash(
        self, interaction: discord.Interaction, spec: CommandSpec, values: Mapping[str, Any]
    ) -> None:
        files = [value for value in values.values() if isinstance(value, discord.Attachment)]
        raw = {name: _raw(value) for name, value in values.items()
               if value is not None and not isinstance(value, discord.Attachment)}
        request = await self.request(interaction)

        async def work() -> Outcome:
            # Downloaded now: Discord's links to attachments expire, the blob store keeps them.
            try:
                attachments = tuple([await _download(file) for file in files])
            except discord.HTTPException:
                log.warning("downloading an attachment failed", exc_info=True)
                return Outcome([Reply(_("The attached file could not be fetched from Discord;"
                                        " try again."), private=True, error=True)],
                               await self._locale(request))
            return await self.dispatcher.handle(replace(request, attachments=attachments),
                                                spec, raw)

        await self._run(interaction, work, _action_of(Parsed(spec, raw)))

    async def button(self, interaction: discord.Interaction, custom_id: str) -> None:
        clicked = await self.custom_ids.clicked(custom_id)
        request = await self.request(interaction)
        if clicked is None:
            await self._run(interaction, lambda: self._out_of_date(request))
            return
        line = clicked.command
        parsed = self._parse(line)
        if parsed is None:  # the dispatcher says what is wrong with it
            await self._run(interaction, lambda: self.dispatcher.handle_line(request, line))
            return
        fields = form_fields(parsed.spec, parsed.raw, clicked.form)
        if fields is not None:
            form_id = await self.custom_ids.submit(line)
            locale = await self._locale(request)
            await interaction.response.send_modal(build_form(parsed.spec, fields, form_id,
                                                             locale))
            return
        await self._run(interaction, lambda: self.dispatcher.handle(request, parsed.spec,
                                                                   parsed.raw),
                        _action_of(parsed))

    async def form(self, interaction: discord.Interaction) -> None:
        """A modal submitted: its custom id holds the command, its inputs the options."""
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if not custom_id.startswith((SUBMIT, SUBMIT_HASHED)):
            return  # not one of ours
        line = await self.custom_ids.submitted(custom_id)
        request = await self.request(interaction)
        if line is None:
            await self._run(interaction, lambda: self._out_of_date(request))
            return
        parsed = self._parse(line)
        if parsed is None:
            await self._run(interaction, lambda: self.dispatcher.handle_line(request, line))
            return
        raw = {**parsed.raw, **submitted(data)}
        await self._run(interaction, lambda: self.dispatcher.handle(request, parsed.spec, raw),
                        _action_of(Parsed(parsed.spec, raw)))

    # Who, where, in which language.

    async def request(self, interaction: discord.Interaction) -> Request:
        channel_id = interaction.channel_id
        channel = interaction.channel
        if isinstance(channel, discord.Thread) and channel.parent_id is not None:
            channel_id = channel.parent_id  # a thread belongs to its channel's committee
        return Request(
            platform=NAME,
            user_id=str(interaction.user.id),
            place=Place(NAME, str(channel_id) if channel_id else None,
                        direct=interaction.guild_id is None),
            is_staff=await self.is_staff(interaction),
            locale_hint=interaction.locale.value,
        )

    async def is_staff(self, interaction: discord.Interaction) -> bool:
        """A member with one of the configured staff roles, on any of the bot's servers."""
        staff = set(self.config.staff_role_ids)
        if not staff:
            return False
        user = interaction.user
        if isinstance(user, discord.Member):
            return any(role.id in staff for role in user.roles)
        for guild in self.client.guilds:
            member = guild.get_member(user.id)
            if member is None:
                try:
                    member = await guild.fetch_member(user.id)
                except discord.HTTPException:
                    continue
            if any(role.id in staff for role in member.roles):
                return True
        return False

    async def _locale(self, request: Request) -> str:
        user = await self.services.repos.users.find(NAME, request.user_id)
        for candidate in (user.locale if user else None, normalise_locale(request.locale_hint)):
            if candidate in LOCALES:
                return candidate
        return self.services.settings.organisation.locale

    def _parse(self, line: str) -> Parsed | None:
        try:
            found = parse(self.services.registry, clean_line(line))
        except UserError:
            return None
        return found if isinstance(found, Parsed) else None

    async def failed(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A slash command that never reached the dispatcher, or broke on the way back."""
        error_id = uuid.uuid4().hex[:8]
        log.error("interaction %s failed (error %s)", interaction.id, error_id, exc_info=error)
        if interaction.response.is_done():
            return
        request = await self.request(interaction)
        if isinstance(error, STALE):  # Discord still shows an older version of the command
            outcome = await self._out_of_date(request)
        else:
            outcome = Outcome([Reply(_(
                "Something went wrong on our side (error {id}). Please try again in a moment;"
                " if it happens again, give this error id to the team.").format(id=error_id),
                private=True, error=True)], await self._locale(request))
        await self._answer(interaction, outcome, "no")

    async def _out_of_date(self, request: Request) -> Outcome:
        return Outcome([Reply(_("That no longer works: the bot has changed since. Type the"
                                " command again; help lists them."), private=True, error=True)],
                       await self._locale(request))

    # Answering.

    async def _run(
        self,
        interaction: discord.Interaction,
        work: Callable[[], Awaitable[Outcome]],
        action_id: int | None = None,
    ) -> None:
        current = asyncio.current_task()
        if current is not None:
            self.busy.add(current)
            current.add_done_callback(self.busy.discard)
        token = COMMAND_GUILD.set(interaction.guild_id)
        try:
            task = asyncio.ensure_future(work())
            done, _pending = await asyncio.wait({task}, timeout=self.grace)
            deferred: Deferred = "no"
            if not done:
                deferred = await self._defer(interaction)
            outcome = await task
        finally:
            COMMAND_GUILD.reset(token)
        try:
            await self._answer(interaction, outcome, deferred)
        except discord.HTTPException:
            log.exception("answering interaction %s failed", interaction.id)
        if action_id is not None:
            await self.cards.refresh(action_id)

    async def finish(self, within: float) -> None:
        """Let the interactions under way finish (at shutdown), for `within` seconds at most."""
        if self.busy:
            await asyncio.wait(set(self.busy), timeout=within)

    async def _defer(self, interaction: discord.Interaction) -> Deferred:
        try:
            # Only an interaction on a message may be acknowledged without "thinking…".
            if interaction.type is discord.InteractionType.application_command or (
                    interaction.message is None):
                await interaction.response.defer(thinking=True)
                return "thinking"
            await interaction.response.defer()
            return "update"
        except discord.HTTPException:
            log.warning("could not acknowledge interaction %s", interaction.id, exc_info=True)
            return "update"

    async def _answer(
        self, interaction: discord.Interaction, outcome: Outcome, deferred: Deferred
    ) -> None:
        messages = [message for reply in outcome.replies
                    for message in await self.renderer.messages(reply, outcome.locale)]
        if not messages:
            if deferred == "thinking":
                await interaction.delete_original_response()
            elif deferred == "no":
                await interaction.response.defer()
            return
        first, *rest = messages
        sent: discord.Message | None
        if deferred == "no":
            response = await interaction.response.send_message(
                **first.send_kwargs(), ephemeral=first.private)
            sent = None
            if first.card is not None and not first.private:
                resource = response.resource
                sent = (resource if isinstance(resource, discord.InteractionMessage)
                        else await interaction.original_response())
        elif deferred == "thinking" and not first.private:
            kwargs = first.send_kwargs()
            attachment = kwargs.pop("file", None)
            sent = await interaction.edit_original_response(
                **kwargs, attachments=[attachment] if attachment else discord.utils.MISSING)
        else:
            if deferred == "thinking":  # public "thinking…", private answer
                await interaction.delete_original_response()
            sent = await interaction.followup.send(**first.send_kwargs(),
                                                   ephemeral=first.private, wait=True)
        await self._remember(first, sent)
        for message in rest:
            followup = await interaction.followup.send(**message.send_kwargs(),
                                                       ephemeral=message.private, wait=True)
            await self._remember(message, followup)

    async def _remember(self, message: Message, sent: discord.Message | None) -> None:
        if sent is not None and message.card is not None and not message.private:
            await self.cards.posted(message, sent.channel.id, sent.id)


async def _download(file: discord.Attachment) -> Incoming:
    return Incoming(filename=file.filename,
                    content_type=file.content_type or "application/octet-stream",
                    data=await file.read())


def _raw(value: Any) -> str:
    """An option as the dispatcher takes it: text, as if typed."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, discord.abc.Snowflake):
        return str(value.id)
    return str(value)


def _action_of(parsed: Parsed) -> int | None:
    """The action a command is about: its cards are redrawn once the command is done."""
    option = parsed.spec.option_of(Kind.ACTION)
    raw = parsed.raw.get(option.name) if option is not None else None
    text = (raw or "").strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None
