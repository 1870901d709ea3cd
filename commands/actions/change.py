"""`action edit` and `action cancel`: everyone who answered hears about it.

For a repeating action the lead says whether the change is for this date or for this date
and the ones after it; asked, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from commands.actions.card import card
from commands.actions.durations import parse_duration
from commands.actions.kinds import ActionKind
from commands.actions.planning import plan_reminders
from commands.actions.rsvp import ACTION, promote_waiting
from commands.actions.schedule import KIND
from commands.actions.silence import check_silence
from commands.actions.text import clean_text
from commands.actions.when import local, parse_when, utc_from_local
from commands.errors import UserError
from commands.i18n import Renderable, Span, _, lines
from commands.invocation import Invocation
from commands.notify import post_to_committee, send_direct
from commands.permissions import CO_LEAD, Role
from commands.reply import Button, ButtonStyle, Reply
from commands.services import Services
from commands.spec import Param, command
from storage.actions import Action, ActionStatus
from storage.committees import Committee


class Scope(StrEnum):
    THIS = "this"
    SERIES = "series"

    @classmethod
    def _missing_(cls, value: object) -> Scope | None:
        aliases = {"one": "this", "occurrence": "this", "cette": "this", "celle-ci": "this",
                   "une": "this", "all": "series", "following": "series", "suite": "series",
                   "toutes": "series", "série": "series", "serie": "series"}
        code = aliases.get(str(value).lower())
        return None if code is None else cls(code)


SCOPE = Param(_("for a repeating action: this (this date) or series (this date and after)"))


@command("action", "edit", rule=CO_LEAD)
async def edit(
    inv: Invocation,
    action: Annotated[Action, ACTION],
    title: Annotated[str | None, Param(_("a new title"))] = None,
    when: Annotated[str | None, Param(_("a new start, e.g. samedi 11h"))] = None,
    duration: Annotated[str | None, Param(_("a new duration, e.g. 3h"))] = None,
    where: Annotated[str | None, Param(_("a new place"))] = None,
    capacity: Annotated[int | None, Param(_("a new capacity"), min=1, max=10_000)] = None,
    details: Annotated[str | None, Param(_("new details for those going"))] = None,
    kind: Annotated[ActionKind | None, KIND] = None,
    scope: Annotated[Scope | None, SCOPE] = None,
) -> Reply:
    """Change an action; everyone who answered is told."""
    committee = _live(inv, action)
    given = {name: value for name, value in (
        ("title", title), ("when", when), ("duration", duration), ("where", where),
        ("capacity", capacity), ("details", details), ("kind", kind),
    ) if value is not None}
    if not given:
        raise UserError(_("Say what to change, for example: action edit {id} when=\"samedi 11h\"")
                        .format(id=str(action.id)), usage=True)
    if action.series_id is not None and scope is None:
        return _ask_scope(f"action edit {action.id}", given, _("This action repeats."))
    zone = committee.timezone
    now = inv.now()
    fields: dict[str, Any] = {}
    if title is not None:
        fields["title"] = clean_text(title, what=_("The title"),
                                     maximum=inv.settings.limits.name_max_length)
    if where is not None:
        fields["location"] = clean_text(where, what=_("The place"), maximum=200, required=False)
    if details is not None:
        fields["details"] = clean_text(details, what=_("The details"), maximum=1000,
                                       required=False)
    if capacity is not None:
        fields["capacity"] = capacity
    if kind is not None:
        fields["kind"] = kind.value
    new_start = None
    if when is not None:
        # "19h30" alone moves the action within its own day.
        new_start = parse_when(when, now=now, timezone=zone,
                               default_day=local(action.starts_at, zone).date())
    length = parse_duration(duration) if duration is not None else None

    targets = await _targets(inv, action, scope)
    planned: list[tuple[Action, dict[str, Any]]] = []
    for target in targets:
        changes = dict(fields)
        start = target.starts_at
        if new_start is not None:
            start = _shift(target.starts_at, action.starts_at, new_start, zone)
            changes["starts_at"] = start
        if new_start is not None or length is not None:
            changes["ends_at"] = start + (length or (target.ends_at - target.starts_at))
            if start <= now:
                raise UserError(_("That would put a date of the series in the past."))
        end = changes.get("ends_at", target.ends_at)
        check_silence(inv.settings, ActionKind(changes.get("kind", target.kind)), start, end)
        planned.append((target, changes))

    for target, changes in planned:
        updated = await inv.repos.actions.update(target.id, **changes)
        if "starts_at" in changes or "ends_at" in changes:
            await plan_reminders(inv.services, updated, moved=True)
        if "capacity" in changes:
            await promote_waiting(inv.services, updated, committee)
        await inv.audit("action.edit", target_kind="action", target_id=target.id,
                        committee_id=committee.id, before=_audited(target, changes),
                        after=_audited(updated, changes))
        await _tell_answerers(inv.services, updated, committee,
                              _("Change to {title}:").format(title=updated.title))
    first = await inv.repos.actions.get(action.id)
    assert first is not None
    shown = await card(inv.services, first, committee, viewer=inv.actor, role=inv.role,
                       is_staff=inv.is_staff)
    done = _("Updated {count} dates; everyone who answered was told.").format(
        count=str(len(planned))) if len(planned) > 1 else _(
        "Updated; everyone who answered was told.")
    # Private: the card is the lead's view (details, who answered), even when typed in the space.
    return Reply(lines(done, shown.text), buttons=shown.buttons, private=True)


@command("action", "cancel", rule=CO_LEAD)
async def cancel(
    inv: Invocation,
    action: Annotated[Action, ACTION],
    reason: Annotated[str, Param(_("why, in a few words: people going will read it"),
                                 rest=True)],
    scope: Annotated[Scope | None, SCOPE] = None,
) -> Reply:
    """Cancel an action; everyone who answered is told why."""
    committee = _live(inv, action)
    reason = clean_text(reason, what=_("The reason"),
                        maximum=inv.settings.limits.reason_max_length)
    if action.series_id is not None and scope is None:
        return _ask_scope(f"action cancel {action.id}", {"reason": reason},
                          _("This action repeats."), rest="reason")
    targets = await _targets(inv, action, scope)
    for target in targets:
        await inv.repos.actions.cancel(target.id, reason)
        await inv.repos.reminders.cancel_for(target.id)
        await inv.audit("action.cancel", target_kind="action", target_id=target.id,
                        committee_id=committee.id, before={"status": target.status.value},
                        after={"status": "cancelled", "reason": reason})
        cancelled = await inv.repos.actions.get(target.id)
        assert cancelled is not None
        await _tell_answerers(inv.services, cancelled, committee, _("Cancelled: {title}.").format(
            title=target.title))
    zone = committee.timezone
    notice = _("Cancelled: {title}, {when}. Reason: {reason}").format(
        title=action.title, when=Span(action.starts_at, action.ends_at, zone), reason=reason)
    if len(targets) > 1:
        notice = _("Cancelled: {title}, {count} dates from {when}. Reason: {reason}").format(
            title=action.title, count=str(len(targets)),
            when=Span(action.starts_at, action.ends_at, zone), reason=reason)
    await post_to_committee(inv.services, committee, Reply(notice))
    return Reply(_("Done; everyone who answered was told."), private=True)


def _live(inv: Invocation, action: Action) -> Committee:
    committee = inv.committee
    assert committee is not None
    if action.status is ActionStatus.CANCELLED:
        raise UserError(_("This action was cancelled."))
    if action.ends_at <= inv.now():
        raise UserError(_("This action is over."))
    return committee


async def _targets(inv: Invocation, action: Action, scope: Scope | None) -> list[Action]:
    if scope is not Scope.SERIES or action.series_id is None:
        return [action]
    following = await inv.repos.actions.in_series(action.series_id,
                                                  starting_from=action.starts_at)
    return [target for target in following if target.status is ActionStatus.SCHEDULED]


def _shift(occurrence: datetime, reference: datetime, new_reference: datetime,
           zone: str) -> datetime:
    """Move an occurrence as the reference moved, in wall-clock time (DST-safe)."""
    delta = local(new_reference, zone).replace(tzinfo=None) - local(reference, zone).replace(
        tzinfo=None)
    wall = local(occurrence, zone).replace(tzinfo=None) + delta
    return utc_from_local(wall, zone)


def _audited(action: Action, changes: Mapping[str, Any]) -> dict[str, Any]:
    # Details (door codes, call lists) stay out of the audit log.
    data = action.model_dump(mode="json", include=set(changes) - {"details"})
    if "details" in changes:
        data["details"] = "(changed)"
    return data


def _ask_scope(prefix: str, given: Mapping[str, Any], question: Renderable,
               rest: str | None = None) -> Reply:
    options = " ".join(f"{name}={_quote(str(value))}" for name, value in given.items()
                       if name != rest)
    tail = f" {_quote(str(given[rest]))}" if rest else ""
    base = f"{prefix}{tail} {options}".rstrip()
    return Reply(
        lines(question, _("For this date only, or for this date and the following ones?")),
        buttons=(
            Button(_("This date"), f"{base} scope=this", ButtonStyle.PRIMARY),
            Button(_("This date and the following"), f"{base} scope=series"),
        ),
        private=True,
    )


def _quote(value: str) -> str:
    if value and not any(char.isspace() or char in "\"'“”«»" for char in value):
        return value
    return "“" + value.replace("”", "'") + "”"


async def _tell_answerers(services: Services, action: Action, committee: Committee,
                          headline: Renderable) -> None:
    for answer in await services.repos.rsvps.of_action(action.id):
        user = await services.repos.users.get(answer.user_id)
        if user is None:
            continue
        shown = await card(services, action, committee, viewer=user, role=Role.MEMBER,
                           is_staff=False)
        await send_direct(services, user, Reply(lines(headline, shown.text),
                                                buttons=shown.buttons), committee)
