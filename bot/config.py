"""The deployment's `config.toml`, validated at start so a typo fails fast, naming the key.

Secrets never live in the file: they come from environment variables, read only when a
platform asks for them, so a config file can be shared or committed without leaking.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import types
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from bot.toml_lines import Loc, key_lines
from commands.settings import (
    Electoral,
    Impact,
    Limits,
    Materials,
    Organisation,
    Reminders,
    Settings,
    Staff,
)

DISCORD_TOKEN_ENV = "COMITES_DISCORD_TOKEN"
MATRIX_PASSWORD_ENV = "COMITES_MATRIX_PASSWORD"
MATRIX_ACCESS_TOKEN_ENV = "COMITES_MATRIX_ACCESS_TOKEN"


class ConfigError(Exception):
    """A configuration the bot refuses to start with; `str()` is meant for the deployer."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("\n".join(self.problems))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Snowflake = Annotated[int, Field(gt=0)]


class DatabaseConfig(_Section):
    # Relative to the working directory, like any path given on a command line.
    path: str = Field("data/comites.db", min_length=1)
    # Where shared files are kept, one per content (named by its SHA-256).
    blobs_path: str = Field("data/blobs", min_length=1)


class ConsoleConfig(_Section):
    user: str = Field("you", min_length=1, max_length=64)
    staff: list[str] = []
    clock: datetime | None = None

    @field_validator("clock")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A naive time would silently mean the server's zone: a script's output would vary.
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-12-05T10:00:00+01:00")
        return value


class DiscordConfig(_Section):
    enabled: bool = False
    application_id: Snowflake | None = None
    guild_ids: list[Snowflake] = []
    staff_role_ids: list[Snowflake] = []
    category_name: str = Field("Comités", min_length=1, max_length=100)
    archive_category_name: str = Field("Comités archivés", min_length=1, max_length=100)
    staff_channel_id: Snowflake | None = None
    scheduled_events: bool = False

    def token(self) -> str:
        token = os.environ.get(DISCORD_TOKEN_ENV, "").strip()
        if not token:
            raise ConfigError(f"the Discord token comes from {DISCORD_TOKEN_ENV}, which is not set")
        return token


def _matrix_user(value: str) -> str:
    if value and not re.fullmatch(r"@[^:\s]+:\S+", value):
        raise ValueError("must be a Matrix user id such as @name:example.org")
    return value


MatrixUserId = Annotated[str, AfterValidator(_matrix_user)]


