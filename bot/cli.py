"""The `comites` command line."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from bot.config import Config, ConfigError, load_config

DEFAULT_CONFIG = Path("config.toml")

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    envvar="COMITES_CONFIG",
    help="Configuration file (default: config.toml when it exists, else built-in defaults).",
)


def _load(config_path: Path | None) -> Config:
    if config_path is None and DEFAULT_CONFIG.exists():
        config_path = DEFAULT_CONFIG
    try:
        return load_config(config_path)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


def _run(main: Coroutine[Any, Any, None]) -> None:
    """Run until done; SIGINT and SIGTERM stop everything cleanly."""

    async def guarded() -> None:
        task = asyncio.ensure_future(main)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(guarded())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more (to standard error).")
def cli(verbose: bool) -> None:
    """Comités: local committees for a movement, organised in chat."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@cli.command()
@config_option
@click.option("--console", is_flag=True, help="Run the console even when platforms are set up.")
def run(config_path: Path | None, console: bool) -> None:
    """Start the bot: every configured platform, or the console when none is."""
    from bot.app import App

    config = _load(config_path)
    _run(App(config, console=True if console else None).run())


@cli.command()
@config_option
def migrate(config_path: Path | None) -> None:
    """Bring the database schema up to date (the bot also does it on start)."""
    from storage import open_database
    from storage.migrations import upgrade

    config = _load(config_path)

    async def go() -> None:
        db = await open_database(config.database.path, migrate=False)
        try:
            applied = await upgrade(db)
        finally:
            await db.close()
        if applied:
            for migration in applied:
                click.echo(f"applied {migration.version}: {migration.description}")
        else:
            click.echo("the database is up to date")

    _run(go())


@cli.command()
@config_option
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def backup(config_path: Path | None, path: Path) -> None:
    """Copy the database to PATH, safely, even while the bot runs."""
    from storage import open_database

    config = _load(config_path)
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new file")
    if not Path(config.database.path).exists():
        raise click.ClickException(f"there is no database at {config.database.path}")

    async def go() -> None:
        db = await open_database(config.database.path, migrate=False)
        try:
            await db.backup(path)
        finally:
            await db.close()

    _run(go())
    click.echo(f"backed up {config.database.path} to {path} ({path.stat().st_size} bytes)")


@cli.group()
def reminders() -> None:
    """Reminders the database has planned."""


@reminders.command()
@config_option
@click.option(
    "--until",
    "until_text",
    required=True,
    metavar="DATETIME",
    help='Up to when, e.g. "2026-12-06 12:00" (in the organisation\'s timezone unless an'
    " offset such as +01:00 is given).",
)
def preview(config_path: Path | None, until_text: str) -> None:
    """List the reminders that would be sent until DATETIME, to whom and when; sends nothing."""
    from bot.app import clock_of
    from commands.reminders import preview as planned_until
    from commands.services import Services
    from storage import open_database
    from storage.migrations import LATEST, current_version
    from storage.repositories import Repositories

    config = _load(config_path)
    zone = ZoneInfo(config.organisation.timezone)
    try:
        until = datetime.fromisoformat(until_text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{until_text!r} is not a date and time; try \"2026-12-06 12:00\"",
            param_hint="--until",
        ) from None
    if until.tzinfo is None:
        until = until.replace(tzinfo=zone)
    if not Path(config.database.path).exists():
        raise click.ClickException(f"there is no database at {config.database.path}")
    rows: list[list[str]] = []

    async def go() -> None:
        db = await open_database(config.database.path, migrate=False)
        try:
            if await current_version(db) != LATEST:
                raise click.ClickException("the database is not up to date: run comites migrate")
            services = Services(repos=Repositories(db), settings=config.settings,
                                clock=clock_of(config))
            for message in await planned_until(services, until):
                rows.append([
                    f"{message.at.astimezone(zone):%Y-%m-%d %H:%M}",
                    message.kind.value,
                    f"{message.action_id} {message.title}",
                    ", ".join(message.recipients) or "-",
                    message.destination,
                ])
        finally:
            await db.close()

    _run(go())
    shown_until = f"{until.astimezone(zone):%Y-%m-%d %H:%M}"
    if not rows:
        click.echo(f"nothing to send until {shown_until} ({zone.key})")
        return
    click.echo(_table([f"due ({zone.key})", "kind", "action", "recipients", "to"], rows))
    click.echo(f"{len(rows)} reminder(s) until {shown_until}")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


@cli.group("discord")
def discord_group() -> None:
    """The Discord application."""


@discord_group.command("sync")
@config_option
def discord_sync(config_path: Path | None) -> None:
    """Send the slash commands to Discord now, even when they look unchanged.

    The bot syncs them by itself at start when they changed; this is for when Discord shows
    old ones anyway (someone edited them, or the database was replaced).
    """
    import commands.catalog  # noqa: F401  (declares every command)
    from bot.platforms.discord import DiscordPlatform
    from commands.dispatch import Dispatcher
    from commands.services import Services
    from storage import open_database
    from storage.repositories import Repositories

    config = _load(config_path)
    try:
        token = config.discord.token()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    synced: list[str] = []

    async def go() -> None:
        db = await open_database(config.database.path)
        try:
            services = Services(repos=Repositories(db), settings=config.settings)
            platform = DiscordPlatform(config.discord, services, Dispatcher(services))
            try:
                synced.extend(await platform.sync(token))
            except Exception as error:  # a bad token, Discord unreachable: said plainly
                raise click.ClickException(f"Discord: {error}") from error
        finally:
            await db.close()

    _run(go())
    click.echo(f"commands synced for {', '.join(synced)}")


def main() -> None:
    cli(prog_name="comites")
