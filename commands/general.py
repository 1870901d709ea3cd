"""Commands about the bot itself: help and language."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from commands import help as help_text
from commands.errors import UserError
from commands.i18n import _
from commands.invocation import Invocation
from commands.parser import GroupOnly, find_command, tokenize
from commands.permissions import ANYONE
from commands.reply import Reply
from commands.spec import Param, command


class Language(StrEnum):
    FR = "fr"
    EN = "en"

    @classmethod
    def _missing_(cls, value: object) -> Language | None:
        aliases = {"français": "fr", "francais": "fr", "french": "fr", "anglais": "en",
                   "english": "en"}
        code = aliases.get(str(value).lower())
        return None if code is None else cls(code)


@command("help", rule=ANYONE, allow_suspended=True)
async def help_(
    inv: Invocation,
    topic: Annotated[
        str | None, Param(_("a command or group, e.g. committee create"), positional=True,
                          rest=True)
    ] = None,
) -> Reply:
    """Show the commands, or how to use one."""
    registry = inv.services.registry
    if not topic:
        return help_text.overview(registry, inv.is_staff, inv.settings.organisation.name)
    found, _used = find_command(registry, tokenize(topic.lstrip("/!")))
    if found is None:
        raise UserError(_("There is no command “{topic}”.").format(topic=topic[:40]))
    if isinstance(found, GroupOnly):
        return help_text.group_help(registry, found.prefix, inv.is_staff)
    return help_text.command_help(found)


@command("lang", rule=ANYONE, allow_suspended=True)
async def lang(
    inv: Invocation, language: Annotated[Language, Param(_("fr or en"))]
) -> Reply:
    """Choose the language the bot speaks to you."""
    before = inv.actor.locale
    await inv.repos.users.set_locale(inv.actor.id, language.value)
    await inv.audit("user.locale", target_kind="user", target_id=inv.actor.id, committee_id=None,
                    before={"locale": before}, after={"locale": language.value})
    message = {
        Language.FR: "D'accord, je vous parle désormais en français.",
        Language.EN: "All right, I will speak English with you from now on.",
    }[language]
    return Reply(message, private=True)
