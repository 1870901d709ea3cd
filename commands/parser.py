"""From a line of text to a command and its raw arguments.

Syntax (Matrix and console): words in order for positional options, `name=value` for
any option, quotes for spaces ("…", '…', “…”, «…»). The last positional option of some
commands takes the rest of the line as it was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from commands.errors import UserError
from commands.i18n import _
from commands.spec import CommandSpec, Registry

OPENING_QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "«": "»", "‘": "’", "”": "”"}
MAX_LINE = 4000
# Invisible marks some clients put around a message (byte order mark, zero-width space, joiner).
INVISIBLE_EDGES = "\ufeff\u200b\u200c\u200d\u2060"


@dataclass(frozen=True)
class Token:
    value: str
    start: int
    # `name=value` tokens: the name, with the value in `value`
    name: str | None = None
    quoted: bool = False


def option_name(word: str) -> str | None:
    """An option's name as typed, folded to its declared spelling (accents dropped)."""
    if word.isascii():
        return word.lower() if word.isidentifier() else None
    decomposed = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain if plain.isascii() and plain.isidentifier() else None


# A word's start, an option's name and its `=`, the space after a word (what str.isspace
# and str.isalnum say is what \s and \w match).
_WORD = re.compile(r"\S")
_NAME = re.compile(r"(\w+)=")
_SPACE = re.compile(r"\s")


def tokenize(line: str) -> list[Token]:
    """Split a line into words, honouring quotes that open a word or follow `name=`."""
    tokens: list[Token] = []
    n = len(line)
    found = _WORD.search(line)
    while found is not None:
        start = i = found.start()
        name: str | None = None
        # name=value, where name is a word: "département=69" names the option departement
        named = _NAME.match(line, i)
        if named is not None:
            name = option_name(named.group(1))
            if name is not None:
                i = named.end()
        if i < n and line[i] in OPENING_QUOTES:
            closing = OPENING_QUOTES[line[i]]
            end = line.find(closing, i + 1)
            if end == -1:
                raise UserError(_("A quote is opened and never closed."), usage=True)
            value = line[i + 1 : end]
            i = end + 1
            if i < n and not line[i].isspace():
                raise UserError(_("Put a space after a closing quote."), usage=True)
            tokens.append(Token(value, start, name, quoted=True))
        else:
            value_start = i
            space = _SPACE.search(line, i)
            i = n if space is None else space.start()
            tokens.append(Token(line[value_start:i], start, name))
        found = _WORD.search(line, i)
    return tokens


def clean_line(line: str) -> str:
    """Drop what a chat client may add around a command: the prefix, stray invisible marks."""
    if len(line) > MAX_LINE:
        raise UserError(_("That message is too long for a command."))
    line = unicodedata.normalize("NFC", line).strip().strip(INVISIBLE_EDGES).strip()
    if line[:1] in ("/", "!"):
        line = line[1:].lstrip()
    return line


@dataclass(frozen=True)
class Parsed:
    spec: CommandSpec
    raw: dict[str, str]


@dataclass(frozen=True)
class GroupOnly:
    """The words name a group, not a command: show what is in it."""

    prefix: tuple[str, ...]


def find_command(
    registry: Registry, tokens: list[Token]
) -> tuple[CommandSpec | GroupOnly | None, int]:
    """The longest command path the leading words spell; how many words it used."""
    words: list[str] = []
    for token in tokens:
        if token.name is not None or token.quoted:
            break
        words.append(token.value.lower())
    for length in range(min(len(words), 3), 0, -1):
        spec = registry.get(tuple(words[:length]))
        if spec is not None:
            return spec, length
    if words and registry.under((words[0],)):
        return GroupOnly((words[0],)), 1
    return None, 0


def bind(spec: CommandSpec, tokens: list[Token], line: str) -> dict[str, str]:
    """Assign the words after the command to its options, as raw strings."""
    raw: dict[str, str] = {}
    positionals = list(spec.positionals)
    index = 0
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.name is not None:
            option = spec.option(token.name)
            if option is None:
                raise UserError(
                    _("This command has no option called {name}.").format(name=token.name),
                    usage=True,
                )
            if option.name in raw:
                raise UserError(
                    _("The option {name} is given twice.").format(name=option.name), usage=True
                )
            raw[option.name] = token.value
            continue
        while index < len(positionals) and positionals[index].name in raw:
            index += 1
        if index >= len(positionals):
            raise UserError(
                _("Too many words: I did not expect “{word}”.").format(word=token.value),
                usage=True,
            )
        option = positionals[index]
        if option.rest:
            # The words up to the next `name=value` (or the end), as typed: a search
            # followed by `page=2` keeps all its words.
            end = position - 1
            while end < len(tokens) and tokens[end].name is None:
                end += 1
            stop = tokens[end].start if end < len(tokens) else len(line)
            raw[option.name] = _rest_of(tokens[position - 1 : end], line, stop)
            position = end
        else:
            raw[option.name] = token.value
        index += 1
    return raw


def _rest_of(tokens: list[Token], line: str, stop: int) -> str:
    """Words as they were typed, spaces, quotes and all (a lone quoted word loses its quotes)."""
    if len(tokens) == 1:
        return tokens[0].value
    return line[tokens[0].start : stop].strip()


def command_of(registry: Registry, line: str) -> CommandSpec | None:
    """The command a cleaned line starts with, even when the rest of it does not tokenize.

    Lets a quote mistake still be answered with the command's usage.
    """
    words: list[Token] = []
    for word in line.split()[:3]:
        if word[0] in OPENING_QUOTES or "=" in word:
            break
        words.append(Token(word, 0))
    found, _used = find_command(registry, words)
    return found if isinstance(found, CommandSpec) else None


def parse(registry: Registry, line: str) -> Parsed | GroupOnly:
    try:
        tokens = tokenize(line)
    except UserError as error:
        error.command = command_of(registry, line)
        raise
    if not tokens:
        raise UserError(_("Type a command, or help to see them all."))
    found, used = find_command(registry, tokens)
    if found is None:
        raise UserError(
            _("I don't know the command “{word}”. Type help to see them all.").format(
                word=tokens[0].value[:40]
            )
        )
    if isinstance(found, GroupOnly):
        extra = tokens[used:]
        if extra and extra[0].name is None and not extra[0].quoted:
            raise UserError(
                _("There is no command “{group} {word}”. Type help {group} to see them.").format(
                    group=" ".join(found.prefix), word=extra[0].value[:40]
                )
            )
        return found
    try:
        return Parsed(found, bind(found, tokens[used:], line))
    except UserError as error:
        error.command = found
        raise
