"""How an action is shown: the same card after scheduling, on info, after an RSVP."""

from __future__ import annotations

from dataclasses import dataclass

from commands.actions.kinds import kind_label
from commands.i18n import Renderable, Span, _, join, mention
from commands.permissions import Role
from commands.reply import ActionCard, Button, ButtonStyle, Reply
from commands.services import Services
from storage.actions import Action, ActionStatus
from storage.campaigns import Campaign
from storage.committees import Committee
from storage.rsvps import Answer, Counts, Rsvp
from storage.users import User


def rsvp_buttons(action: Action) -> tuple[Button, ...]:
    return (
        Button(_("Going"), f"action rsvp {action.id} going", ButtonStyle.SUCCESS),
        Button(_("Maybe"), f"action rsvp {action.id} maybe"),
        Button(_("Not going"), f"action rsvp {action.id} no", ButtonStyle.DANGER),
    )


def counts_line(action: Action, counts: Counts) -> Renderable:
    going: Renderable = str(counts.going)
    if action.capacity is not None:
        going = f"{counts.going}/{action.capacity}"
    return _("Going: {going} · Maybe: {maybe} · Waiting list: {waitlist}").format(
        going=going, maybe=counts.maybe, waitlist=counts.waitlist
    )


async def card(
    services: Services,
    action: Action,
    committee: Committee,
    *,
    viewer: User | None,
    role: Role,
    is_staff: bool,
) -> Reply:
    """The action as this viewer may see it: details only for those going, leads and staff."""
    rows = await card_rows(services, action, viewer=viewer, role=role, is_staff=is_staff)
    return card_of(services, action, committee, rows)


@dataclass(slots=True)
class CardRows:
    """What a card shows besides the action: counts, the viewer's answer, the campaign, and
    (for leads and staff) who answered what."""

    counts: Counts
    answer: Rsvp | None
    campaign: Campaign | None
    leading: bool
    attendees: tuple[Renderable, ...] = ()


async def card_rows(
    services: Services, action: Action, *, viewer: User | None, role: Role, is_staff: bool
) -> CardRows:
    repos = services.repos
    answer = None
    if viewer is not None:
        counts, answer = await repos.rsvps.counts_and_own(action.id, viewer.id)
    else:
        counts = await repos.rsvps.counts(action.id)
    campaign = None
    if action.campaign_id is not None:
        campaign = await repos.campaigns.get(action.campaign_id)
    leading = role >= Role.CO_LEAD or is_staff
    attendees = tuple(await _attendees(services, action)) if leading else ()
    return CardRows(counts, answer, campaign, leading, attendees)


def card_of(services: Services, action: Action, committee: Committee, rows: CardRows) -> Reply:
    """`card`, from rows already read (several cards at once read them together)."""
    counts, answer, campaign, leading = rows.counts, rows.answer, rows.campaign, rows.leading
    going = answer is not None and answer.answer is Answer.GOING
    waiting = answer is not None and answer.answer is Answer.WAITLIST
    parts: list[Renderable | None] = [
        _("Where: {location}").format(location=action.location) if action.location else None,
        counts_line(action, counts),
        _("Campaign: {name}").format(name=campaign.name) if campaign else None,
    ]
    if action.details and (going or leading):
        parts.append(_("Details, for those going: {details}").format(details=action.details))
    elif action.details and waiting:
        parts.append(_("You are on the waiting list: the details come with a place."))
    elif action.details:
        parts.append(_("Answer going to see the meeting point and details."))
    if action.status is ActionStatus.CANCELLED:
        parts.append(_("Cancelled: {reason}").format(reason=action.cancel_reason or "—"))
    parts.extend(rows.attendees)
    buttons: tuple[Button, ...] = ()
    if action.status is ActionStatus.SCHEDULED and action.ends_at > services.clock.now():
        buttons = rsvp_buttons(action)
    shown = ActionCard(
        action_id=action.id,
        title=_("{kind}: {title}").format(kind=kind_label(action.kind), title=action.title),
        starts_at=action.starts_at,
        ends_at=action.ends_at,
        location=action.location,
        going=counts.going,
        maybe=counts.maybe,
        waitlist=counts.waitlist,
        capacity=action.capacity,
        cancelled=action.status is ActionStatus.CANCELLED,
        when=Span(action.starts_at, action.ends_at, committee.timezone),
        body=tuple(part for part in parts if part is not None),
        footer=_("Action {id} · {committee}").format(id=str(action.id),
                                                     committee=committee.name),
    )
    return Reply(shown, buttons=buttons)


async def public_card(services: Services, action_id: int) -> Reply | None:
    """The card as anyone in the committee's space sees it: no details, no attendee list."""
    action = await services.repos.actions.get(action_id)
    if action is None:
        return None
    committee = await services.repos.committees.get(action.committee_id)
    if committee is None:
        return None
    return await card(services, action, committee, viewer=None, role=Role.MEMBER,
                      is_staff=False)


async def _attendees(services: Services, action: Action) -> list[Renderable]:
    rsvps = await services.repos.rsvps.of_action(action.id)
    users = await services.repos.users.many([rsvp.user_id for rsvp in rsvps])
    found: list[Renderable] = []
    for answer, label in (
        (Answer.GOING, _("Going: {people}")),
        (Answer.MAYBE, _("Maybe: {people}")),
        (Answer.WAITLIST, _("Waiting list: {people}")),
    ):
        people = [mention(users[r.user_id]) for r in rsvps if r.answer is answer]
        if people:
            found.append(label.format(people=join(people, separator=", ")))
    return found
