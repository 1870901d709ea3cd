"""Finding committees (`committee list`) and reading about one (`committee info`)."""

from __future__ import annotations

from typing import Annotated

from commands.committees.common import role_name
from commands.committees.membership import COMMITTEE
from commands.committees.naming import fold
from commands.errors import UserError
from commands.i18n import Number, Renderable, _, join, lines, mention, plural
from commands.invocation import Invocation
from commands.permissions import ANYONE, Role
from commands.places import parse_area
from commands.reply import Button, ButtonStyle, Reply
from commands.reports.totals import recent_line
from commands.spec import FROM_PLACE, Param, command
from storage.committees import Committee, CommitteeStatus
from storage.memberships import MemberRole
from storage.users import User

JOIN_BUTTONS = 5


@command("committee", "list", rule=ANYONE)
async def list_committees(
    inv: Invocation,
    near: Annotated[str | None, Param(_("a postal code or a département: nearest first"))] = None,
    query: Annotated[
        str | None, Param(_("words in the name or place"), positional=True, rest=True)
    ] = None,
    page: Annotated[int, Param(_("which page of results"), min=1, max=10_000)] = 1,
) -> Reply:
    """List local committees, nearest first."""
    if near:
        postal_code, departement = parse_area(near)
    elif inv.place_committee is not None:
        # Typed in a committee's space: its neighbours first.
        postal_code = inv.place_committee.postal_code
        departement = inv.place_committee.departement
    else:
        postal_code, departement = None, None
    size = inv.settings.limits.page_size
    query_key = fold(query) if query else None
    found = await inv.repos.committees.search(
        postal_code=postal_code,
        departement=departement,
        query_key=query_key or None,
        limit=size,
        offset=(page - 1) * size,
    )
    listings = found.listings
    if not listings:
        if page > 1 and found.found_any:
            raise UserError(_("There is no page {page}.").format(page=page))
        return Reply(
            _("No committee found. Start one with committee create <name> <place>"
              " <postal code>."),
            private=True,
        )
    first, last = Number((page - 1) * size + 1), Number((page - 1) * size + len(listings))
    if found.total is not None:
        header = _("Committees {first}–{last} of {total}:").format(
            first=first, last=last, total=Number(found.total))
    elif postal_code or departement:
        header = _("Committees {first}–{last}, nearest first:").format(first=first, last=last)
    else:
        header = _("Committees {first}–{last}, by name:").format(first=first, last=last)
    entries: list[Renderable] = [header]
    for listing in listings:
        committee = listing.committee
        entries.append(
            _("• {name} — {place} ({postal_code}), {members} · id {slug}").format(
                name=committee.name, place=committee.place, postal_code=committee.postal_code,
                members=plural(listing.members, _("{count} member"), _("{count} members")),
                slug=committee.slug,
            )
        )
    buttons = [
        Button(_("Join {name}").format(name=listing.committee.name),
               f"committee join {listing.committee.slug}")
        for listing in listings[:JOIN_BUTTONS]
    ]
    if found.more:
        if found.total is not None:
            pages = (found.total + size - 1) // size
            entries.append(_("Page {page} of {pages}.").format(page=page, pages=pages))
        else:
            entries.append(_("Page {page}; there are more on the next one.").format(page=page))
        buttons.append(
            Button(_("Next page"), _next_page(near, query, page + 1), ButtonStyle.PRIMARY)
        )
    return Reply(join(entries), buttons=tuple(buttons), private=True)


def _next_page(near: str | None, query: str | None, page: int) -> str:
    parts = ["committee list"]
    if near:
        parts.append(f"near={near.strip()}")
    parts.append(f"page={page}")
    if query:
        parts.append('"' + query.replace('"', "") + '"')
    return " ".join(parts)


@command("committee", "info", rule=ANYONE, allow_suspended=True)
async def info(inv: Invocation, committee: Annotated[Committee, COMMITTEE] = FROM_PLACE) -> Reply:
    """Show a committee: place, leads, members."""
    memberships = await inv.repos.memberships.of_committee(committee.id)
    users = await inv.repos.users.many([membership.user_id for membership in memberships])
    leads = [users[m.user_id] for m in memberships if m.role is MemberRole.LEAD]
    co_leads = [users[m.user_id] for m in memberships if m.role is MemberRole.CO_LEAD]
    parts: list[Renderable | None] = [
        _("{name} — {place} ({postal_code}, département {departement}) · id {slug}").format(
            name=committee.name, place=committee.place, postal_code=committee.postal_code,
            departement=committee.departement, slug=committee.slug,
        ),
        committee.description or None,
        _status_line(committee),
        _("Lead: {people}").format(people=_people(leads)) if leads else None,
        _("Co-leads: {people}").format(people=_people(co_leads)) if co_leads else None,
        plural(len(memberships), _("{count} member"), _("{count} members")),
        await recent_line(inv.repos, committee.id, inv.now(),
                          leading=inv.role >= Role.CO_LEAD or inv.is_staff),
    ]
    if inv.role >= Role.CO_LEAD or inv.is_staff:
        members = [users[m.user_id] for m in memberships if m.role is MemberRole.MEMBER]
        if members:
            parts.append(_("Members: {people}").format(people=_people(members)))
    if inv.role > Role.STRANGER:
        parts.append(_("Your role: {role}").format(role=role_name(inv.role)))
    buttons: tuple[Button, ...] = ()
    if inv.role is Role.STRANGER and committee.status is CommitteeStatus.ACTIVE:
        buttons = (Button(_("Join"), f"committee join {committee.slug}", ButtonStyle.PRIMARY),)
    return Reply(lines(*parts), buttons=buttons, private=True)


def _people(users: list[User]) -> Renderable:
    return join([mention(user) for user in users], separator=", ")


def _status_line(committee: Committee) -> Renderable | None:
    if committee.status is CommitteeStatus.SUSPENDED:
        return _("Suspended by national staff: {reason}").format(
            reason=committee.status_reason or "—"
        )
    if committee.status is CommitteeStatus.ARCHIVED:
        return _("Archived.")
    if committee.hidden:
        return _("Hidden from the list while staff review reports about it.")
    return None
