"""`action rsvp`: going, maybe or not; a waiting list when the action is full."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from commands.actions.card import card
from commands.errors import UserError
from commands.i18n import Renderable, Span, _, lines
from commands.invocation import Invocation
from commands.notify import send_direct
from commands.permissions import ANYONE, Role
from commands.reply import Button, ButtonStyle, Reply
from commands.services import Services
from commands.spec import Param, command
from storage.actions import Action, ActionStatus
from storage.committees import Committee
from storage.rsvps import Answer
from storage.users import User

ACTION = Param(_("the action's number"))


class Response(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"

    @classmethod
    def _missing_(cls, value: object) -> Response | None:
        aliases = {"yes": "going", "oui": "going", "je viens": "going", "present": "going",
                   "présent": "going", "peut-être": "maybe", "peut-etre": "maybe",
                   "peutetre": "maybe", "non": "no", "absent": "no", "not going": "no"}
        code = aliases.get(str(value).lower())
        return None if code is None else cls(code)


@command("action", "rsvp", rule=ANYONE)
async def rsvp(
    inv: Invocation,
    action: Annotated[Action, ACTION],
    answer: Annotated[Response, Param(_("going, maybe or no"))],
) -> Reply:
    """Say whether you are coming to an action."""
    committee = inv.committee
    assert committee is not None
    if action.status is ActionStatus.CANCELLED:
        raise UserError(_("This action was cancelled."))
    if action.ends_at <= inv.now():
        raise UserError(_("This action is over."))
    repos = inv.repos
    before = await repos.rsvps.get(action.id, inv.actor.id)
    previous = before.answer if before else None
    wanted = Answer(answer.value)
    if previous is Answer.GOING and wanted is Answer.GOING:
        # The reminder's "I'm coming" button: a confirmation, not a mistake.
        return Reply(_("Confirmed: see you there!"), private=True)
    if previous is wanted or (previous is Answer.WAITLIST and wanted is Answer.GOING):
        raise UserError(_("That is already your answer."))
    recorded = wanted
    if wanted is Answer.GOING and action.capacity is not None:
        counts = await repos.rsvps.counts(action.id)
        if counts.going >= action.capacity:
            recorded = Answer.WAITLIST
    await repos.rsvps.set(action.id, inv.actor.id, recorded, inv.now())
    await inv.audit("action.rsvp", target_kind="action", target_id=action.id,
                    committee_id=committee.id,
                    before={"answer": previous.value if previous else None},
                    after={"answer": recorded.value})
    if previous is Answer.GOING:
        await promote_waiting(inv.services, action, committee)
    shown = await card(inv.services, action, committee, viewer=inv.actor, role=inv.role,
                       is_staff=inv.is_staff)
    return Reply(lines(_answer_line(recorded, action, committee), shown.text),
                 buttons=shown.buttons, private=True)


def _answer_line(answer: Answer, action: Action, committee: Committee) -> Renderable:
    when = Span(action.starts_at, action.ends_at, committee.timezone)
    return {
        Answer.GOING: _("You are going: {when}. You will get reminders before it starts."
                        ).format(when=when),
        Answer.WAITLIST: _("The action is full: you are on the waiting list, and will hear as"
                           " soon as a place frees up."),
        Answer.MAYBE: _("Noted as maybe: {when}.").format(when=when),
        Answer.NO: _("Noted: you are not going."),
    }[answer]


async def promote_waiting(services: Services, action: Action, committee: Committee) -> list[User]:
    """Fill free places from the waiting list, first come first served, and tell them."""
    if action.status is not ActionStatus.SCHEDULED or action.ends_at <= services.clock.now():
        return []
    repos = services.repos
    counts = await repos.rsvps.counts(action.id)
    free = counts.waitlist if action.capacity is None else action.capacity - counts.going
    promoted: list[User] = []
    for _place in range(max(0, free)):
        waiting = await repos.rsvps.first_waiting(action.id)
        if waiting is None:
            break
        await repos.rsvps.set(action.id, waiting.user_id, Answer.GOING, services.clock.now())
        await repos.audit.record(actor_id=None, action="action.promote", target_kind="action",
                                 target_id=action.id, committee_id=committee.id,
                                 now=services.clock.now(), before={"answer": "waitlist"},
                                 after={"answer": "going", "user": waiting.user_id})
        user = await repos.users.get(waiting.user_id)
        if user is None:
            continue
        promoted.append(user)
        shown = await card(services, action, committee, viewer=user, role=Role.MEMBER,
                           is_staff=False)
        await send_direct(services, user, Reply(
            lines(_("A place freed up: you are now going to {title}.").format(title=action.title),
                  shown.text),
            buttons=(Button(_("I can't come after all"), f"action rsvp {action.id} no",
                            ButtonStyle.DANGER),),
        ), committee)
    return promoted

