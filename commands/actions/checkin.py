"""`action checkin`: who came.

A member checks themselves in from 30 minutes before the start until the end. Leads and
co-leads check in the people they name, and may still do it after the end: the record is
often filled in while writing the report. Those going who never checked in become no-shows
when attendance is closed (`close_attendance`, called at the report prompt).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from commands.actions.rsvp import ACTION
from commands.errors import UserError
from commands.i18n import Moment, Renderable, _, join, lines, mention
from commands.invocation import Invocation
from commands.permissions import ANYONE, Role
from commands.reply import Reply
from commands.services import Services
from commands.spec import Param, command
from storage.actions import Action, ActionStatus
from storage.committees import Committee
from storage.rsvps import Attendance
from storage.users import User

OPENS_BEFORE = timedelta(minutes=30)
# Enough for a big meeting; keeps one line from turning into thousands of writes.
MAX_AT_ONCE = 50

MEMBERS = Param(
    _("leads: the @members who came, several allowed; nobody to check yourself in"),
    positional=True, rest=True,
)


def checkin_opens(action: Action) -> datetime:
    return action.starts_at - OPENS_BEFORE


@command("action", "checkin", rule=ANYONE)
async def checkin(
    inv: Invocation,
    action: Annotated[Action, ACTION],
    members: Annotated[str | None, MEMBERS] = None,
) -> Reply:
    """Check in at an action: yourself, or (leads) the members who came."""
    committee = inv.committee
    assert committee is not None
    if inv.role < Role.MEMBER:
        raise UserError(
            _("Only members of {name} can check in. Join it first: committee join {slug}").format(
                name=committee.name, slug=committee.slug
            )
        )
    if action.status is ActionStatus.CANCELLED:
        raise UserError(_("This action was cancelled."))
    leading = inv.role >= Role.CO_LEAD
    people = await _named(inv, members) if members and members.strip() else [inv.actor]
    if not leading and any(person.id != inv.actor.id for person in people):
        raise UserError(
            _("Only the committee's lead and co-leads can check others in. To check yourself"
              " in: action checkin {id}").format(id=str(action.id))
        )
    _check_window(inv, action, committee, leading=leading)
    if people == [inv.actor]:
        return await _self(inv, action, committee)
    return await _others(inv, action, committee, people)


def _check_window(inv: Invocation, action: Action, committee: Committee, *,
                  leading: bool) -> None:
    now = inv.now()
    opens = checkin_opens(action)
    if now < opens:
        raise UserError(
            _("Check-in opens 30 minutes before the start: {when}.").format(
                when=Moment(opens, committee.timezone)
            )
        )
    if now >= action.ends_at and not leading:
        raise UserError(
            _("This action is over: check-in closed at its end, {when}. A lead can still record"
              " that you came.").format(when=Moment(action.ends_at, committee.timezone))
        )


async def _named(inv: Invocation, members: str) -> list[User]:
    """Each mention as a known person; refuses the whole line if one is unknown."""
    tokens = list(dict.fromkeys(members.replace(",", " ").split()))
    if len(tokens) > MAX_AT_ONCE:
        raise UserError(
            _("At most {limit} people in one check-in.").format(limit=MAX_AT_ONCE)
        )
    people: dict[int, User] = {}
    unknown: list[str] = []
    for token in tokens:
        platform_user_id = inv.platform.parse_user(token)
        user = None
        if platform_user_id is not None:
            user = await inv.repos.users.find(inv.place.platform, platform_user_id)
        if user is None:
            unknown.append(token[:60])
        else:
            people.setdefault(user.id, user)
    if unknown:
        raise UserError(lines(
            _("I don't know {who} yet: they need to have used a command here once.").format(
                who=join(unknown, separator=", ")
            ),
            _("Nothing was recorded."),
        ))
    return list(people.values())


async def _record(inv: Invocation, action: Action, committee: Committee, person: User) -> bool:
    """Check one person in; False when they already were."""
    before = await inv.repos.rsvps.get(action.id, person.id)
    if before is not None and before.attended:
        return False
    await inv.repos.rsvps.record_attendance(action.id, person.id, inv.now())
    await inv.audit(
        "action.checkin", target_kind="action", target_id=action.id, committee_id=committee.id,
        before={"user": person.id, "attended": None if before is None else before.attended},
        after={"user": person.id, "attended": True},
    )
    return True


async def _self(inv: Invocation, action: Action, committee: Committee) -> Reply:
    if not await _record(inv, action, committee, inv.actor):
        return Reply(_("You are already checked in: nothing more to do."), private=True)
    return Reply(_("Checked in: thank you for coming to {title}!").format(title=action.title),
                 private=True)


async def _others(
    inv: Invocation, action: Action, committee: Committee, people: list[User]
) -> Reply:
    done: list[Renderable] = []
    already: list[Renderable] = []
    for person in people:
        recorded = await _record(inv, action, committee, person)
        (done if recorded else already).append(mention(person))
    return Reply(lines(
        _("Checked in: {people}").format(people=join(done, separator=", ")) if done else None,
        _("Already checked in: {people}").format(people=join(already, separator=", "))
        if already else None,
    ), private=True)


async def close_attendance(services: Services, action: Action) -> Attendance:
    """Once the action has ended, those going who never checked in are stored as no-shows.

    Harmless to call again; before the end, or for a cancelled action, it changes nothing.
    Returns the attendance as it then stands (for the report prompt).
    """
    repos = services.repos
    now = services.clock.now()
    ended = action.ends_at <= now
    async with repos.db.unit():
        if ended and action.status is ActionStatus.SCHEDULED:
            missing = await repos.rsvps.unchecked_going(action.id)
            if missing:
                await repos.rsvps.close_attendance(action.id)
                await repos.audit.record(
                    actor_id=None, action="action.attendance", target_kind="action",
                    target_id=action.id, committee_id=action.committee_id, now=now,
                    after={"no_shows": missing},
                )
        return await repos.rsvps.attendance(action.id, ended=ended)
