"""Electoral silence (Code électoral L49): no public campaigning in the configured periods."""

from __future__ import annotations

from datetime import datetime

from commands.actions.kinds import PUBLIC_FIELD_WORK, ActionKind, kind_label
from commands.errors import UserError
from commands.i18n import Moment, _
from commands.settings import Settings, SilencePeriod


def silence_over(settings: Settings, start: datetime, end: datetime) -> SilencePeriod | None:
    """The silence period that [start, end) overlaps, if any."""
    for period in settings.electoral.silence_periods:
        if start < period.end and end > period.start:
            return period
    return None


def check_silence(settings: Settings, kind: ActionKind, start: datetime, end: datetime) -> None:
    if kind not in PUBLIC_FIELD_WORK:
        return
    period = silence_over(settings, start, end)
    if period is None:
        return
    zone = settings.organisation.timezone
    raise UserError(
        _("No {kind} then: electoral silence ({label}) from {start} until {end}. Meetings,"
          " phone banks and online actions are still possible.").format(
            kind=kind_label(kind), label=period.label,
            start=Moment(period.start, zone), end=Moment(period.end, zone),
        )
    )
