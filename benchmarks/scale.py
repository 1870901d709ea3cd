"""How big a dataset is, and how long each scenario runs at that size."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

# The moment the dataset is built around: a year of actions ends about a month after it.
# A Monday, so that the weekly digest covers the week just ended.
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
PLATFORM = "bench"
SEED = 20260316


@dataclass(frozen=True)
class Scale:
    name: str
    committees: int
    members: int
    actions: int
    rsvps: int
    reports: int
    materials: int
    # Scenarios
    commands: int  # B1 and B2, measured (after `warmup` more)
    warmup: int
    reminders: int  # B5: reminders due in the same minute
    searches: int  # B6
    digests: int  # B3: runs of each digest

    def tiny(self) -> Scale:
        """For tests: a few committees, every table still filled."""
        return replace(self, name="tiny", committees=12, members=300, actions=240, rsvps=1_500,
                       reports=100, materials=40, commands=60, warmup=10, reminders=20,
                       searches=10, digests=1)


NATIONAL = Scale(
    name="national", committees=10_000, members=250_000, actions=100_000, rsvps=1_000_000,
    reports=80_000, materials=20_000, commands=12_000, warmup=1_000, reminders=10_000,
    searches=2_000, digests=5,
)
SMALL = Scale(
    name="small", committees=100, members=2_500, actions=1_000, rsvps=10_000, reports=600,
    materials=200, commands=1_200, warmup=200, reminders=100, searches=300, digests=3,
)
SCALES = {scale.name: scale for scale in (SMALL, NATIONAL)}
