"""Runs a command: parse, resolve, check, rate-limit, run in one unit of work, answer.

Every platform calls this with a `Request`; nothing here knows which platform it is.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commands import help as help_text
from commands.convert import convert
from commands.errors import PlatformError, UserError
from commands.files import Incoming
from commands.i18n import LOCALES, Renderable, _, lines, normalise_locale
from commands.invocation import Invocation
from commands.lookup import find_committee
from commands.parser import GroupOnly, Parsed, clean_line, parse
from commands.permissions import Role
from commands.ports import Place
from commands.reply import Reply
from commands.services import Services
from commands.spec import FROM_PLACE, CommandSpec, Kind, Option
from commands.status import check_live
from storage.actions import Action
from storage.committees import Committee
from storage.memberships import Membership
from storage.users import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """A person typed something somewhere, as a platform saw it."""

    platform: str
    user_id: str
    place: Place
    is_staff: bool = False
    # The language the person's client is set to, when the platform tells us.
    locale_hint: str | None = None
    # Files sent with the command, already downloaded by the platform (see commands.files).
    attachments: tuple[Incoming, ...] = ()


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    locale: str


class Dispatcher:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle_line(self, request: Request, line: str) -> Outcome:
        """A line typed in a chat or the console."""
        return await self._handle(request, line=line)

    async def handle(self, request: Request, spec: CommandSpec, raw: Mapping[str, str]) -> Outcome:
        """A command whose options a platform has already separated (slash commands, forms)."""
        return await self._handle(request, parsed=Parsed(spec, dict(raw)))

    async def _handle(
        self, request: Request, *, line: str | None = None, parsed: Parsed | None = None
    ) -> Outcome:
        repos = self.services.repos
        now = self.services.clock.now()
        locale = self.services.settings.organisation.locale
        spec: CommandSpec | None = parsed.spec if parsed else None
        try:
            try:
                # One transaction a command: a refusal undoes everything it wrote.
                async with repos.db.unit():
                    actor = await repos.users.ensure(request.platform, request.user_id, now)
                    place_committee = None
                    if request.place.space_id is not None:
                        place_committee = await repos.committees.by_space(
                            request.platform, request.place.space_id
                        )
                    locale = self._locale(actor, request, place_committee)
                    self._rate_limit(request)
                    if parsed is None:
                        assert line is not None
                        found = parse(self.services.registry, clean_line(line))
                        if isinstance(found, GroupOnly):
                            return Outcome(
                                [help_text.group_help(self.services.registry, found.prefix,
                                                      request.is_staff)],
                                locale,
                            )
                        parsed = found
                    spec = parsed.spec
                    invocation = await self._prepare(
                        request, actor, locale, place_committee, parsed)
                    arguments = await self._arguments(invocation, parsed)
                    result = await spec.handler(invocation, **arguments)
            except (UserError, PlatformError) as error:
                # Someone refused on their first command is known from then on all the same.
                await repos.users.ensure(request.platform, request.user_id, now)
                return Outcome([_refused(error, spec)], locale)
            for work, name in invocation.deferred():
                self.services.run_later(work, name)
            return Outcome(_as_list(result), locale)
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("command failed (error %s): %r", error_id, line or parsed)
            text = _(
                "Something went wrong on our side (error {id}). Please try again in a moment;"
                " if it happens again, give this error id to the team."
            ).format(id=error_id)
            return Outcome([Reply(text, private=True, error=True)], locale)

    def _locale(self, actor: User, request: Request, committee: Committee | None) -> str:
        for candidate in (actor.locale, normalise_locale(request.locale_hint),
                          committee.locale if committee else None):
            if candidate in LOCALES:
                return candidate
        return self.services.settings.organisation.locale

    def _rate_limit(self, request: Request) -> None:
        limit = self.services.settings.limits.commands_per_minute
        window = int(self.services.clock.now().timestamp() // 60)
        count = self.services.rate.hit((request.platform, request.user_id), window)
        if count > limit:
            raise UserError(
                _("Slow down: at most {limit} commands a minute. Try again in a minute.").format(
                    limit=limit
                )
            )

    async def _prepare(
        self,
        request: Request,
        actor: User,
        locale: str,
        place_committee: Committee | None,
        parsed: Parsed,
    ) -> Invocation:
        spec = parsed.spec
        for name in parsed.raw:
            if spec.option(name) is None:
                raise UserError(
                    _("This command has no option called {name}.").format(name=name), usage=True
                )
        for needed in spec.options:
            if needed.required and needed.kind is not Kind.COMMITTEE and (
                needed.name not in parsed.raw
            ):
                raise UserError(_("Missing: {name}.").format(name=needed.name), usage=True)
        committee = None
        action = None
        membership = None
        action_option = spec.option_of(Kind.ACTION)
        committee_option = spec.committee_option
        if action_option is not None and action_option.name in parsed.raw:
            # The action, its committee and the actor's role there come in one query.
            action, committee, membership = await self._action(
                parsed.raw[action_option.name], actor)
        elif committee_option is not None:
            committee = await self._committee(
                committee_option, parsed.raw.get(committee_option.name), place_committee,
                spec.committee_from_place,
            )
            membership = await self.services.repos.memberships.get(committee.id, actor.id)
        role = Role.of(membership.role if membership else None)
        port = self.services.port(request.platform)
        if port is None:
            raise RuntimeError(f"no port for platform {request.platform}")
        if committee is not None and not spec.allow_suspended:
            check_live(committee)
        if not spec.rule.allows(role, request.is_staff):
            raise UserError(
                _("Only {who} can do that.").format(who=spec.rule.description)
            )
        return Invocation(
            services=self.services,
            platform=port,
            place=request.place,
            actor=actor,
            is_staff=request.is_staff,
            locale=locale,
            spec=spec,
            committee=committee,
            role=role,
            place_committee=place_committee,
            action=action,
            attachments=request.attachments,
        )

    async def _committee(
        self, option: Option, raw: str | None, place_committee: Committee | None,
        from_place: bool = True,
    ) -> Committee:
        if raw is None or not raw.strip():
            if place_committee is not None and from_place:
                return place_committee
            raise UserError(
                _("Say which committee (its id, like lyon-croix-rousse), or type the command"
                  " in the committee's space."),
                usage=True,
            )
        return await find_committee(self.services.repos, raw)

    async def _action(
        self, raw: str, actor: User
    ) -> tuple[Action, Committee | None, Membership | None]:
        text = raw.strip().lstrip("#")
        found = None
        if text.isascii() and text.isdigit() and len(text) < 12:
            found = await self.services.repos.actions.in_context(int(text), actor.id)
        if found is None:
            raise UserError(
                _("There is no action “{id}”. action list shows the coming ones.").format(
                    id=raw.strip()[:20]
                )
            )
        return found

    async def _arguments(self, invocation: Invocation, parsed: Parsed) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for option in parsed.spec.options:
            raw = parsed.raw.get(option.name)
            if option.kind is Kind.COMMITTEE:
                values[option.name] = invocation.committee
                continue
            if option.kind is Kind.ACTION:
                values[option.name] = invocation.action
                continue
            if raw is None:
                if option.required:
                    raise UserError(
                        _("Missing: {name}.").format(name=option.name), usage=True
                    )
                if option.default is not FROM_PLACE:
                    values[option.name] = option.default
                continue
            if option.kind is Kind.MEMBER:
                values[option.name] = await self._member(invocation, raw)
            else:
                values[option.name] = convert(option, raw)
        return values

    async def _member(self, invocation: Invocation, raw: str) -> User:
        platform_user_id = invocation.platform.parse_user(raw.strip())
        user = None
        if platform_user_id is not None:
            user = await self.services.repos.users.find(invocation.place.platform, platform_user_id)
        if user is None:
            raise UserError(
                _("I don't know {who} yet: they need to have used a command here once.").format(
                    who=raw.strip()[:60]
                )
            )
        return user


def _refused(error: UserError | PlatformError, spec: CommandSpec | None) -> Reply:
    if isinstance(error, PlatformError):
        return _refusal(error.message, None)
    command = error.command if isinstance(error.command, CommandSpec) else spec
    return _refusal(error.message, command if error.usage else None)


def _refusal(message: Renderable, spec: CommandSpec | None) -> Reply:
    """Refusals go to the person alone: a mistake is nobody else's business."""
    if spec is None:
        return Reply(message, private=True, error=True)
    return Reply(lines(message, help_text.usage_line(spec)), private=True, error=True)


def _as_list(result: Reply | list[Reply] | None) -> list[Reply]:
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    return list(result)
