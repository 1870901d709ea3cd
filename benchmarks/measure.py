"""Latencies: collected with `time.perf_counter`, summarised as the table shows them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    # Wall time of the whole measured loop (latencies plus what runs between them).
    elapsed: float = 0.0

    def add(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        if not self.seconds:
            return math.nan
        ordered = sorted(self.seconds)
        rank = max(1, math.ceil(share / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    @property
    def mean_ms(self) -> float:
        return sum(self.seconds) / len(self.seconds) * 1000 if self.seconds else math.nan

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.elapsed if self.elapsed else math.nan

    def summary(self) -> dict[str, Any]:
        return {
            "count": len(self.seconds),
            "per_second": round(self.per_second, 1),
            "mean_ms": round(self.mean_ms, 3),
            "p50_ms": round(self.percentile(50), 3),
            "p90_ms": round(self.percentile(90), 3),
            "p99_ms": round(self.percentile(99), 3),
            "max_ms": round(self.percentile(100), 3),
        }
