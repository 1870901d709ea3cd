"""Pieces the committee commands share: snapshots for the audit log, ids for messages."""

from __future__ import annotations

from typing import Any

from commands.errors import UserError
from commands.i18n import Text, _, mention
from commands.invocation import Invocation
from commands.permissions import Role
from storage.committees import Committee
from storage.memberships import MemberRole
from storage.users import User

AUDITED = ("slug", "name", "place", "postal_code", "description", "locale", "status",
           "status_reason", "hidden")


def snapshot(committee: Committee) -> dict[str, Any]:
    return committee.model_dump(mode="json", include=set(AUDITED))


def role_name(role: MemberRole | Role) -> Text:
    names = {
        "member": _("member"),
        "co_lead": _("co-lead"),
        "lead": _("lead"),
        "stranger": _("not a member"),
    }
    key = role.value if isinstance(role, MemberRole) else role.name.lower()
    return names[key]


async def require_member(inv: Invocation, committee: Committee, user: User) -> MemberRole:
    membership = await inv.repos.memberships.get(committee.id, user.id)
    if membership is None:
        raise UserError(
            _("{who} is not a member of {committee}.").format(
                who=mention(user), committee=committee.name
            )
        )
    return membership.role


async def set_role(inv: Invocation, committee: Committee, user: User, role: MemberRole) -> None:
    """Change a member's role, in the database and in the committee's space."""
    before = await require_member(inv, committee, user)
    await inv.repos.memberships.set_role(committee.id, user.id, role)
    await inv.audit(
        "committee.role",
        target_kind="user",
        target_id=user.id,
        committee_id=committee.id,
        before={"role": before.value},
        after={"role": role.value},
    )
    space_id = await inv.repos.committees.space_of(committee.id, user.platform)
    port = inv.services.port(user.platform)
    if space_id is not None and port is not None:
        await port.set_lead(space_id, user, role is not MemberRole.MEMBER)
