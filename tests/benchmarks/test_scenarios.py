"""The scenarios run, on a tiny dataset, doing what they say: correctness only, no timing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import burst, floor, mix
from benchmarks.generate import generate
from benchmarks.measure import Samples
from benchmarks.scale import NATIONAL, NOW, SEED
from benchmarks.scenarios import remove, working_copy
from benchmarks.workload import MIX, Planner

TINY = NATIONAL.tiny()


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "tiny.db"
    generate(path, TINY, stream=io.StringIO())
    copy = working_copy(path)
    yield copy
    remove(copy)


async def test_the_command_mix_is_answered_without_a_refusal(work: Path) -> None:
    planner = Planner(work, NOW, SEED)
    ops = planner.plan(120, "test")
    assert {op.kind for op in ops} == set(MIX)
    bench = await mix.Bench.open(work)
    tally = mix.Tally()
    try:
        await mix.run_ops(bench, ops, tally)
    finally:
        await bench.close()
    assert tally.summary()["refused"] == {}
    assert len(tally.overall.seconds) == len(ops)


def test_the_floor_does_the_same_writes(work: Path) -> None:
    ops = Planner(work, NOW, SEED).plan(120, "floor")
    plain = floor.Floor(work)
    samples = Samples()
    try:
        plain.run_ops(ops, samples)
    finally:
        plain.close()
    assert len(samples.seconds) == len(ops)


async def test_every_reminder_due_at_once_is_handed_to_the_platform(work: Path) -> None:
    found = await burst.run(work, 20, SEED)
    assert found["due"] == found["sent"] == 20
    assert found["handed_to_port"] == found["messages"] == 20 * burst.GOING
