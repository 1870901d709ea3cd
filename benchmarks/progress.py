"""A progress bar on stderr, with no dependency: redrawn in place on a terminal, one line
per table otherwise (CI logs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 30


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.perf_counter()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if self.live and now - self._drawn > 0.1:
            self._drawn = now
            self._draw("\r")

    def close(self) -> None:
        self._draw("\r" if self.live else "")
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, start: str) -> None:
        filled = int(WIDTH * min(self.done, self.total) / self.total)
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"{start}{self.label:<19} [{'#' * filled}{'.' * (WIDTH - filled)}]"
                          f" {self.done:>10,} / {self.total:,}  {elapsed:5.1f}s")
        self.stream.flush()


def tracked(rows: Iterable[T], progress: Progress, every: int = 5_000) -> Iterator[T]:
    """`rows`, advancing `progress` as they are consumed."""
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == every:
            progress.advance(pending)
            pending = 0
    progress.advance(pending)
