"""B4: cold start to ready, in a fresh process, and the memory it peaks at.

The child imports the application, builds an `App` on the dataset (no platform, so that no
network is timed), starts it: migrations checked, stale claims released, what fell due sent,
the scheduler armed from the database. It then reports, and stops. The parent times from
spawning the interpreter to that report.

    python -m benchmarks.coldstart DB_PATH NOW_ISO
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

MARK = "BENCH-READY "


async def _child(path: str, now: datetime) -> dict[str, Any]:
    import resource

    from bot.app import App
    from bot.config import Config, ConsoleConfig, DatabaseConfig

    imported = time.perf_counter()
    config = Config(database=DatabaseConfig(path=path, blobs_path=str(Path(path).parent / "blobs")),
                    console=ConsoleConfig(clock=now))
    app = App(config, console=False)
    await app.start()
    ready = time.perf_counter()
    assert app.scheduler is not None
    armed = app.scheduler.armed
    figures = {
        "import_s": imported - STARTED,
        "start_s": ready - imported,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "armed": armed.isoformat() if armed else None,
    }
    print(MARK + json.dumps(figures), flush=True)
    await app.stop()
    return figures


def measure(path: Path, now: datetime, runs: int = 5) -> dict[str, Any]:
    """Start the app `runs` times (the first warms the disk cache); the median of the rest."""
    found: list[dict[str, Any]] = []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")])}
    for _ in range(runs):
        spawned = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.coldstart", str(path), now.isoformat()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        figures: dict[str, Any] | None = None
        for line in child.stdout:
            if line.startswith(MARK):
                figures = json.loads(line[len(MARK):])
                figures["total_s"] = time.perf_counter() - spawned
                break
        _out, err = child.communicate(timeout=120)
        if figures is None or child.returncode != 0:
            raise RuntimeError(f"cold start failed ({child.returncode}): {err[-2000:]}")
        found.append(figures)
    measured = found[1:] or found
    measured.sort(key=lambda figures: figures["total_s"])
    median = measured[len(measured) // 2]
    return {
        "total_s": round(median["total_s"], 3),
        "import_s": round(median["import_s"], 3),
        "start_s": round(median["start_s"], 3),
        "maxrss_mb": round(max(figures["maxrss_mb"] for figures in measured), 1),
        "runs": len(measured),
        "scheduler_armed_for": median["armed"],
    }


if __name__ == "__main__":
    asyncio.run(_child(sys.argv[1], datetime.fromisoformat(sys.argv[2])))
