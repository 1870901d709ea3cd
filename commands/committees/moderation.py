"""After the fact, never before: anyone flags, staff suspend and restore."""

from __future__ import annotations

from typing import Annotated

from commands.committees.common import snapshot
from commands.convert import has_hidden_characters
from commands.errors import UserError
from commands.i18n import Number, _, lines
from commands.invocation import Invocation
from commands.notify import post_staff, post_to_committee
from commands.permissions import ANYONE, STAFF
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import Param, command
from storage.committees import Committee, CommitteeStatus
from storage.flags import FlagStatus

TARGET = Param(_("the committee's id"))
REASON = Param(_("why, in a few words"), rest=True)


def _reason(inv: Invocation, reason: str) -> str:
    reason = " ".join(reason.split())
    limit = inv.settings.limits.reason_max_length
    if len(reason) < 3:
        raise UserError(_("Give a reason, in a few words."), usage=True)
    if len(reason) > limit or has_hidden_characters(reason):
        raise UserError(_("The reason must be plain text of at most {limit} characters.").format(
            limit=Number(limit)))
    return reason


@command("flag", rule=ANYONE, committee_from_place=False)
async def flag(
    inv: Invocation,
    committee: Annotated[Committee, TARGET],
    reason: Annotated[str, REASON],
) -> Reply:
    """Report a committee to national staff."""
    reason = _reason(inv, reason)
    if await inv.repos.flags.has_open("committee", committee.id, inv.actor.id):
        raise UserError(_("You have already reported {name}; staff will review it.").format(
            name=committee.name))
    flag_id = await inv.repos.flags.add("committee", committee.id, inv.actor.id, reason, inv.now())
    await inv.audit("flag.add", target_kind="committee", target_id=committee.id,
                    committee_id=committee.id, after={"flag": flag_id, "reason": reason})
    count = await inv.repos.flags.open_count("committee", committee.id)
    if count >= inv.settings.limits.flags_to_hide and not committee.hidden:
        await inv.repos.committees.set_hidden(committee.id, True)
        await inv.audit("committee.hide", target_kind="committee", target_id=committee.id,
                        committee_id=committee.id, before={"hidden": False},
                        after={"hidden": True, "flags": count})
        await post_staff(inv.services, Reply(
            _("{name} ({slug}) was reported {count} times and is hidden from the list until"
              " you review it. Last reason: {reason}").format(
                name=committee.name, slug=committee.slug, count=Number(count), reason=reason),
            buttons=(
                Button(_("Restore"), f"staff restore {committee.slug}", ButtonStyle.SUCCESS),
                Button(_("Committee info"), f"committee info {committee.slug}"),
            ),
        ))
    return Reply(_("Thank you: staff will review your report about {name}.").format(
        name=committee.name), private=True)


@command("staff", "suspend", rule=STAFF, committee_from_place=False)
async def suspend(
    inv: Invocation,
    committee: Annotated[Committee, TARGET],
    reason: Annotated[str, REASON],
) -> Reply:
    """Suspend a committee: it refuses every command but info until restored."""
    reason = _reason(inv, reason)
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
    return Reply(_("{name} is suspended.").format(name=committee.name))


@command("staff", "restore", rule=STAFF, allow_suspended=True, committee_from_place=False)
async def restore(inv: Invocation, committee: Annotated[Committee, TARGET]) -> Reply:
    """Lift a suspension, or clear the reports that hid a committee."""
    if committee.status is CommitteeStatus.ARCHIVED:
        raise UserError(_("{name} is archived: it cannot be restored.").format(
            name=committee.name))
    if committee.status is CommitteeStatus.ACTIVE and not committee.hidden:
        raise UserError(_("{name} is neither suspended nor hidden.").format(name=committee.name))
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
    return Reply(lines(_("{name} is restored.").format(name=committee.name)))
