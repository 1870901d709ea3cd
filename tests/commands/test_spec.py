"""A command's spec is derived from its handler's signature and docstring, once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import pytest

import commands.catalog  # noqa: F401  (declares every command in REGISTRY)
from commands.i18n import RenderContext, render
from commands.invocation import Invocation
from commands.permissions import ANYONE, LEAD
from commands.reply import Reply
from commands.spec import (
    FROM_PLACE,
    REGISTRY,
    CommandSpec,
    Kind,
    Option,
    Param,
    Registry,
    command,
)
from storage.committees import Committee
from storage.users import User


class Colour(Enum):
    RED = "red"
    GREEN = "green"


def spec_of(handler: object) -> CommandSpec:
    spec = handler.spec  # type: ignore[attr-defined]
    assert isinstance(spec, CommandSpec)
    return spec


def by_name(spec: CommandSpec) -> dict[str, Option]:
    return {option.name: option for option in spec.options}


@pytest.fixture
def reg() -> Registry:
    return Registry()


def test_options_come_from_the_signature(reg: Registry) -> None:
    @command("thing", "do", rule=LEAD, registry=reg)
    async def handler(
        inv: Invocation,
        title: Annotated[str, Param("a title", max_length=30)],
        count: Annotated[int, Param("how many", min=1, max=9)],
        colour: Annotated[Colour, Param("which colour")],
        who: Annotated[User, Param("a member")],
        committee: Annotated[Committee, Param("which committee", positional=True)] = FROM_PLACE,
        urgent: Annotated[bool, Param("is it urgent")] = False,
        note: Annotated[str | None, Param("a note")] = None,
    ) -> Reply:
        """Do a thing.

        Longer explanation that is not part of the summary.
        """
        return Reply("done")

    spec = spec_of(handler)
    assert reg.get(("thing", "do")) is spec
    assert spec.path == ("thing", "do")
    assert spec.name == "thing do"
    assert spec.rule is LEAD
    assert spec.handler is handler
    assert render(spec.summary, RenderContext("en")) == "Do a thing."

    options = by_name(spec)
    assert list(options) == ["title", "count", "colour", "who", "committee", "urgent", "note"]
    assert {name: option.kind for name, option in options.items()} == {
        "title": Kind.TEXT,
        "count": Kind.INTEGER,
        "colour": Kind.CHOICE,
        "who": Kind.MEMBER,
        "committee": Kind.COMMITTEE,
        "urgent": Kind.BOOLEAN,
        "note": Kind.TEXT,
    }
    # Required options are positional; optional ones are named unless said otherwise.
    assert [option.name for option in spec.positionals] == [
        "title", "count", "colour", "who", "committee"
    ]
    assert [name for name, option in options.items() if option.required] == [
        "title", "count", "colour", "who"
    ]
    assert not options["urgent"].positional
    assert not options["note"].positional
    assert options["urgent"].default is False
    assert options["note"].default is None
    assert options["committee"].default is FROM_PLACE
    assert options["title"].default is None
    assert options["title"].max_length == 30
    assert (options["count"].min, options["count"].max) == (1, 9)
    assert options["colour"].choices == ("red", "green")
    assert options["colour"].enum is Colour
    assert options["committee"].autocomplete == "committee"
    assert options["title"].autocomplete is None
    assert spec.committee_option is options["committee"]


def test_summary_is_the_first_paragraph_joined(reg: Registry) -> None:
    @command("wrapped", rule=ANYONE, registry=reg)
    async def handler(inv: Invocation) -> Reply:
        """Say something long
        on two lines.

        Details.
        """
        return Reply("x")

    assert render(spec_of(handler).summary, RenderContext("en")) == (
        "Say something long on two lines."
    )


def test_choice_placeholder_lists_the_values(reg: Registry) -> None:
    @command("paint", rule=ANYONE, registry=reg)
    async def handler(inv: Invocation, colour: Annotated[Colour, Param("c")]) -> Reply:
        """Paint."""
        return Reply("x")

    assert spec_of(handler).usage() == "paint <red|green>"


def test_usage_line_text(reg: Registry) -> None:
    @command("party", "plan", rule=ANYONE, registry=reg)
    async def handler(
        inv: Invocation,
        town: Annotated[str, Param("t")],
        note: Annotated[str | None, Param("n", positional=True, rest=True)] = None,
        size: Annotated[int, Param("s")] = 1,
    ) -> Reply:
        """Plan."""
        return Reply("x")

    assert spec_of(handler).usage() == "party plan <town> [note…] [size=…]"


def test_usage_of_real_commands() -> None:
    create = REGISTRY.get(("committee", "create"))
    assert create is not None
    assert create.usage() == "committee create <name> <place> <postal_code> [description=…]"
    flag = REGISTRY.get(("flag",))
    assert flag is not None
    assert flag.usage() == "flag <target> <reason…>"
    lang = REGISTRY.get(("lang",))
    assert lang is not None
    assert lang.usage() == "lang <fr|en>"


def test_rest_is_allowed_on_the_last_positional(reg: Registry) -> None:
    @command("say", rule=ANYONE, registry=reg)
    async def handler(
        inv: Invocation,
        who: Annotated[str, Param("w")],
        message: Annotated[str, Param("m", rest=True)],
    ) -> Reply:
        """Say."""
        return Reply("x")

    assert [option.rest for option in spec_of(handler).options] == [False, True]


def test_rest_on_a_positional_that_is_not_last_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="last positional"):

        @command("say", rule=ANYONE, registry=reg)
        async def handler(
            inv: Invocation,
            message: Annotated[str, Param("m", rest=True)],
            who: Annotated[str, Param("w")],
        ) -> Reply:
            """Say."""
            return Reply("x")

    assert reg.get(("say",)) is None


def test_rest_on_a_named_option_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="positional"):

        @command("say", rule=ANYONE, registry=reg)
        async def handler(
            inv: Invocation,
            message: Annotated[str | None, Param("m", rest=True)] = None,
        ) -> Reply:
            """Say."""
            return Reply("x")


def test_required_positional_after_optional_one_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="required option follows an optional"):

        @command("odd", rule=ANYONE, registry=reg)
        async def handler(
            inv: Invocation,
            first: Annotated[str | None, Param("f", positional=True)] = None,
            *,
            second: Annotated[str, Param("s")],
        ) -> Reply:
            """Odd."""
            return Reply("x")

    assert reg.get(("odd",)) is None


def test_missing_docstring_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="docstring"):

        @command("bare", rule=ANYONE, registry=reg)
        async def handler(inv: Invocation) -> Reply:
            return Reply("x")

    assert reg.get(("bare",)) is None


def test_option_without_param_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="Annotated"):

        @command("bare", rule=ANYONE, registry=reg)
        async def handler(inv: Invocation, name: str) -> Reply:
            """Bare."""
            return Reply("x")


def test_optional_type_without_default_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="no default"):

        @command("bare", rule=ANYONE, registry=reg)
        async def handler(inv: Invocation, name: Annotated[str | None, Param("n")]) -> Reply:
            """Bare."""
            return Reply("x")


def test_unsupported_type_is_refused(reg: Registry) -> None:
    with pytest.raises(TypeError, match="unsupported option type"):

        @command("bare", rule=ANYONE, registry=reg)
        async def handler(inv: Invocation, ratio: Annotated[float, Param("r")]) -> Reply:
            """Bare."""
            return Reply("x")


def test_a_command_declared_twice_is_refused(reg: Registry) -> None:
    @command("twice", rule=ANYONE, registry=reg)
    async def first(inv: Invocation) -> Reply:
        """First."""
        return Reply("x")

    with pytest.raises(ValueError, match="declared twice"):

        @command("twice", rule=ANYONE, registry=reg)
        async def second(inv: Invocation) -> Reply:
            """Second."""
            return Reply("x")


def test_a_path_cannot_be_both_command_and_group(reg: Registry) -> None:
    @command("group", rule=ANYONE, registry=reg)
    async def alone(inv: Invocation) -> Reply:
        """Alone."""
        return Reply("x")

    with pytest.raises(ValueError, match="both a command and a group"):

        @command("group", "member", rule=ANYONE, registry=reg)
        async def member(inv: Invocation) -> Reply:
            """Member."""
            return Reply("x")


def test_private_registry_does_not_touch_the_global_one(reg: Registry) -> None:
    before = dict(REGISTRY.commands)

    @command("private", "thing", rule=ANYONE, registry=reg)
    async def handler(inv: Invocation) -> Reply:
        """Private."""
        return Reply("x")

    assert REGISTRY.commands == before
    assert reg.get(("private", "thing")) is spec_of(handler)


def test_registry_groups_and_under(reg: Registry) -> None:
    for path in (("b", "two"), ("a",), ("b", "one")):

        async def handler(inv: Invocation) -> Reply:
            """Something."""
            return Reply("x")

        command(*path, rule=ANYONE, registry=reg)(handler)

    assert [spec.path for spec in reg] == [("a",), ("b", "one"), ("b", "two")]
    assert {group: [spec.name for spec in specs] for group, specs in reg.groups().items()} == {
        "a": ["a"],
        "b": ["b one", "b two"],
    }
    assert [spec.name for spec in reg.under(("b",))] == ["b one", "b two"]
    assert reg.under(("c",)) == []


def test_every_real_command_has_a_summary_and_described_options() -> None:
    for spec in REGISTRY:
        assert render(spec.summary, RenderContext("en")).strip(), spec.name
        for option in spec.options:
            assert render(option.description, RenderContext("en")).strip(), (spec.name, option)
