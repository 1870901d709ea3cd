"""Where each key of a TOML file is written, so a config error can name its line.

tomllib gives values, not positions, so the text is scanned once: enough TOML to follow
tables, arrays of tables and dotted keys, and to skip over multi-line values.
"""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]  # where a value sits: section, key, list index...


_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(rf"\s*({_DOTTED_KEY})\s*=(.*)$")
_BASIC_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def key_lines(text: str) -> dict[Loc, int]:
    """Map each key path (and its prefixes) to the first line that writes it."""
    lines: dict[Loc, int] = {}
    table: Loc = ()
    array_lengths: dict[Loc, int] = {}
    value = _ValueScanner()
    for number, line in enumerate(text.splitlines(), start=1):
        if value.open:
            value.feed(line)
        elif header := _HEADER.match(line):
            parts = _key_parts(header[2])
            table = (*_in_current_items(parts[:-1], array_lengths), parts[-1])
            if header[1] == "[[":
                index = array_lengths.get(table, 0)
                array_lengths[table] = index + 1
                table = (*table, index)
            _remember(table, number, lines)
        elif assignment := _ASSIGNMENT.match(line):
            _remember((*table, *_key_parts(assignment[1])), number, lines)
            value.feed(assignment[2])
    return lines


def _key_parts(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY, dotted)
    return tuple(part[1:-1] if part[0] in "\"'" else part for part in parts)


def _in_current_items(parts: tuple[str, ...], array_lengths: dict[Loc, int]) -> Loc:
    # In `[[a]]` then `[a.b]`, `b` belongs to the last item of `a` written so far.
    resolved: Loc = ()
    for part in parts:
        resolved = (*resolved, part)
        if resolved in array_lengths:
            resolved = (*resolved, array_lengths[resolved] - 1)
    return resolved


def _remember(loc: Loc, number: int, lines: dict[Loc, int]) -> None:
    for end in range(1, len(loc) + 1):
        lines.setdefault(loc[:end], number)


class _ValueScanner:
    """Follows a value over several lines, so text inside it is not read as keys."""

    def __init__(self) -> None:
        self.depth = 0  # open brackets of a multi-line array
        self.string: str | None = None  # the delimiter of an open multi-line string

    @property
    def open(self) -> bool:
        return self.depth > 0 or self.string is not None

    def feed(self, text: str) -> None:
        index = 0
        while index < len(text):
            if self.string is not None:
                end = text.find(self.string, index)
                if end < 0:
                    return
                index, self.string = end + 3, None
            elif text.startswith(('"""', "'''"), index):
                self.string, index = text[index : index + 3], index + 3
            elif text[index] == '"':
                found = _BASIC_STRING.match(text, index)
                index = found.end() if found else len(text)
            elif text[index] == "'":
                end = text.find("'", index + 1)
                index = end + 1 if end >= 0 else len(text)
            elif text[index] == "#":
                return
            else:
                self.depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(text[index], 0)
                index += 1
