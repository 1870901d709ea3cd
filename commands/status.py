"""Whether a committee still takes commands: suspended and archived ones do not."""

from __future__ import annotations

from commands.errors import UserError
from commands.i18n import _
from storage.committees import Committee, CommitteeStatus


def check_live(committee: Committee) -> None:
    if committee.status is CommitteeStatus.SUSPENDED:
        raise UserError(
            _("{name} is suspended by national staff ({reason}). Until it is restored, only"
              " committee info works.").format(
                name=committee.name, reason=committee.status_reason or "—"
            )
        )
    if committee.status is CommitteeStatus.ARCHIVED:
        raise UserError(
            _("{name} is archived: it no longer takes commands.").format(name=committee.name)
        )
