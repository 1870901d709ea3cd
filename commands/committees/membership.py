"""Joining and leaving a committee."""

from __future__ import annotations

from typing import Annotated

from commands.errors import UserError
from commands.i18n import _, mention
from commands.invocation import Invocation
from commands.notify import post_to_committee
from commands.permissions import ANYONE, MEMBER, Role
from commands.reply import Reply
from commands.spec import FROM_PLACE, Param, command
from storage.committees import Committee
from storage.memberships import MemberRole

COMMITTEE = Param(_("the committee's id, e.g. lyon-croix-rousse"), positional=True)


@command("committee", "join", rule=ANYONE)
async def join(inv: Invocation, committee: Annotated[Committee, COMMITTEE]) -> Reply:
    """Join a local committee."""
    # The dispatcher read the membership in this unit of work: a stranger has none.
    if inv.role is not Role.STRANGER:
        raise UserError(_("You are already a member of {name}.").format(name=committee.name))
    await inv.repos.memberships.add(committee.id, inv.actor.id, MemberRole.MEMBER, inv.now())
    await inv.audit(
        "committee.join",
        target_kind="user",
        target_id=inv.actor.id,
        committee_id=committee.id,
        after={"role": MemberRole.MEMBER.value},
    )
    spaces = await inv.repos.committees.spaces_of(committee.id)
    space_id = spaces.get(inv.platform.name)
    if space_id is not None:
        await inv.platform.add_member(space_id, inv.actor)
    await post_to_committee(
        inv.services,
        committee,
        Reply(_("{who} joined the committee. Welcome!").format(
            who=mention(inv.actor)
        )),
        spaces=spaces,
    )
    return Reply(
        _("Welcome to {name}! You will hear about its actions here.").format(name=committee.name),
        private=True,
    )


@command("committee", "leave", rule=MEMBER)
async def leave(inv: Invocation, committee: Annotated[Committee, COMMITTEE] = FROM_PLACE) -> Reply:
    """Leave a committee."""
    membership = await inv.repos.memberships.get(committee.id, inv.actor.id)
    assert membership is not None  # the rule lets only members through
    if membership.role is MemberRole.LEAD:
        raise UserError(
            _("You lead {name}: hand it over first (committee handover), or archive it.").format(
                name=committee.name
            )
        )
    await inv.repos.memberships.remove(committee.id, inv.actor.id)
    await inv.audit(
        "committee.leave",
        target_kind="user",
        target_id=inv.actor.id,
        committee_id=committee.id,
        before={"role": membership.role.value},
    )
    space_id = await inv.repos.committees.space_of(committee.id, inv.platform.name)
    if space_id is not None:
        if membership.role is MemberRole.CO_LEAD:
            await inv.platform.set_lead(space_id, inv.actor, False)
        await inv.platform.remove_member(space_id, inv.actor)
    return Reply(_("You have left {name}.").format(name=committee.name), private=True)
