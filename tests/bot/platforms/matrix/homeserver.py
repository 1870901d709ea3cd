"""A real Synapse on loopback for the Matrix tests: SQLite, a free port, fast settings.

Generated with `--generate-config` as an operator would, then adjusted: loopback only, no key
servers, no statistics, high rate limits (the rate-limit test lowers them for one account
with the admin API), cheap password hashing. Accounts are made with
`register_new_matrix_user`, the tool the README tells deployers to use.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVER_NAME = "localhost"
START_TIMEOUT = 90.0
HIGH = {"per_second": 1000, "burst_count": 1000}


class HomeserverUnavailable(Exception):
    """Synapse is not installed, or did not start."""


def synapse_installed() -> bool:
    try:
        import synapse  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Homeserver:
    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.directory / "homeserver.yaml"

    def user_id(self, name: str) -> str:
        return f"@{name}:{SERVER_NAME}"

    def configure(self) -> None:
        import yaml  # a dependency of Synapse

        subprocess.run(
            [sys.executable, "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME,
             "--config-path", str(self.config_path), "--generate-config",
             "--report-stats=no"],
            cwd=self.directory, check=True, capture_output=True, timeout=60,
        )
        config: dict[str, Any] = yaml.safe_load(self.config_path.read_text())
        config.update(
            listeners=[{
                "port": self.port, "bind_addresses": ["127.0.0.1"], "type": "http",
                "tls": False, "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }],
            trusted_key_servers=[],
            suppress_key_server_warning=True,
            report_stats=False,
            enable_registration=True,
            enable_registration_without_verification=True,
            bcrypt_rounds=4,
            presence={"enabled": False},
            url_preview_enabled=False,
            rc_message=HIGH,
            rc_registration=HIGH,
            rc_login={"address": HIGH, "account": HIGH, "failed_attempts": HIGH},
            rc_joins={"local": HIGH, "remote": HIGH},
            rc_joins_per_room=HIGH,
            rc_invites={"per_room": HIGH, "per_user": HIGH, "per_issuer": HIGH},
            rc_room_creation=HIGH,
            rc_media_create=HIGH,
        )
        self.config_path.write_text(yaml.safe_dump(config))

    def start(self) -> None:
        began = time.monotonic()
        log = (self.directory / "synapse.out").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
        )
        while time.monotonic() - began < START_TIMEOUT:
            if self.process.poll() is not None:
                raise HomeserverUnavailable(f"Synapse exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=2):
                    self.started_in = time.monotonic() - began
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise HomeserverUnavailable(f"Synapse did not answer in {START_TIMEOUT:.0f}s:\n"
                                    f"{self.log_tail()}")

    def register(self, accounts: dict[str, tuple[str, bool]]) -> None:
        """Create accounts (name: password, admin) with `register_new_matrix_user`, at once."""
        running = {
            name: subprocess.Popen(
                [sys.executable, "-m", "synapse._scripts.register_new_matrix_user",
                 "-c", str(self.config_path), "-u", name, "-p", password,
                 "--admin" if admin else "--no-admin", self.url],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )
            for name, (password, admin) in accounts.items()
        }
        for name, process in running.items():
            output, _ = process.communicate(timeout=60)
            if process.returncode != 0:
                raise HomeserverUnavailable(f"registering {name} failed: {output.decode()}")
            self.passwords[name] = accounts[name][0]

    async def api(self, method: str, path: str, token: str, body: object = None) -> Any:
        """A client-server or admin API call, to check what the clients do not show."""
        import aiohttp  # a dependency of matrix-nio

        async with aiohttp.ClientSession() as session, session.request(
            method, f"{self.url}{path}", json=body, headers={"Authorization": f"Bearer {token}"}
        ) as response:
            payload = await response.json()
            assert response.status == 200, payload
            return payload

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log_tail(self, lines: int = 30) -> str:
        path = self.directory / "synapse.out"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def in_ci() -> bool:
    return bool(os.environ.get("CI"))
