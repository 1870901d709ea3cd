"""What the commands need to know about the organisation, read from config by `bot/`."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commands.i18n import LOCALES

DEFAULT_CHARTER = (
    "Our committees are open to every supporter. We organise in good faith, respect "
    "everyone we meet, act within the law and share nothing about the people we talk to."
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


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Organisation = Organisation()
    limits: Limits = Limits()
