"""What leads do with their committee: edit it, share the lead, hand it over, archive it."""

from __future__ import annotations

from typing import Annotated

from commands.committees.common import require_member, set_role, snapshot
from commands.committees.create import _clean_description
from commands.committees.membership import COMMITTEE
from commands.committees.naming import clean_label, fold, search_key
from commands.errors import UserError
from commands.i18n import LOCALES, Number, _, mention
from commands.invocation import Invocation
from commands.notify import post_to_committee
from commands.permissions import CO_LEAD, LEAD, LEAD_OR_STAFF
from commands.places import parse_postal_code
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import FROM_PLACE, Param, command
from commands.status import check_live
from storage.committees import Committee, CommitteeStatus
from storage.memberships import MemberRole
from storage.users import User

MEMBER_PARAM = Param(_("the member, as a mention (@name)"))


@command("committee", "edit", rule=CO_LEAD)
async def edit(
    inv: Invocation,
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
    name: Annotated[str | None, Param(_("a new name"))] = None,
    place: Annotated[str | None, Param(_("a new town or neighbourhood"))] = None,
    postal_code: Annotated[str | None, Param(_("a new postal code"))] = None,
    description: Annotated[str | None, Param(_("a new description"))] = None,
    locale: Annotated[str | None, Param(_("the committee's language: fr or en"))] = None,
) -> Reply:
    """Change a committee's name, place, postal code, description or language."""
    if all(value is None for value in (name, place, postal_code, description, locale)):
        raise UserError(
            _("Say what to change, for example: committee edit description=\"…\""), usage=True
        )
    limits = inv.settings.limits
    fields: dict[str, str | None] = {}
    new_name = committee.name
    new_place = committee.place
    new_postal_code = committee.postal_code
    if name is not None:
        new_name = clean_label(name, what=_("The name"), minimum=3, maximum=limits.name_max_length)
        fields["name"] = new_name
        fields["name_key"] = fold(new_name)
    if place is not None:
        new_place = clean_label(place, what=_("The place"), minimum=2, maximum=60)
        fields["place"] = new_place
    if postal_code is not None:
        new_postal_code, departement = parse_postal_code(postal_code)
        fields["postal_code"] = new_postal_code
        fields["departement"] = departement
    if description is not None:
        fields["description"] = _clean_description(description, limits.description_max_length)
    if locale is not None:
        code = locale.strip().lower()
        if code not in LOCALES:
            raise UserError(_("The language must be fr or en."))
        fields["locale"] = code
    if name is not None or postal_code is not None:
        clash = await inv.repos.committees.live_with_name(new_postal_code, fold(new_name))
        if clash is not None and clash.id != committee.id:
            raise UserError(
                _("A committee called {name} already exists in {postal_code} ({slug}).").format(
                    name=clash.name, postal_code=new_postal_code, slug=clash.slug
                )
            )
    fields["search_key"] = search_key(new_name, new_place, new_postal_code)
    updated = await inv.repos.committees.update(committee.id, **fields)
    await inv.audit(
        "committee.edit",
        target_kind="committee",
        target_id=committee.id,
        committee_id=committee.id,
        before=snapshot(committee),
        after=snapshot(updated),
    )
    for platform, space_id in (await inv.repos.committees.spaces_of(committee.id)).items():
        port = inv.services.port(platform)
        if port is not None:
            await port.update_space(space_id, updated)
    return Reply(_("{name} is updated.").format(name=updated.name))


@command("committee", "promote", rule=LEAD)
async def promote(
    inv: Invocation,
    member: Annotated[User, MEMBER_PARAM],
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
) -> Reply:
    """Make a member co-lead of the committee."""
    role = await require_member(inv, committee, member)
    if role is not MemberRole.MEMBER:
        raise UserError(_("{who} is already co-lead or lead.").format(who=mention(member)))
    await set_role(inv, committee, member, MemberRole.CO_LEAD)
    return Reply(_("{who} is now co-lead of {name}.").format(who=mention(member),
                                                          name=committee.name))


@command("committee", "demote", rule=LEAD)
async def demote(
    inv: Invocation,
    member: Annotated[User, MEMBER_PARAM],
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
) -> Reply:
    """Make a co-lead a plain member again."""
    role = await require_member(inv, committee, member)
    if role is not MemberRole.CO_LEAD:
        raise UserError(_("{who} is not a co-lead.").format(who=mention(member)))
    await set_role(inv, committee, member, MemberRole.MEMBER)
    return Reply(_("{who} is no longer co-lead of {name}.").format(who=mention(member),
                                                                name=committee.name))


@command("committee", "handover", rule=LEAD)
async def handover(
    inv: Invocation,
    member: Annotated[User, MEMBER_PARAM],
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
) -> Reply:
    """Hand the lead of the committee to another member; you stay co-lead."""
    if member.id == inv.actor.id:
        raise UserError(_("You already lead {name}.").format(name=committee.name))
    await require_member(inv, committee, member)
    limit = inv.settings.limits.committees_led_per_person
    if await inv.repos.memberships.led_by(member.id) >= limit:
        raise UserError(
            _("{who} already leads {count} committees, the most one person can lead.").format(
                who=mention(member), count=Number(limit)
            )
        )
    await set_role(inv, committee, member, MemberRole.LEAD)
    await set_role(inv, committee, inv.actor, MemberRole.CO_LEAD)
    await post_to_committee(
        inv.services,
        committee,
        Reply(_("{who} now leads the committee.").format(who=mention(member))),
    )
    return Reply(_("You handed {name} over to {who}; you stay co-lead.").format(
        name=committee.name, who=mention(member)), private=True)


@command("committee", "archive", rule=LEAD_OR_STAFF, allow_suspended=True)
async def archive(
    inv: Invocation,
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
    confirm: Annotated[bool, Param(_("yes to confirm"))] = False,
) -> Reply:
    """Close a committee for good: its space becomes read-only."""
    if not inv.is_staff:
        # Staff may close a suspended committee; its lead may not act on it any more.
        check_live(committee)
    if not confirm:
        return Reply(
            _("Archive {name}? Its space becomes read-only and it leaves the list. This cannot"
              " be undone.").format(name=committee.name),
            buttons=(Button(_("Yes, archive it"),
                            f"committee archive {committee.slug} confirm=yes",
                            ButtonStyle.DANGER),),
            private=True,
        )
    await inv.repos.committees.set_status(committee.id, CommitteeStatus.ARCHIVED, None)
    archived = await inv.repos.committees.get(committee.id)
    assert archived is not None
    await inv.audit(
        "committee.archive",
        target_kind="committee",
        target_id=committee.id,
        committee_id=committee.id,
        before=snapshot(committee),
        after=snapshot(archived),
    )
    await post_to_committee(
        inv.services, committee,
        Reply(_("This committee is archived; this space is now read-only.")),
    )
    for platform, space_id in (await inv.repos.committees.spaces_of(committee.id)).items():
        port = inv.services.port(platform)
        if port is not None:
            await port.archive_space(space_id)
    return Reply(_("{name} is archived.").format(name=committee.name), private=True)
