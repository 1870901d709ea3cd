"""What the commands need to know about the organisation, read from config by `bot/`."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commands.i18n import LOCALES
from storage.blobs import FILE_TYPES, MB

# The charter a deployment starts with, in the default language; `[organisation] charter`
# replaces it.
DEFAULT_CHARTER = (
    "Nos comités sont ouverts à toutes celles et ceux qui partagent nos valeurs. Nous agissons"
    " avec respect envers chaque personne rencontrée, dans le respect de la loi, et nous ne"
    " notons ni ne partageons rien sur les personnes rencontrées."
)


class Organisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field("Comités", min_length=1, max_length=80)
    locale: str = "fr"
    timezone: str = "Europe/Paris"
    charter: str = Field(DEFAULT_CHARTER, min_length=1, max_length=4000)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"must be one of {', '.join(LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {value!r}") from error
        return value

    @property
    def charter_hash(self) -> str:
        return hashlib.sha256(self.charter.encode()).hexdigest()[:16]


class Limits(BaseModel):
    """Friction instead of approval."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    committees_led_per_person: int = Field(2, ge=1, le=100)
    committee_creations_per_day: int = Field(3, ge=1, le=100)
    commands_per_minute: int = Field(20, ge=1, le=10_000)
    flags_to_hide: int = Field(3, ge=1, le=100)
    name_max_length: int = Field(60, ge=10, le=100)
    description_max_length: int = Field(500, ge=0, le=4000)
    reason_max_length: int = Field(300, ge=10, le=2000)
    page_size: int = Field(10, ge=1, le=25)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reminders(_Section):
    day_before_hours: int = Field(24, ge=1, le=168)
    hour_before_minutes: int = Field(60, ge=5, le=720)
    hour_before_grace_minutes: int = Field(30, ge=0, le=720)
    report_prompt_after_minutes: int = Field(30, ge=0, le=1440)

    @model_validator(mode="after")
    def _in_order(self) -> Reminders:
        # Otherwise the "hour before" reminder would come first, or after the action began.
        if self.hour_before_minutes >= self.day_before_hours * 60:
            raise ValueError("hour_before_minutes must be shorter than day_before_hours")
        if self.hour_before_grace_minutes >= self.hour_before_minutes:
            raise ValueError("hour_before_grace_minutes must be shorter than hour_before_minutes")
        return self


class SilencePeriod(_Section):
    start: datetime
    end: datetime
    label: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> SilencePeriod:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("start and end must both have a UTC offset, or neither")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Electoral(_Section):
    silence_periods: list[SilencePeriod] = []


class Impact(_Section):
    """Persuasion rates, "one voter in N", used to estimate voters persuaded in digests."""

    conversation: int = Field(14, ge=1)
    call: int = Field(100, ge=1)
    leaflet: int = Field(1000, ge=1)
    source: str = Field(
        "Field studies cited in the movement's 2017 campaign notes: a face-to-face "
        "conversation changes a voter's mind once in 14, a phone call once in 100, "
        "a leaflet once in 1000.",
        min_length=1,
        max_length=500,
    )


class Staff(_Section):
    """National staff's tools."""

    # Announcements go out one committee at a time, at most this many a second, so a send to
    # thousands of committees stays inside the platforms' rate limits.
    announce_per_second: float = Field(5, gt=0, le=50)


class Materials(_Section):
    """Files members share: how large, which types (recognised from the bytes, not the name)."""

    max_size_mb: int = Field(25, ge=1, le=500)
    # Content types, among those the blob store recognises (storage.blobs.FILE_TYPES).
    allowed_types: list[str] = Field(default_factory=lambda: list(FILE_TYPES), min_length=1)
    # Files one person may share per day: the disk is not a free-for-all.
    files_per_day: int = Field(20, ge=1, le=10_000)

    @field_validator("allowed_types")
    @classmethod
    def _recognised(cls, value: list[str]) -> list[str]:
        unknown = [item for item in value if item not in FILE_TYPES]
        if unknown:
            raise ValueError(
                f"cannot recognise {', '.join(unknown)}; known types: {', '.join(FILE_TYPES)}"
            )
        if len(set(value)) != len(value):
            raise ValueError("a type is listed twice")
        return value

    @property
    def max_size(self) -> int:
        """In bytes (a megabyte is 1024 × 1024 bytes, as platforms count upload limits)."""
        return self.max_size_mb * MB


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Organisation = Organisation()
    limits: Limits = Limits()
    reminders: Reminders = Reminders()
    electoral: Electoral = Electoral()
    impact: Impact = Impact()
    materials: Materials = Materials()
    staff: Staff = Staff()
