"""Forms: a command with options still missing, filled in a Discord modal.

A button may carry a command that lacks what only the person can say (`committee create`
with no name yet); clicking it opens a form that asks for the missing options, plus optional
ones while there is room (Discord takes at most five inputs). The form's custom id carries
the command so far, so a form opened before a restart still works when submitted after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

import discord

from bot.platforms.discord.translator import shorten
from commands.i18n import Text, translate
from commands.spec import CommandSpec, Kind, Option

INPUTS_LIMIT = 5
TITLE_LIMIT = 45
LABEL_LIMIT = 45
TEXT_LIMIT = 4000
OPTIONS_LIMIT = 25
# What a form can ask for. A committee is never asked: it comes from where the form was
# opened, or the command says which one is needed.
ASKABLE = frozenset({Kind.TEXT, Kind.INTEGER, Kind.CHOICE, Kind.ACTION, Kind.MEMBER})
EXTRA = frozenset({Kind.TEXT, Kind.INTEGER})


def form_fields(
    spec: CommandSpec, given: Mapping[str, str], asked: tuple[str, ...] = ()
) -> list[Option] | None:
    """The options a form asks for: those the button names (`Button.form`), else the
    required ones missing plus optional ones while there is room. None when there is nothing
    to ask, or more required options than a form holds (the command then answers with its
    usage, as when typed)."""
    if asked:
        named = [option for name in asked if (option := spec.option(name)) is not None
                 and option.kind in ASKABLE and name not in given]
        return named[:INPUTS_LIMIT] or None
    missing = [option for option in spec.options
               if option.required and option.kind is not Kind.COMMITTEE
               and option.name not in given]
    if not missing or len(missing) > INPUTS_LIMIT:
        return None
    if any(option.kind not in ASKABLE for option in missing):
        return None
    optional = [option for option in spec.options
                if not option.required and option.kind in EXTRA and option.name not in given]
    return (missing + optional)[:INPUTS_LIMIT]


def build_form(
    spec: CommandSpec, fields: Iterable[Option], custom_id: str, locale: str
) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=shorten(spec.name, TITLE_LIMIT), custom_id=custom_id,
                             timeout=None)
    for option in fields:
        modal.add_item(discord.ui.Label(
            text=shorten(option.name, LABEL_LIMIT),
            description=shorten(translate(option.description.msgid, locale)),
            component=_input(option, locale),
        ))
    # Submissions are read from the interaction itself (see `submitted`), not from memory.
    modal.stop()
    return modal


def _input(option: Option, locale: str) -> discord.ui.Item[Any]:
    if option.kind is Kind.CHOICE and option.enum is not None:
        return discord.ui.Select(
            custom_id=option.name,
            required=option.required,
            options=[discord.SelectOption(label=_choice_label(member, locale),
                                          value=str(member.value))
                     for member in list(option.enum)[:OPTIONS_LIMIT]],
        )
    if option.kind is Kind.MEMBER:
        return discord.ui.UserSelect(custom_id=option.name, required=option.required)
    long = option.kind is Kind.TEXT and (option.rest or not option.required)
    limit = min(option.max_length or TEXT_LIMIT, TEXT_LIMIT)
    if option.kind in (Kind.INTEGER, Kind.ACTION):
        limit = 20
    return discord.ui.TextInput(
        custom_id=option.name,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        required=option.required,
        max_length=limit,
    )


def _choice_label(member: Enum, locale: str) -> str:
    label = getattr(member, "label", None)
    if isinstance(label, Text):
        return shorten(translate(label.msgid, locale))
    return str(member.value)


def submitted(data: Mapping[str, Any]) -> dict[str, str]:
    """What was filled in, by option name, from a modal submit's `data` (blanks left out)."""
    values: dict[str, str] = {}

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for component in components:
            if "components" in component:
                walk(component["components"])
            elif "component" in component:
                walk([component["component"]])
            elif "custom_id" in component:
                value = component.get("value")
                if value is None and component.get("values"):
                    value = str(component["values"][0])
                if isinstance(value, str) and value.strip():
                    values[str(component["custom_id"])] = value

    walk(data.get("components", []))
    return values
