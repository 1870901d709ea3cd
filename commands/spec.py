"""A command is declared once: its path, its typed options, its docstring, its rule.

    @command("committee", "join", rule=ANYONE)
    async def join(inv: Invocation, committee: Committee) -> Reply:
        '''Join a local committee.'''

The text parser, the usage line, `help` and the Discord slash commands all read the
`CommandSpec` built here from the function's signature.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from commands.i18n import Text
from commands.permissions import Rule
from storage.actions import Action
from storage.committees import Committee
from storage.users import User

if TYPE_CHECKING:
    from commands.reply import Reply

Handler = Callable[..., Awaitable["Reply | list[Reply] | None"]]


class _FromPlace:
    def __repr__(self) -> str:
        return "FROM_PLACE"


# Default of a committee option: the committee whose space the command is typed in.
FROM_PLACE: Any = _FromPlace()


@dataclass(frozen=True)
class Param:
    """How an option reads: goes in `Annotated[type, Param(...)]`."""

    description: Text
    # Required options are positional; an optional one is positional only when said here.
    positional: bool | None = None
    # The last positional option may take the rest of the line, spaces and all.
    rest: bool = False
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    # Where a platform can offer suggestions as the user types: "committee", "action", ...
    autocomplete: str | None = None


class Kind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    COMMITTEE = "committee"
    ACTION = "action"
    MEMBER = "member"


@dataclass(frozen=True)
class Option:
    name: str
    kind: Kind
    description: Text
    required: bool
    default: Any
    positional: bool
    rest: bool = False
    choices: tuple[str, ...] = ()
    enum: type[Enum] | None = None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    autocomplete: str | None = None

    @property
    def placeholder(self) -> str:
        if self.choices:
            return "|".join(self.choices)
        return self.name


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]
    handler: Handler
    options: tuple[Option, ...]
    summary: Text
    rule: Rule
    # Read-only commands still work on a suspended committee; nothing else does.
    allow_suspended: bool = False
    hidden: bool = False
    # The committee comes from where the command is typed when not named.
    committee_from_place: bool = True
    # How many files a person may attach (inv.attachments); platforms that collect files
    # in a form (a Discord attachment option) offer this many.
    files: int = 0

    @property
    def name(self) -> str:
        return " ".join(self.path)

    @property
    def positionals(self) -> tuple[Option, ...]:
        return tuple(option for option in self.options if option.positional)

    def option(self, name: str) -> Option | None:
        for option in self.options:
            if option.name == name:
                return option
        return None

    def option_of(self, kind: Kind) -> Option | None:
        for option in self.options:
            if option.kind is kind:
                return option
        return None

    @property
    def committee_option(self) -> Option | None:
        return self.option_of(Kind.COMMITTEE)

    def usage(self) -> str:
        parts = [self.name]
        for option in self.options:
            if option.positional:
                label = option.placeholder + ("…" if option.rest else "")
                parts.append(f"<{label}>" if option.required else f"[{label}]")
            else:
                parts.append(f"[{option.name}=…]")
        return " ".join(parts)


@dataclass
class Registry:
    commands: dict[tuple[str, ...], CommandSpec] = field(default_factory=dict)

    def add(self, spec: CommandSpec) -> None:
        if spec.path in self.commands:
            raise ValueError(f"command declared twice: {spec.name}")
        for path in self.commands:
            shorter, longer = sorted((path, spec.path), key=len)
            if longer[: len(shorter)] == shorter:
                raise ValueError(f"{' '.join(shorter)} is both a command and a group")
        self.commands[spec.path] = spec

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(sorted(self.commands.values(), key=lambda spec: spec.path))

    def get(self, path: tuple[str, ...]) -> CommandSpec | None:
        return self.commands.get(path)

    def groups(self) -> dict[str, list[CommandSpec]]:
        grouped: dict[str, list[CommandSpec]] = {}
        for spec in self:
            grouped.setdefault(spec.path[0], []).append(spec)
        return grouped

    def under(self, prefix: tuple[str, ...]) -> list[CommandSpec]:
        return [spec for spec in self if spec.path[: len(prefix)] == prefix]


REGISTRY = Registry()


def command(
    *path: str,
    rule: Rule,
    allow_suspended: bool = False,
    hidden: bool = False,
    committee_from_place: bool = True,
    files: int = 0,
    registry: Registry | None = None,
) -> Callable[[Handler], Handler]:
    """Declare a command from a handler's signature and docstring."""

    def register(handler: Handler) -> Handler:
        spec = CommandSpec(
            path=tuple(path),
            handler=handler,
            options=tuple(_options(handler)),
            summary=Text(_summary(handler)),
            rule=rule,
            allow_suspended=allow_suspended,
            hidden=hidden,
            committee_from_place=committee_from_place,
            files=files,
        )
        _check(spec)
        (REGISTRY if registry is None else registry).add(spec)
        handler.spec = spec  # type: ignore[attr-defined]
        return handler

    return register


