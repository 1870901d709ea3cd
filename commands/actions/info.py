"""`action info`: one action as the reader may see it, and how attendance went once it is over."""

from __future__ import annotations

from typing import Annotated

from commands.actions.card import card_of, card_rows
from commands.actions.checkin import checkin_opens
from commands.actions.rsvp import ACTION
from commands.i18n import Renderable, _, lines
from commands.invocation import Invocation
from commands.permissions import ANYONE, Role
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import command
from storage.actions import Action, ActionStatus
from storage.rsvps import Answer


@command("action", "info", rule=ANYONE, allow_suspended=True)
async def info(inv: Invocation, action: Annotated[Action, ACTION]) -> Reply:
    """Show an action: when, where, who is going."""
    committee = inv.committee
    assert committee is not None
    rows = await card_rows(inv.services, action, viewer=inv.actor, role=inv.role,
                           is_staff=inv.is_staff)
    shown = card_of(inv.services, action, committee, rows)
    now = inv.now()
    leading = inv.role >= Role.CO_LEAD or inv.is_staff
    scheduled = action.status is ActionStatus.SCHEDULED
    parts: list[Renderable | None] = [shown.text]
    if leading and scheduled and now >= action.starts_at:
        parts.append(await _attendance(inv, action))
    own = rows.answer  # read with the card, in this unit of work
    if own is not None and own.attended:
        parts.append(_("You checked in."))
    buttons = shown.buttons
    window_open = checkin_opens(action) <= now < action.ends_at
    if (scheduled and window_open and inv.role >= Role.MEMBER
            and not (own is not None and own.attended)
            and (own is None or own.answer is not Answer.NO)):
        buttons = (Button(_("I'm here"), f"action checkin {action.id}", ButtonStyle.PRIMARY),
                   *buttons)
    return Reply(lines(*parts), buttons=buttons, private=True)


async def _attendance(inv: Invocation, action: Action) -> Renderable:
    ended = action.ends_at <= inv.now()
    attendance = await inv.repos.rsvps.attendance(action.id, ended=ended)
    if not ended:
        return _("Checked in so far: {came}").format(came=attendance.came)
    return _("Came: {came} · No-shows: {no_show}").format(
        came=attendance.came, no_show=attendance.no_show
    )