class MatrixConfig(_Section):
    enabled: bool = False
    homeserver: str = ""
    user_id: MatrixUserId = ""
    space_id: str | None = None
    space_name: str = Field("Comités", min_length=1, max_length=100)
    staff_user_ids: list[MatrixUserId] = []
    staff_room_id: str | None = None
    command_prefix: str = Field("!", min_length=1, max_length=5, pattern=r"^\S+$")

    @field_validator("space_id", "staff_room_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # TOML has no null: an empty string is how the file says "not set yet".
        return None if value == "" else value

    @field_validator("space_id", "staff_room_id")
    @classmethod
    def _room_id(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("!"):
            raise ValueError("must be a room id starting with '!' (not an alias like #room:server)")
        return value

    @field_validator("homeserver")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be a URL such as https://matrix.example.org")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _required_when_enabled(self) -> MatrixConfig:
        missing = [name for name in ("homeserver", "user_id") if not getattr(self, name)]
        if self.enabled and missing:
            raise ValueError(f"{' and '.join(missing)} must be set when matrix is enabled")
        return self

    def password(self) -> str | None:
        return os.environ.get(MATRIX_PASSWORD_ENV) or None

    def access_token(self) -> str | None:
        return os.environ.get(MATRIX_ACCESS_TOKEN_ENV) or None


class DigestConfig(_Section):
    enabled: bool = True
    day_of_week: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    hour: int = Field(8, ge=0, le=23)
    minute: int = Field(0, ge=0, le=59)


class Config(_Section):
    organisation: Organisation = Organisation()
    limits: Limits = Limits()
    database: DatabaseConfig = DatabaseConfig()
    console: ConsoleConfig = ConsoleConfig()
    discord: DiscordConfig = DiscordConfig()
    matrix: MatrixConfig = MatrixConfig()
    reminders: Reminders = Reminders()
    digest: DigestConfig = DigestConfig()
    electoral: Electoral = Electoral()
    impact: Impact = Impact()
    materials: Materials = Materials()
    staff: Staff = Staff()

    # A validator on Config because only here is the organisation's timezone known; a field
    # validator (organisation is validated first) avoids replacing the frozen model itself.
    @field_validator("electoral")
    @classmethod
    def _naive_times_in_organisation_zone(
        cls, electoral: Electoral, info: ValidationInfo
    ) -> Electoral:
        organisation = info.data.get("organisation")
        if organisation is None:  # its own error is already reported
            return electoral
        zone = ZoneInfo(organisation.timezone)
        periods = [
            period.model_copy(
                update={
                    field: getattr(period, field).replace(tzinfo=zone) for field in ("start", "end")
                }
            )
            if period.start.tzinfo is None  # SilencePeriod made sure end agrees
            else period
            for period in electoral.silence_periods
        ]
        return electoral.model_copy(update={"silence_periods": periods})

    @property
    def settings(self) -> Settings:
        return Settings(
            organisation=self.organisation,
            limits=self.limits,
            reminders=self.reminders,
            electoral=self.electoral,
            impact=self.impact,
            materials=self.materials,
            staff=self.staff,
        )

    def platforms_enabled(self) -> list[str]:
        return [name for name in ("discord", "matrix") if getattr(self, name).enabled]


def load_config(path: Path | None) -> Config:
    """Read and validate `path`; `None` means every default (the console, a local database)."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (copy config.example.toml to start)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_syntax_problem(path, error)) from None

    lines = key_lines(text)
    problems: list[tuple[int | None, str]] = []

    def report(loc: Loc, message: str) -> None:
        line = _line_of(loc, lines)
        where = f"{path}:{line}" if line else str(path)
        text = f"{where}: {_dotted(loc)}: {message}" if loc else f"{where}: {message}"
        problems.append((line, text))

    # Every problem at once, in file order: one fix per restart would wear a deployer out.
    data = _without_secrets(data, (), report)
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            report(tuple(detail["loc"]), _message(detail))
    if problems:
        problems.sort(key=lambda problem: (problem[0] is None, problem[0] or 0))
        raise ConfigError([text for _, text in problems])
    return config


# --- Turning errors into lines a deployer can act on -------------------------------------

_SECRET_WORDS = ("token", "password", "secret")


def _syntax_problem(path: Path, error: tomllib.TOMLDecodeError) -> str:
    # tomllib only puts the position in its message: "Invalid value (at line 2, column 5)".
    found = re.search(r"\(at line (\d+), column (\d+)\)$", str(error))
    if found is None:
        return f"{path}: invalid TOML: {error}"
    reason = str(error)[: found.start()].strip()
    return f"{path}:{found[1]}: invalid TOML: {reason} (column {found[2]})"


def _without_secrets(value: Any, loc: Loc, report: Callable[[Loc, str], None]) -> Any:
    """Drop and report every secret-looking key, so a leaked token is refused, not ignored."""
    if isinstance(value, list):
        return [_without_secrets(item, (*loc, index), report) for index, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, item in value.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            report((*loc, key), f"secrets are not read from this file: {_secret_hint(loc, key)}")
        else:
            kept[key] = _without_secrets(item, (*loc, key), report)
    return kept


def _secret_hint(loc: Loc, key: str) -> str:
    section = loc[0] if loc else key
    if section == "discord":
        return f"set the environment variable {DISCORD_TOKEN_ENV} instead"
    if section == "matrix":
        variable = MATRIX_PASSWORD_ENV if "password" in key.lower() else MATRIX_ACCESS_TOKEN_ENV
        return f"set the environment variable {variable} instead"
    names = (DISCORD_TOKEN_ENV, MATRIX_PASSWORD_ENV, MATRIX_ACCESS_TOKEN_ENV)
    return f"secrets come from the environment only ({', '.join(names)})"


def _message(detail: ErrorDetails) -> str:
    loc = tuple(detail["loc"])
    if detail["type"] == "extra_forbidden":
        key = str(loc[-1])
        message = f'unknown key "{key}"'
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        return f'{message}, did you mean "{close[0]}"?' if close else message
    message = str(detail["msg"]).removeprefix("Value error, ")
    given = detail.get("input")
    # The value helps find the mistake, unless the message already quotes it.
    shown = given.isoformat() if isinstance(given, datetime) else repr(given)
    if isinstance(given, str | int | float | datetime) and shown not in message:
        message += f" (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
    return message


def _known_keys(loc: Loc) -> list[str]:
    """The field names of the model found at `loc`, walking Config's annotations."""
    model: type[BaseModel] | None = Config
    for step in loc:
        if model is None:
            return []
        if isinstance(step, int):  # an item of a list: the list's model was already found
            continue
        field = model.model_fields.get(step)
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, Union, types.UnionType, Annotated):
        for argument in get_args(annotation):
            if found := _model_in(argument):
                return found
    return None


def _dotted(loc: Loc) -> str:
    """`("electoral", "silence_periods", 0, "end")` -> `electoral.silence_periods[0].end`."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    # A missing key or a whole-section error points at the closest thing written in the file.
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
