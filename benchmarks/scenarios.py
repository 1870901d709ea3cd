"""B1–B6 on one dataset. They run on a working copy, so the generated file stays as it was
and every run starts from the same rows.

- B1 the command mix through the whole framework (`benchmarks.mix`);
- B2 the same mix as plain sqlite3 statements (`benchmarks.floor`), interleaved with B1 in
  rounds so that both see the same machine; B1/B2 compares their mean latencies;
- B3 the weekly and monthly national digest (`commands.digest`);
- B4 cold start to ready, and peak memory (`benchmarks.coldstart`);
- B5 reminders due in the same minute (`benchmarks.burst`);
- B6 committee search near a postal code: the repository call, and the command.
"""

from __future__ import annotations

import asyncio
import importlib
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import burst, coldstart, floor, mix
from benchmarks.measure import Samples
from benchmarks.scale import NOW, SEED, Scale
from benchmarks.workload import Planner
from commands.places import departement_of

ROUNDS = 4
ALL = ("B1", "B2", "B3", "B4", "B5", "B6")
Log = Callable[[str], None]


def working_copy(db: Path) -> Path:
    work = db.with_name(f"{db.stem}.run{db.suffix}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(db)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
    shutil.copyfile(db, work)
    return work


def remove(work: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


def run_all(db: Path, scale: Scale, only: set[str] | None, log: Log) -> dict[str, Any]:
    wanted = [name for name in ALL if only is None or name in only]
    work = working_copy(db)
    results: dict[str, Any] = {}
    try:
        # B4 first, on rows no scenario has touched yet.
        if "B4" in wanted:
            log("B4 cold start")
            results["B4"] = coldstart.measure(work, NOW)
        if "B6" in wanted:
            log("B6 committee search")
            results["B6"] = asyncio.run(search(work, scale))
        if "B1" in wanted or "B2" in wanted:
            log(f"B1/B2 command mix ({scale.commands:,} commands each)")
            results.update(asyncio.run(commands(work, scale, "B1" in wanted, "B2" in wanted)))
        if "B3" in wanted:
            log("B3 national digest")
            results["B3"] = asyncio.run(digest(work, scale))
        if "B5" in wanted:
            log(f"B5 {scale.reminders:,} reminders due at once")
            results["B5"] = asyncio.run(burst.run(work, scale.reminders, SEED))
    finally:
        remove(work)
    return results


async def commands(work: Path, scale: Scale, with_b1: bool, with_b2: bool) -> dict[str, Any]:
    planner = Planner(work, NOW, SEED)
    warm1, ops1 = planner.plan(scale.warmup, "w1"), planner.plan(scale.commands, "b1")
    warm2, ops2 = planner.plan(scale.warmup, "w2"), planner.plan(scale.commands, "b2")
    bench = await mix.Bench.open(work)
    plain = floor.Floor(work)
    try:
        if with_b1:
            await mix.run_ops(bench, warm1)
        if with_b2:
            plain.run_ops(warm2)
        b1, b2 = mix.Tally(), Samples()
        size = -(-scale.commands // ROUNDS)
        for start in range(0, scale.commands, size):
            if with_b1:
                await mix.run_ops(bench, ops1[start:start + size], b1)
            if with_b2:
                plain.run_ops(ops2[start:start + size], b2)
    finally:
        await bench.close()
        plain.close()
    found: dict[str, Any] = {}
    if with_b1:
        found["B1"] = {**b1.summary(), "platform_messages": bench.platform.messages}
    if with_b2:
        found["B2"] = b2.summary()
    if with_b1 and with_b2:
        found["B1/B2"] = round(b1.overall.mean_ms / b2.mean_ms, 2)
    return found


async def search(work: Path, scale: Scale) -> dict[str, Any]:
    """Near a postal code: the repository call, then `committee list near=` as typed."""
    rng = random.Random(SEED)
    connection = sqlite3.connect(work)
    try:
        codes = [row[0] for row in connection.execute(
            "SELECT postal_code FROM committees WHERE status = 'active' ORDER BY id")]
        users = connection.execute("SELECT MAX(id) FROM users").fetchone()[0]
    finally:
        connection.close()
    picked = ["69004", *(rng.choice(codes) for _ in range(scale.searches - 1))]
    bench = await mix.Bench.open(work)
    try:
        repo = bench.services.repos.committees
        size = bench.services.settings.limits.page_size
        call, command = Samples(), Samples()
        for round_ in ("warm", "measure"):
            for code in picked[: 50 if round_ == "warm" else None]:
                started = time.perf_counter()
                await repo.search(postal_code=code, departement=departement_of(code),
                                  query_key=None, limit=size, offset=0)
                if round_ == "measure":
                    call.add(time.perf_counter() - started)
            for code in picked[: 50 if round_ == "warm" else None]:
                user = f"u{rng.randint(1, users)}"
                started = time.perf_counter()
                ok, text = await bench.say(user, f"committee list near={code}")
                if round_ == "measure":
                    command.add(time.perf_counter() - started)
                if not ok:
                    raise RuntimeError(f"committee list near={code} refused: {text}")
        call.elapsed, command.elapsed = sum(call.seconds), sum(command.seconds)
        return {"repository": call.summary(), "command": command.summary()}
    finally:
        await bench.close()


async def digest(work: Path, scale: Scale) -> dict[str, Any]:
    """The digest staff read: its figures (one unit of work), then the text, CSV and chart."""
    try:
        build = importlib.import_module("commands.digest.build")
        figures = importlib.import_module("commands.digest.figures")
    except ModuleNotFoundError as error:
        return {"missing": f"{error.name} is not there yet"}
    bench = await mix.Bench.open(work)
    try:
        settings = bench.services.settings
        zone = settings.organisation.timezone
        found: dict[str, Any] = {}
        for kind in (figures.PeriodKind.WEEK, figures.PeriodKind.MONTH):
            period = figures.choose_period(kind, NOW, zone)
            gathered_s, whole_s = Samples(), Samples()
            for run in range(scale.digests + 1):
                started = time.perf_counter()
                gathered = await build.gather(bench.services, period, NOW, None)
                middle = time.perf_counter()
                replies = await build.replies(gathered, settings.organisation.locale,
                                              private=False)
                for reply in replies:
                    await mix.post_staff(bench, reply)
                if run:  # the first run warms up (imports matplotlib, fills caches)
                    gathered_s.add(middle - started)
                    whole_s.add(time.perf_counter() - started)
            found[kind.value] = {
                "figures_ms": round(gathered_s.percentile(50), 1),
                "whole_ms": round(whole_s.percentile(50), 1),
                "whole_max_ms": round(whole_s.percentile(100), 1),
                "runs": len(whole_s.seconds),
            }
        return found
    finally:
        await bench.close()
