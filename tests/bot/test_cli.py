"""The `comites` command line: help everywhere, migrate, backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from storage.migrations import LATEST


def config_for(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "live.db"}"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("args", [[], ["run"], ["migrate"], ["backup"]])
def test_every_subcommand_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_migrate_creates_then_reports_up_to_date(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    first = CliRunner().invoke(cli, ["migrate", "--config", str(config)])
    assert first.exit_code == 0, first.output
    assert "applied 1:" in first.output
    second = CliRunner().invoke(cli, ["migrate", "--config", str(config)])
    assert "up to date" in second.output
    with sqlite3.connect(tmp_path / "live.db") as connection:
        (version,) = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    assert version == LATEST


def test_backup_copies_the_live_database(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    CliRunner().invoke(cli, ["migrate", "--config", str(config)])
    # The running bot keeps its connection open, in WAL mode, while the backup runs.
    live = sqlite3.connect(tmp_path / "live.db")
    live.execute("INSERT INTO platform_state (platform, key, value) VALUES ('console', 'k', 'v')")
    live.commit()
    live.execute("BEGIN")
    live.execute("INSERT INTO platform_state (platform, key, value) VALUES ('console', 'u', 'w')")
    result = CliRunner().invoke(cli, ["backup", "--config", str(config), str(tmp_path / "b.db")])
    live.rollback()
    live.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("SELECT value FROM platform_state").fetchone() == ("v",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    CliRunner().invoke(cli, ["migrate", "--config", str(config)])
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    result = CliRunner().invoke(cli, ["backup", "--config", str(config), str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_bytes() == b"keep me"


def test_a_bad_config_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[database]\npaht = 'x.db'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["migrate", "--config", str(config)])
    assert result.exit_code != 0
    assert "paht" in result.output
