"""Who may run a command: a role in the committee concerned, or staff."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from commands.i18n import Text, _
from storage.memberships import MemberRole


class Role(IntEnum):
    STRANGER = 0
    MEMBER = 1
    CO_LEAD = 2
    LEAD = 3

    @classmethod
    def of(cls, member_role: MemberRole | None) -> Role:
        if member_role is None:
            return cls.STRANGER
        return {
            MemberRole.MEMBER: cls.MEMBER,
            MemberRole.CO_LEAD: cls.CO_LEAD,
            MemberRole.LEAD: cls.LEAD,
        }[member_role]


@dataclass(frozen=True)
class Rule:
    """At least `role` in the committee concerned; `staff` also lets national staff through."""

    role: Role | None
    staff: bool
    description: Text

    def allows(self, role: Role, is_staff: bool) -> bool:
        if is_staff and self.staff:
            return True
        return self.role is not None and role >= self.role


ANYONE = Rule(Role.STRANGER, staff=True, description=_("anyone"))
MEMBER = Rule(Role.MEMBER, staff=False, description=_("members of the committee"))
CO_LEAD = Rule(Role.CO_LEAD, staff=False, description=_("the committee's lead and co-leads"))
LEAD = Rule(Role.LEAD, staff=False, description=_("the committee's lead"))
LEAD_OR_STAFF = Rule(Role.LEAD, staff=True, description=_("the committee's lead, or staff"))
STAFF = Rule(None, staff=True, description=_("national staff"))