def _summary(handler: Handler) -> str:
    doc = inspect.getdoc(handler)
    if not doc:
        raise TypeError(f"{handler.__qualname__} needs a docstring: it is the command's help")
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def _options(handler: Handler) -> Iterator[Option]:
    hints = typing.get_type_hints(handler, include_extras=True)
    signature = inspect.signature(handler)
    for index, (name, parameter) in enumerate(signature.parameters.items()):
        if index == 0:
            continue  # the Invocation
        annotation = hints[name]
        meta = _param_of(annotation, handler, name)
        base, optional = _unwrap(annotation)
        required = parameter.default is inspect.Parameter.empty
        if required and optional:
            raise TypeError(f"{handler.__qualname__}.{name}: optional type with no default")
        kind, enum = _kind_of(base, handler, name)
        positional = required if meta.positional is None else meta.positional
        yield Option(
            name=name,
            kind=kind,
            description=meta.description,
            required=required,
            default=None if required else parameter.default,
            positional=positional,
            rest=meta.rest,
            choices=tuple(str(member.value) for member in enum) if enum else (),
            enum=enum,
            min=meta.min,
            max=meta.max,
            max_length=meta.max_length,
            autocomplete=meta.autocomplete or _AUTOCOMPLETE.get(kind),
        )


_AUTOCOMPLETE = {Kind.COMMITTEE: "committee", Kind.ACTION: "action"}


def _param_of(annotation: Any, handler: Handler, name: str) -> Param:
    if get_origin(annotation) is Annotated:
        for extra in annotation.__metadata__:
            if isinstance(extra, Param):
                return extra
    raise TypeError(f"{handler.__qualname__}.{name}: annotate it as Annotated[type, Param(...)]")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"unsupported union {annotation}")
        return members[0], True
    return annotation, False


def _kind_of(base: Any, handler: Handler, name: str) -> tuple[Kind, type[Enum] | None]:
    if base is str:
        return Kind.TEXT, None
    if base is bool:
        return Kind.BOOLEAN, None
    if base is int:
        return Kind.INTEGER, None
    if base is Committee:
        return Kind.COMMITTEE, None
    if base is Action:
        return Kind.ACTION, None
    if base is User:
        return Kind.MEMBER, None
    if isinstance(base, type) and issubclass(base, Enum):
        return Kind.CHOICE, base
    raise TypeError(f"{handler.__qualname__}.{name}: unsupported option type {base!r}")


def _check(spec: CommandSpec) -> None:
    for option in spec.options:
        if option.rest and not option.positional:
            raise TypeError(
                f"{spec.name}.{option.name}: only a positional option may take the rest"
            )
    seen_optional = False
    for position, option in enumerate(spec.positionals):
        if option.rest and position != len(spec.positionals) - 1:
            raise TypeError(f"{spec.name}: only the last positional option may take the rest")
        if not option.required:
            seen_optional = True
        elif seen_optional:
            raise TypeError(f"{spec.name}: a required option follows an optional one")


__all__ = [
    "FROM_PLACE", "REGISTRY", "CommandSpec", "Kind", "Option", "Param", "Registry", "command",
]

