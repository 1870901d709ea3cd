"""How many commands each person sent this minute: counted in memory.

The count only has to last a minute, so it is never written: a command that only reads
costs no write, and a restart forgets at most one minute of counting. All counts start
again together when the minute changes, so memory holds only this minute's senders.
"""

from __future__ import annotations


class RateCounter:
    """Fixed one-minute windows, per person."""

    def __init__(self) -> None:
        self._window: int | None = None
        self._counts: dict[tuple[str, str], int] = {}

    def hit(self, person: tuple[str, str], window: int) -> int:
        """Count one more command from `person` (platform, user id there) in `window`;
        returns the count so far."""
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(person, 0) + 1
        self._counts[person] = count
        return count

    def __len__(self) -> int:
        """How many people have sent a command in the current minute."""
        return len(self._counts)
