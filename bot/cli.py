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
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from storage import Database

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



@cli.command()
@config_option
@click.option("--period", type=click.Choice(["week", "month"]), default="week",
              show_default=True, help="A calendar week (from Monday) or month.")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "png"]),
              default="text", show_default=True,
              help="The digest's text, one CSV row per committee, or the 12-week chart.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              required=True, help="File to write; - for standard output (text and csv).")
@click.option("--from", "from_date", metavar="DATE", default=None,
              help="A day in the period wanted, e.g. 2026-11-03 (default: the last complete"
              " period; a period under way is counted up to now).")
@click.option("--departement", metavar="CODE", default=None,
              help="Only this département, e.g. 69, 2A or 974 (default: the whole country).")
@click.option("--locale", type=click.Choice(["fr", "en"]), default=None,
              help="Language of the text and the chart (default: the organisation's).")
def digest(
    config_path: Path | None, period: str, output_format: str, out: Path,
    from_date: str | None, departement: str | None, locale: str | None,
) -> None:
    """Write the staff digest to a file, as staff read it in chat."""
    from bot.app import clock_of
    from commands.digest import chart
    from commands.digest.build import gather
    from commands.digest.figures import PeriodKind, choose_period
    from commands.digest.text import full_text
    from commands.errors import UserError
    from commands.i18n import RenderContext, render
    from commands.places import parse_area
    from commands.services import Services
    from storage.repositories import Repositories

    config = _load(config_path)
    _require_database(config)
    language = locale or config.organisation.locale
    if output_format == "png" and str(out) == "-":
        raise click.BadParameter("a chart goes to a file, not the terminal", param_hint="--out")
    found: list[bytes] = []

    async def go() -> None:
        db = await _open_current(config)
        try:
            services = Services(repos=Repositories(db), settings=config.settings,
                                clock=clock_of(config))
            now = services.clock.now()
            try:
                chosen = choose_period(PeriodKind(period), now, config.organisation.timezone,
                                       from_date)
                area = parse_area(departement)[1] if departement else None
            except UserError as error:
                raise click.ClickException(
                    render(error.message, RenderContext(language))) from None
            gathered = await gather(services, chosen, now, area, language)
        finally:
            await db.close()
        if output_format == "text":
            text = render(full_text(gathered.digest), RenderContext(language))
            found.append((text + "\n").encode("utf-8"))
        elif output_format == "csv":
            found.append(gathered.csv)
        else:
            # Drawn while the figures were read; again here if that failed, to say why.
            found.append(gathered.chart or chart.draw(gathered.weekly, language))

    _run(go())
    if not found:  # interrupted
        raise click.exceptions.Exit(1)
    data = found[0]
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    out.write_bytes(data)
    click.echo(f"wrote the digest to {out} ({len(data)} bytes)")


@cli.command()
@config_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="A new or empty folder (created if needed).")
def export(config_path: Path | None, out_dir: Path) -> None:
    """Write every table of the database to OUT, one CSV file per table.

    One consistent snapshot, even while the bot runs. Empty cells are NULL.
    """
    import csv

    from storage.export import ExportRepository

    config = _load(config_path)
    _require_database(config)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.ClickException(f"{out_dir} is not empty; choose a new or empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, int]] = []

    async def go() -> None:
        db = await _open_current(config)
        try:
            async with ExportRepository(db).snapshot() as reader:
                for table in await reader.tables():
                    count = -1  # the header is not a row
                    with (out_dir / f"{table}.csv").open("w", encoding="utf-8",
                                                         newline="") as handle:
                        writer = csv.writer(handle, lineterminator="\r\n")
                        async for row in reader.rows(table):
                            writer.writerow(["" if value is None else value for value in row])
                            count += 1
                    written.append((table, count))
        finally:
            await db.close()

    _run(go())
    rows = sum(count for _table, count in written)
    click.echo(f"exported {len(written)} tables ({rows} rows) to {out_dir}")


def _require_database(config: Config) -> None:
    """A reading command never creates a database where there was none."""
    if not Path(config.database.path).exists():
        raise click.ClickException(f"there is no database at {config.database.path}")


async def _open_current(config: Config) -> Database:
    """The configured database, as it is: not migrated by a reading command."""
    from storage import open_database
    from storage.migrations import LATEST, current_version

    db = await open_database(config.database.path, migrate=False)
    if await current_version(db) != LATEST:
        await db.close()
        raise click.ClickException("the database is not up to date: run comites migrate")
    return db


def main() -> None:
    cli(prog_name="comites")
