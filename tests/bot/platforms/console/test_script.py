"""The console end to end: the real `comites run --console` process reading a script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS = HERE / "scripts"


def comites_command() -> list[str]:
    script = Path(sys.executable).parent / "comites"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def write_config(directory: Path) -> Path:
    config = directory / "config.toml"
    config.write_text(
        "[database]\n"
        f'path = "{directory / "comites.db"}"\n'
        "[console]\n"
        'staff = ["chloe"]\n'
        'clock = "2026-12-02T15:00:00+01:00"\n',
        encoding="utf-8",
    )
    return config


def run_script(name: str, directory: Path) -> subprocess.CompletedProcess[str]:
    config = write_config(directory)
    with (SCRIPTS / f"{name}.txt").open(encoding="utf-8") as stdin:
        return subprocess.run(
            [*comites_command(), "run", "--console", "--config", str(config)],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=directory,
            check=False,
        )


def check_script(name: str, directory: Path) -> None:
    result = run_script(name, directory)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    expected = SCRIPTS / f"{name}.expected"
    if os.environ.get("COMITES_UPDATE_EXPECTED"):
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_committee_journey(tmp_path: Path) -> None:
    check_script("committees", tmp_path)


def test_actions_journey(tmp_path: Path) -> None:
    check_script("actions", tmp_path)


def test_without_config_the_database_goes_under_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [*comites_command(), "run"],
        input="@ines committee list\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "comites.db").is_file()
    assert "@ines #general> committee list" in result.stdout
