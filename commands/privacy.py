"""`privacy export` and `privacy forget`: a person's data, handed over or erased.

Political opinion is special-category data under the GDPR: which committee someone joined,
which action they went to. Everyone may take a copy of it, or have it erased, without asking.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Annotated, Any

from commands.actions.rsvp import promote_waiting
from commands.committees.common import snapshot
from commands.errors import PlatformError, UserError
from commands.i18n import Renderable, _, join, lines, mention
from commands.invocation import Invocation
from commands.notify import post_to_committee, send_direct
from commands.permissions import ANYONE
from commands.reply import Attachment, Button, ButtonStyle, Reply
from commands.services import Services
from commands.spec import Param, command
from storage.committees import Committee, CommitteeStatus
from storage.memberships import MemberRole, Membership
from storage.privacy import Identity
from storage.users import User

log = logging.getLogger(__name__)

EXPORT_FILENAME = "my-data.json"


def identity(user: User) -> Identity:
    return Identity(user_id=user.id, platform=user.platform,
                    platform_user_id=user.platform_user_id)


@command("privacy", "export", rule=ANYONE, allow_suspended=True)
async def export(inv: Invocation) -> Reply:
    """Get a file of everything the bot stores about you, privately."""
    data = await inv.repos.privacy.export(identity(inv.actor))
    document: dict[str, Any] = {
        "organisation": inv.settings.organisation.name,
        "exported_at": inv.now().isoformat(),
        **data.model_dump(mode="json"),
    }
    payload = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode()
    await inv.audit("privacy.export", target_kind="user", target_id=inv.actor.id,
                    committee_id=None)
    delivery = Reply(
        _("Everything the bot stores about you is in this file. privacy forget erases it."),
        file=Attachment(EXPORT_FILENAME, payload, "application/json"),
        private=True,
    )
    if inv.place.direct or inv.place.space_id is None:
        return delivery
    # Typed in a space: the file goes where nobody else can open it.
    if not await send_direct(inv.services, inv.actor, delivery):
        raise UserError(_("I cannot send you a private message. Open your direct messages to"
                          " the bot, or type privacy export in a private conversation with it."))
    return Reply(_("I sent you your data in a private message."), private=True)


@command("privacy", "forget", rule=ANYONE, allow_suspended=True)
async def forget(
    inv: Invocation,
    confirm: Annotated[bool, Param(_("yes to confirm"))] = False,
) -> Reply:
    """Erase everything the bot stores about you: memberships, answers, your account."""
    plan = await _plan(inv)
    if not confirm:
        return _ask(plan)
    who = inv.actor
    after = _AfterCommit(inv.services, who)
    for committee, heir in plan.handovers:
        await inv.repos.memberships.set_role(committee.id, heir.id, MemberRole.LEAD)
        await inv.repos.audit.record(
            actor_id=None, action="committee.role", target_kind="user", target_id=heir.id,
            committee_id=committee.id, now=inv.now(), before={"role": MemberRole.CO_LEAD.value},
            after={"role": MemberRole.LEAD.value, "reason": "privacy.forget"})
        after.handed_over.append((committee, heir))
    for committee in plan.archives:
        await inv.repos.committees.set_status(committee.id, CommitteeStatus.ARCHIVED, None)
        archived = await inv.repos.committees.get(committee.id)
        assert archived is not None
        await inv.repos.audit.record(
            actor_id=None, action="committee.archive", target_kind="committee",
            target_id=committee.id, committee_id=committee.id, now=inv.now(),
            before=snapshot(committee), after={**snapshot(archived), "reason": "privacy.forget"})
        after.archived.append(committee)
    after.left = [(committee, membership.role) for committee, membership in plan.memberships
                  if committee.status is not CommitteeStatus.ARCHIVED]

    places = await inv.repos.privacy.going_to(who.id)
    await inv.repos.privacy.forget(identity(who))
    # Their places are free: the next people waiting get them (and hear about it).
    for action_id in places:
        action = await inv.repos.actions.get(action_id)
        if action is None:
            continue
        home = await inv.repos.committees.get(action.committee_id)
        if home is not None:
            await promote_waiting(inv.services, action, home)
    await inv.repos.audit.record(
        actor_id=None, action="privacy.forget", target_kind="user", target_id=None,
        committee_id=None, now=inv.now(),
        after={"handed_over": len(plan.handovers), "archived": len(plan.archives)})
    inv.later(after.run, "privacy forget: spaces")
    return Reply(lines(
        _("Done: the bot no longer stores anything about you. Your memberships and answers are"
          " erased; reports, flags and materials you shared stay, without your name."),
        *_outcome_lines(plan),
        _("If you type a command again, the bot will know you as a new person."),
    ), private=True)


@dataclass
class _Plan:
    # Every committee they belong to, with their membership.
    memberships: list[tuple[Committee, Membership]]
    # Committees they lead: to the longest-serving co-lead, or archived when there is none.
    handovers: list[tuple[Committee, User]]
    archives: list[Committee]


async def _plan(inv: Invocation) -> _Plan:
    repos = inv.repos
    memberships: list[tuple[Committee, Membership]] = []
    handovers: list[tuple[Committee, User]] = []
    archives: list[Committee] = []
    limit = inv.settings.limits.committees_led_per_person
    for membership in await repos.memberships.of_user(inv.actor.id):
        committee = await repos.committees.get(membership.committee_id)
        if committee is None:
            continue
        memberships.append((committee, membership))
        if membership.role is not MemberRole.LEAD or (
            committee.status is CommitteeStatus.ARCHIVED
        ):
            continue
        co_leads = [m for m in await repos.memberships.of_committee(committee.id)
                    if m.role is MemberRole.CO_LEAD]  # longest-serving first
        if not co_leads:
            archives.append(committee)
            continue
        # A co-lead who may lead one more committee, else the longest-serving one anyway:
        # the cap slows down founding committees; it must not archive a living one.
        heir_id = co_leads[0].user_id
        for candidate in co_leads:
            if await repos.memberships.led_by(candidate.user_id) < limit:
                heir_id = candidate.user_id
                break
        heir = await repos.users.get(heir_id)
        assert heir is not None
        handovers.append((committee, heir))
    return _Plan(memberships, handovers, archives)


def _outcome_lines(plan: _Plan) -> list[Renderable]:
    found: list[Renderable] = []
    for committee, heir in plan.handovers:
        found.append(_("{who} now leads {name}.").format(who=mention(heir), name=committee.name))
    for committee in plan.archives:
        found.append(_("{name} had no co-lead to take over: it is archived.").format(
            name=committee.name))
    return found


def _ask(plan: _Plan) -> Reply:
    parts: list[Renderable] = [
        _("Erase everything the bot stores about you? You leave every committee, your answers"
          " to actions are removed and your places go to the next people waiting. Reports, flags"
          " and materials you shared stay, without your name. This cannot be undone."),
    ]
    for committee, heir in plan.handovers:
        parts.append(_("{name} will be handed to {who}.").format(name=committee.name,
                                                                 who=mention(heir)))
    for committee in plan.archives:
        parts.append(_("{name} has no co-lead: it will be archived.").format(
            name=committee.name))
    parts.append(_("privacy export gives you a copy first."))
    return Reply(
        join(parts),
        buttons=(Button(_("Yes, erase everything"), "privacy forget confirm=yes",
                        ButtonStyle.DANGER),
                 Button(_("Get a copy first"), "privacy export")),
        private=True,
    )


@dataclass
class _AfterCommit:
    """What the platforms must do once the erasure is committed (and only then)."""

    services: Services
    who: User
    left: list[tuple[Committee, MemberRole]] = field(default_factory=list)
    handed_over: list[tuple[Committee, User]] = field(default_factory=list)
    archived: list[Committee] = field(default_factory=list)

    async def run(self) -> None:
        services, who = self.services, self.who
        port = services.port(who.platform)
        for committee, role in self.left:
            space_id = await services.repos.committees.space_of(committee.id, who.platform)
            if port is None or space_id is None:
                continue
            if role is not MemberRole.MEMBER:
                await _attempt(committee, port.set_lead(space_id, who, False))
            await _attempt(committee, port.remove_member(space_id, who))
        for committee, heir in self.handed_over:
            await _attempt(committee, post_to_committee(services, committee, Reply(
                _("{who} now leads the committee.").format(who=mention(heir)))))
        for committee in self.archived:
            await _attempt(committee, post_to_committee(services, committee, Reply(
                _("This committee's lead has left and no co-lead could take over: the"
                  " committee is archived; this space is now read-only."))))
            spaces = await services.repos.committees.spaces_of(committee.id)
            for platform, space_id in sorted(spaces.items()):
                space_port = services.port(platform)
                if space_port is not None:
                    await _attempt(committee, space_port.archive_space(space_id))


async def _attempt(committee: Committee, step: Awaitable[None]) -> None:
    """A platform refusal must not stop the rest: the erasure itself is already done."""
    try:
        await step
    except PlatformError as error:
        log.warning("privacy forget: %s: %s", committee.slug, error.message)


__all__ = ["export", "forget", "identity"]
