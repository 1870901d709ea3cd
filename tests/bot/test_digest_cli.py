"""The digest from the command line and the scheduler: `comites digest`, `comites export`, and
the weekly job the app registers from `[digest]`.

CliRunner runs the command's own event loop (asyncio.run), so these tests are synchronous;
the database is built first, in a loop of its own.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import struct
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.app import DIGEST_JOB, App
from bot.cli import cli
from bot.config import Config, DatabaseConfig, DigestConfig
from storage import open_database
from tests.commands.digest.world import build

PARIS = ZoneInfo("Europe/Paris")


def world_at(tmp_path: Path) -> Path:
    """A database holding the hand-built movement, and a config whose clock is its NOW."""
    path = tmp_path / "live.db"

    async def fill() -> None:
        db = await open_database(path)
        try:
            await build(db)
        finally:
            await db.close()

    asyncio.run(fill())
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\npath = "{path}"\n\n[console]\nclock = "2026-12-07T08:00:00+01:00"\n',
        encoding="utf-8",
    )
    return config


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", [["digest"], ["export"]])
def test_help(args: list[str]) -> None:
    assert "Usage:" in invoke(*args, "--help")


def test_digest_as_text(tmp_path: Path) -> None:
    config = world_at(tmp_path)
    out = tmp_path / "digest.txt"

    said = invoke("digest", "--config", str(config), "--out", str(out), "--locale", "en")

    assert f"wrote the digest to {out}" in said
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Digest of the week from Monday 30 November 2026 to Sunday 6"
                           " December 2026")
    assert "Field actions held: 10 (+100%)." in text
    assert "Voters persuaded, estimated: 11 (+223%)." in text


def test_digest_of_a_month_in_french_on_standard_output(tmp_path: Path) -> None:
    config = world_at(tmp_path)

    said = invoke("digest", "--config", str(config), "--period", "month", "--from",
                  "2026-11-03", "--departement", "69", "--out", "-")

    assert "novembre 2026" in said
    assert "69" in said


def test_digest_as_csv(tmp_path: Path) -> None:
    config = world_at(tmp_path)
    out = tmp_path / "digest.csv"

    invoke("digest", "--config", str(config), "--format", "csv", "--out", str(out))

    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6
    assert sum(int(row["actions"]) for row in rows) == 10
    assert {row["slug"]: row["attendees"] for row in rows}["paris-11e"] == "10"


def test_digest_as_png(tmp_path: Path) -> None:
    config = world_at(tmp_path)
    out = tmp_path / "chart.png"

    invoke("digest", "--config", str(config), "--format", "png", "--out", str(out))

    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (1000, 500)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--from", "2030-01-01"], "has not started yet"),
     (["--departement", "XY"], "is neither a postal code")],
)
def test_digest_mistakes(tmp_path: Path, args: list[str], message: str) -> None:
    config = world_at(tmp_path)

    result = CliRunner().invoke(cli, ["digest", "--config", str(config), "--out",
                                      str(tmp_path / "x.txt"), "--locale", "en", *args])

    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.txt").exists()


def test_digest_needs_a_database(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")

    result = CliRunner().invoke(cli, ["digest", "--config", str(config), "--out",
                                      str(tmp_path / "x.txt")])

    assert result.exit_code != 0
    assert "there is no database" in result.output
    assert not (tmp_path / "none.db").exists()


def test_export_writes_every_table(tmp_path: Path) -> None:
    config = world_at(tmp_path)
    out = tmp_path / "export"

    said = invoke("export", "--config", str(config), "--out", str(out))

    with sqlite3.connect(tmp_path / "live.db") as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                  for table in tables}
        action_columns = [row[1] for row in connection.execute("PRAGMA table_info(actions)")]
    assert sorted(path.stem for path in out.glob("*.csv")) == sorted(tables)
    for table, count in counts.items():
        with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            _header, *rows = list(csv.reader(handle))
        assert len(rows) == count, table
    assert f"exported {len(tables)} tables ({sum(counts.values())} rows)" in said
    with (out / "actions.csv").open(encoding="utf-8", newline="") as handle:
        actions = list(csv.DictReader(handle))
    assert list(actions[0]) == action_columns
    assert {row["title"]: row["status"] for row in actions}["a8"] == "cancelled"
    assert {row["title"]: row["campaign_id"] for row in actions}["a3"] == ""  # NULL


def test_export_refuses_a_folder_in_use(tmp_path: Path) -> None:
    config = world_at(tmp_path)
    out = tmp_path / "export"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")

    result = CliRunner().invoke(cli, ["export", "--config", str(config), "--out", str(out)])

    assert result.exit_code != 0
    assert "not empty" in result.output
    assert sorted(path.name for path in out.iterdir()) == ["keep.txt"]


async def test_the_app_schedules_the_weekly_digest(tmp_path: Path) -> None:
    config = Config(database=DatabaseConfig(path=str(tmp_path / "app.db")),
                    digest=DigestConfig(day_of_week="tue", hour=7, minute=30))
    app = App(config, console=False)
    await app.start()
    try:
        assert app.scheduler is not None
        moment = app.scheduler.next_run(DIGEST_JOB)
        assert isinstance(moment, datetime)
        local = moment.astimezone(PARIS)
        assert (local.weekday(), local.hour, local.minute) == (1, 7, 30)
    finally:
        await app.stop()


async def test_a_disabled_digest_is_not_scheduled(tmp_path: Path) -> None:
    config = Config(database=DatabaseConfig(path=str(tmp_path / "app.db")),
                    digest=DigestConfig(enabled=False))
    app = App(config, console=False)
    await app.start()
    try:
        assert app.scheduler is not None
        assert app.scheduler.next_run(DIGEST_JOB) is None
    finally:
        await app.stop()
