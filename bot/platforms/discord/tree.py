"""The slash commands, built from the command specs: nothing about a command is written here.

A spec's path gives the group and subcommand (`/action schedule`), its options the typed
Discord options (choices for enumerations, autocomplete for committees and actions, bounds
for numbers), its summary and option descriptions the localised descriptions. The callback
hands the options, as given, to the dispatcher.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from enum import Enum
from typing import Any, Optional

import discord
from discord import app_commands

from bot.platforms.discord.translator import localised, shorten
from commands.i18n import Text, _
from commands.spec import CommandSpec, Kind, Option, Registry

# Runs a command with the options Discord gave, by their names.
Runner = Callable[[discord.Interaction, CommandSpec, dict[str, Any]], Awaitable[None]]
# Suggestions as someone types a committee or action id: (label, value) pairs.
Suggest = Callable[[discord.Interaction, str], Awaitable[list[tuple[str, str]]]]

CHOICES_LIMIT = 25
FILE = _("a file to attach")
ATTACHMENT = "attachment"


def attachment_names(spec: CommandSpec) -> list[str]:
    """The attachment options of a command that takes files: `attachment`, `attachment2`…"""
    taken = {option.name for option in spec.options}
    names = [ATTACHMENT if n == 1 else f"{ATTACHMENT}{n}" for n in range(1, spec.files + 1)]
    clash = taken.intersection(names)
    if clash:
        raise TypeError(f"{spec.name}: an option is called {clash.pop()}, like a file option")
    return names


def build_commands(
    registry: Registry,
    *,
    base_locale: str,
    run: Runner,
    suggest: Mapping[str, Suggest],
) -> list[app_commands.Command[Any, ..., Any] | app_commands.Group]:
    """The root commands and groups of the tree, in the registry's order."""
    specs = [spec for spec in registry if not spec.hidden]
    roots: dict[str, app_commands.Command[Any, ..., Any] | app_commands.Group] = {}
    for name in dict.fromkeys(spec.path[0] for spec in specs):
        under = [spec for spec in specs if spec.path[0] == name]
        if len(under) == 1 and under[0].path == (name,):
            roots[name] = _command(under[0], None, base_locale, run, suggest)
        else:
            roots[name] = _group(name, under, 1, None, base_locale, run, suggest)
    return list(roots.values())


def _group(
    name: str,
    specs: list[CommandSpec],
    depth: int,
    parent: app_commands.Group | None,
    base_locale: str,
    run: Runner,
    suggest: Mapping[str, Suggest],
) -> app_commands.Group:
    # A group has no spec of its own: its description lists what is in it.
    children = dict.fromkeys(spec.path[depth] for spec in specs)
    # Not given its parent here: the parent's `add_command` links the two.
    group = app_commands.Group(
        name=name,
        description=shorten(", ".join(children)),
        default_permissions=_hint(specs) if parent is None else None,
    )
    for child in children:
        under = [spec for spec in specs if spec.path[depth] == child]
        if len(under) == 1 and len(under[0].path) == depth + 1:
            group.add_command(_command(under[0], group, base_locale, run, suggest))
        else:
            group.add_command(_group(child, under, depth + 1, group, base_locale, run, suggest))
    return group


def _hint(specs: Iterable[CommandSpec]) -> discord.Permissions | None:
    """Staff-only commands are hidden from members in Discord's menu. Only a hint for the
    menu (server admins can change it): the commands check staff roles themselves."""
    if all(spec.rule.role is None for spec in specs):
        return discord.Permissions(manage_guild=True)
    return None


def _command(
    spec: CommandSpec,
    parent: app_commands.Group | None,
    base_locale: str,
    run: Runner,
    suggest: Mapping[str, Suggest],
) -> app_commands.Command[Any, ..., Any]:
    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await run(interaction, spec, values)

    # discord.py reads the options from the callback's signature: give it one from the spec.
    parameters = [
        inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=discord.Interaction)
    ]
    for option in spec.options:
        annotation = _annotation(option)
        parameters.append(inspect.Parameter(
            option.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=annotation if option.required else Optional[annotation],  # noqa: UP045
            default=inspect.Parameter.empty if option.required else None,
        ))
    # Files come as attachment options, downloaded before the command runs.
    files = attachment_names(spec)
    for name in files:
        parameters.append(inspect.Parameter(
            name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Optional[discord.Attachment], default=None))  # noqa: UP045
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = "_".join(spec.path)
    app_commands.describe(**{
        option.name: localised(option.description.msgid, base_locale) for option in spec.options
    }, **{name: localised(FILE.msgid, base_locale) for name in files})(callback)
    choices = {option.name: _choices(option, base_locale) for option in spec.options
               if option.kind is Kind.CHOICE}
    if choices:
        app_commands.choices(**choices)(callback)
    completions = {option.name: _completion(suggest[option.autocomplete])
                   for option in spec.options
                   if option.autocomplete is not None and option.autocomplete in suggest
                   and option.kind is not Kind.CHOICE}
    if completions:
        app_commands.autocomplete(**completions)(callback)
    return app_commands.Command(
        name=spec.path[-1],
        description=localised(spec.summary.msgid, base_locale),
        callback=callback,
        parent=parent,
        extras={"spec": spec.path},
    )


def _annotation(option: Option) -> Any:
    if option.kind is Kind.BOOLEAN:
        return bool
    if option.kind is Kind.INTEGER:
        if option.min is None and option.max is None:
            return int
        return app_commands.Range[int, option.min, option.max]
    if option.kind is Kind.MEMBER:
        return discord.User
    if option.kind is Kind.TEXT and option.max_length is not None:
        return app_commands.Range[str, None, option.max_length]
    return str


def _choices(option: Option, base_locale: str) -> list[app_commands.Choice[str]]:
    assert option.enum is not None
    return [
        app_commands.Choice(name=_choice_name(member, base_locale), value=str(member.value))
        for member in list(option.enum)[:CHOICES_LIMIT]
    ]


def _choice_name(member: Enum, base_locale: str) -> str | app_commands.locale_str:
    # An enumeration may name its members for people (`Repeat.WEEKLY.label`).
    label = getattr(member, "label", None)
    if isinstance(label, Text):
        return localised(label.msgid, base_locale)
    return str(member.value)


def _completion(
    suggest: Suggest,
) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = await suggest(interaction, current)
        return [app_commands.Choice(name=shorten(label), value=value)
                for label, value in found[:CHOICES_LIMIT]]

    return complete
