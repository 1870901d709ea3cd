"""French names of the groups, subcommands and options, next to their English names."""

from __future__ import annotations

from typing import Any

import discord
from discord.app_commands.commands import VALID_SLASH_COMMAND_NAME

import commands.catalog  # noqa: F401  (fills the registry)
from bot.app import App
from bot.platforms.discord.names import COMMANDS, OPTIONS, french_command, french_option
from bot.platforms.discord.translator import SpecTranslator
from bot.platforms.discord.tree import attachment_names
from commands.spec import REGISTRY
from tests.bot.platforms.discord.fake_discord import FakeDiscord
from tests.bot.platforms.discord.test_startup import SYNC

FRENCH = discord.Locale.french.value
SUBCOMMANDS = {1, 2}  # option types of a subcommand and a subcommand group


def valid(name: str) -> bool:
    return VALID_SLASH_COMMAND_NAME.match(name) is not None and name == name.lower()


def test_every_word_of_the_registry_has_a_french_name() -> None:
    words = {word for spec in REGISTRY for word in spec.path}
    options = {option.name for spec in REGISTRY for option in spec.options}
    options |= {name for spec in REGISTRY for name in attachment_names(spec)}
    assert sorted(word for word in words if french_command(word) is None) == []
    assert sorted(name for name in options if french_option(name) is None) == []


def test_french_names_follow_discords_rules() -> None:
    for name in [*COMMANDS.values(), *OPTIONS.values(), french_option("attachment2") or ""]:
        assert valid(name), name


def test_siblings_have_different_french_names() -> None:
    specs = [spec for spec in REGISTRY if not spec.hidden]
    for spec in specs:
        names = [option.name for option in spec.options] + attachment_names(spec)
        french = [french_option(name) for name in names]
        assert len(set(french)) == len(french), spec.path
    parents = {spec.path[:depth] for spec in specs for depth in range(len(spec.path))}
    for parent in parents:
        children = {spec.path[len(parent)] for spec in specs if spec.path[:len(parent)] == parent}
        french = {french_command(child) for child in children}
        assert len(french) == len(children), parent


async def test_only_french_clients_see_the_french_names() -> None:
    translator = SpecTranslator()
    group = discord.app_commands.Group(name="committee", description="committee")
    context: Any = discord.app_commands.TranslationContext(
        location=discord.app_commands.TranslationContextLocation.group_name, data=group)
    word = discord.app_commands.locale_str("committee")
    assert await translator.translate(word, discord.Locale.french, context) == "comité"
    assert await translator.translate(word, discord.Locale.american_english, context) is None
    assert await translator.translate(word, discord.Locale.german, context) is None


async def test_the_synced_commands_carry_the_french_names(fake: FakeDiscord, bot: App) -> None:
    [sync] = fake.calls("PUT", SYNC)
    commands = {command["name"]: command for command in sync.body}
    # English stays the name Discord sends back; French clients see the French one.
    assert commands["committee"]["name_localizations"] == {FRENCH: "comité"}
    committee = {sub["name"]: sub for sub in commands["committee"]["options"]}
    assert committee["create"]["name_localizations"] == {FRENCH: "créer"}
    create = {option["name"]: option for option in committee["create"]["options"]}
    assert create["postal_code"]["name_localizations"] == {FRENCH: "code_postal"}
    staff = {sub["name"]: sub for sub in commands["staff"]["options"]}
    flag = {sub["name"]: sub for sub in staff["flag"]["options"]}
    assert flag["keep"]["name_localizations"] == {FRENCH: "garder"}
    report = {option["name"]: option for option in commands["report"]["options"]}
    assert report["attachment"]["name_localizations"] == {FRENCH: "pièce_jointe"}

    # Across the whole tree: every name has a valid French name, different from its siblings'.
    def check(siblings: list[dict[str, Any]]) -> None:
        french = [item["name_localizations"][FRENCH] for item in siblings]
        assert len(set(french)) == len(french), french
        assert all(valid(name) for name in french), french
        for item in siblings:
            if item.get("type", 1) in SUBCOMMANDS:
                check(item.get("options", []))

    check(sync.body)
