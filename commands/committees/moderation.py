"""After the fact, never before: staff suspend and restore (flagging is in commands.flags)."""

from __future__ import annotations

from typing import Annotated

from commands.committees.common import snapshot
from commands.convert import has_hidden_characters
from commands.errors import UserError
from commands.i18n import Number, _, lines
from commands.invocation import Invocation
from commands.notify import post_to_committee
from commands.permissions import STAFF
from commands.reply import Reply
from commands.spec import Param, command
from storage.committees import Committee, CommitteeStatus
from storage.flags import FlagStatus

TARGET = Param(_("the committee's id"))
REASON = Param(_("why, in a few words"), rest=True)


def clean_reason(inv: Invocation, reason: str) -> str:
    """A reason given with a flag or a suspension: a few words of plain text."""
    reason = " ".join(reason.split())
    limit = inv.settings.limits.reason_max_length
    if len(reason) < 3:
        raise UserError(_("Give a reason, in a few words."), usage=True)
    if len(reason) > limit or has_hidden_characters(reason):
        raise UserError(_("The reason must be plain text of at most {limit} characters.").format(
            limit=Number(limit)))
    return reason


@command("staff", "suspend", rule=STAFF, committee_from_place=False)
async def suspend(
    inv: Invocation,
    committee: Annotated[Committee, TARGET],
    reason: Annotated[str, REASON],
) -> Reply:
    """Suspend a committee: it refuses every command but info until restored."""
    await suspend_committee(inv, committee, clean_reason(inv, reason))
    return Reply(_("{name} is suspended.").format(name=committee.name))


async def suspend_committee(inv: Invocation, committee: Committee, reason: str) -> int:
    """Suspend, close its open flags as removed, tell its space; returns the flags closed."""
    await inv.repos.committees.set_status(committee.id, CommitteeStatus.SUSPENDED, reason)
    closed = await inv.repos.flags.close_all("committee", committee.id, FlagStatus.REMOVED,
                                             inv.actor.id, inv.now())
    after = await inv.repos.committees.get(committee.id)
    assert after is not None
    await inv.audit("committee.suspend", target_kind="committee", target_id=committee.id,
                    committee_id=committee.id, before=snapshot(committee),
                    after={**snapshot(after), "flags_closed": closed})
    await post_to_committee(inv.services, committee, Reply(
        _("National staff suspended this committee: {reason}").format(reason=reason)))
    return closed


@command("staff", "restore", rule=STAFF, allow_suspended=True, committee_from_place=False)
async def restore(inv: Invocation, committee: Annotated[Committee, TARGET]) -> Reply:
    """Lift a suspension, or clear the reports that hid a committee."""
    if committee.status is CommitteeStatus.ARCHIVED:
        raise UserError(_("{name} is archived: it cannot be restored.").format(
            name=committee.name))
    if committee.status is CommitteeStatus.ACTIVE and not committee.hidden:
        raise UserError(_("{name} is neither suspended nor hidden.").format(name=committee.name))
    await restore_committee(inv, committee)
    return Reply(lines(_("{name} is restored.").format(name=committee.name)))


async def restore_committee(inv: Invocation, committee: Committee) -> int:
    """Active and listed again, open flags closed as kept; returns the flags closed."""
    await inv.repos.committees.set_status(committee.id, CommitteeStatus.ACTIVE, None)
    await inv.repos.committees.set_hidden(committee.id, False)
    kept = await inv.repos.flags.close_all("committee", committee.id, FlagStatus.KEPT,
                                           inv.actor.id, inv.now())
    after = await inv.repos.committees.get(committee.id)
    assert after is not None
    await inv.audit("committee.restore", target_kind="committee", target_id=committee.id,
                    committee_id=committee.id, before=snapshot(committee),
                    after={**snapshot(after), "flags_closed": kept})
    if committee.status is CommitteeStatus.SUSPENDED:
        await post_to_committee(inv.services, committee, Reply(
            _("National staff restored this committee.")))
    return kept
