"""The results: a table on stdout, and a JSON file with the machine and every figure."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.generate import read_mark
from benchmarks.scale import Scale
from benchmarks.scenarios import run_all


@dataclass(frozen=True)
class Target:
    scenario: str
    label: str
    unit: str
    read: Callable[[dict[str, Any]], float | None]
    # (at most, or at least, the goal)
    at_most: bool
    goal: float


def _get(*keys: str) -> Callable[[dict[str, Any]], float | None]:
    def read(results: dict[str, Any]) -> float | None:
        value: Any = results
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if isinstance(value, int | float) else None

    return read


TARGETS = (
    Target("B1", "command mix, throughput", "commands/s", _get("B1", "per_second"), False, 2000),
    Target("B1", "command mix, p50", "ms", _get("B1", "p50_ms"), True, float("inf")),
    Target("B1", "command mix, p99", "ms", _get("B1", "p99_ms"), True, 10),
    Target("B2", "same mix, plain sqlite3", "commands/s", _get("B2", "per_second"), False, 0),
    Target("B1/B2", "framework / floor (mean latency)", "×", _get("B1/B2"), True, 3),
    Target("B3", "weekly digest", "ms", _get("B3", "week", "whole_ms"), True, 250),
    Target("B3", "monthly digest", "ms", _get("B3", "month", "whole_ms"), True, 500),
    Target("B4", "cold start to ready", "s", _get("B4", "total_s"), True, 1.5),
    Target("B4", "peak memory", "MB", _get("B4", "maxrss_mb"), True, 200),
    Target("B5", "reminders due at once, all handed over", "s", _get("B5", "seconds"), True, 10),
    Target("B6", "search near a postal code, p99", "ms", _get("B6", "repository", "p99_ms"),
           True, 5),
    Target("B6", "committee list near=, p99", "ms", _get("B6", "command", "p99_ms"), True, 5),
)


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "system": platform.platform(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "commands/s":
        return f"{value:,.0f} {unit}"
    if unit == "×":
        return f"{value:.2f} ×"
    return f"{value:,.1f} {unit}" if value >= 10 else f"{value:,.2f} {unit}"


def _goal(target: Target) -> str:
    if target.goal in (0, float("inf")):
        return "—"
    sign = "≤" if target.at_most else "≥"
    return f"{sign} {_shown(target.goal, target.unit)}"


def verdicts(results: dict[str, Any]) -> list[tuple[Target, float | None, bool | None]]:
    found = []
    for target in TARGETS:
        value = target.read(results)
        ok = None
        if value is not None and target.goal not in (0, float("inf")):
            ok = value <= target.goal if target.at_most else value >= target.goal
        found.append((target, value, ok))
    return found


def table(results: dict[str, Any]) -> str:
    rows = [("", "scenario", "measured", "target", "")]
    for target, value, ok in verdicts(results):
        mark = "" if ok is None else "pass" if ok else "MISS"
        rows.append((target.scenario, target.label, _shown(value, target.unit), _goal(target),
                     mark))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                              strict=True))
                     + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    missing = results.get("B3", {}).get("missing")
    if missing:
        lines.append(f"B3: {missing}.")
    return "\n".join(lines)


def run_and_report(db: Path, scale: Scale, out: Path, only: set[str] | None) -> int:
    mark = read_mark(db)
    if mark is None:
        print(f"{db} is not a dataset: python -m benchmarks generate --scale {scale.name}"
              f" --db {db}", file=sys.stderr)
        return 2
    if mark.get("scale") != scale.name:
        print(f"{db} holds the {mark.get('scale')} dataset, not {scale.name}", file=sys.stderr)
        return 2
    before = machine()

    def log(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    results = run_all(db, scale, only, log)
    document = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale.name,
        "dataset": {"path": str(db), **mark},
        "machine": before,
        "load_average_after": machine()["load_average"],
        "seconds": round(time.perf_counter() - started, 1),
        "results": results,
        "targets": [
            {"scenario": target.scenario, "what": target.label, "unit": target.unit,
             "value": value, "goal": None if target.goal in (0, float("inf")) else target.goal,
             "at_most": target.at_most, "met": ok}
            for target, value, ok in verdicts(results)
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    info = document["machine"]
    print(f"Comités benchmarks, {scale.name} scale — {info['cpu']}, {info['cores']} cores,"
          f" Python {info['python']}, SQLite {info['sqlite']}")
    print(table(results))
    refused = results.get("B1", {}).get("refused")
    if refused:
        print(f"B1 refusals: {refused}")
    print(f"Written to {out}")
    return 0
