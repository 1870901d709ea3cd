"""`report`: how an action went, told by its committee's lead or co-leads.

    report 12 leaflets=1200 conversations=40 attendees=6 notes="Bon accueil au marché"

One report per action, from its start on. A second `report` on the same action changes only
the figures given, for 7 days after the first; then the report is locked, so the totals
staff read on Monday stay put. `report 12` alone shows the report, or what it should count
(the report prompt's button runs exactly that).

A photo attached to the command (PNG or JPEG) is kept in the blob store with the report; a
later one replaces it. The bot never downloads a URL for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from commands.actions.kinds import kind_label
from commands.actions.rsvp import ACTION
from commands.errors import UserError
from commands.files import keep_file
from commands.i18n import Day, Moment, Number, Renderable, Span, _, lines
from commands.invocation import Invocation
from commands.notify import post_to_committee
from commands.permissions import CO_LEAD
from commands.reply import Reply
from commands.reports.fields import (
    FIELDS,
    NOTES_MAX,
    fields_of,
    guide,
    refuse_foreign,
    summary,
    validate,
)
from commands.spec import Param, command
from storage.actions import Action, ActionStatus
from storage.blobs import JPEG, PNG
from storage.committees import Committee
from storage.reports import Report

# How long leads may correct a report after filing it.
EDIT_WINDOW = timedelta(days=7)
NOTES = Param(_("what the figures do not say, in a few lines"), max_length=NOTES_MAX)


# A report's photo: pictures only, whatever else materials accept.
PHOTO_TYPES = (PNG, JPEG)


@command("report", rule=CO_LEAD, files=1)
async def report(
    inv: Invocation,
    action: Annotated[Action, ACTION],
    attendees: Annotated[int | None, FIELDS["attendees"].param] = None,
    doors_knocked: Annotated[int | None, FIELDS["doors_knocked"].param] = None,
    doors_opened: Annotated[int | None, FIELDS["doors_opened"].param] = None,
    conversations: Annotated[int | None, FIELDS["conversations"].param] = None,
    contacts: Annotated[int | None, FIELDS["contacts"].param] = None,
    leaflets: Annotated[int | None, FIELDS["leaflets"].param] = None,
    calls_made: Annotated[int | None, FIELDS["calls_made"].param] = None,
    calls_answered: Annotated[int | None, FIELDS["calls_answered"].param] = None,
    posters: Annotated[int | None, FIELDS["posters"].param] = None,
    new_members: Annotated[int | None, FIELDS["new_members"].param] = None,
    notes: Annotated[str | None, NOTES] = None,
) -> Reply:
    """Report how an action went: who came, what was done."""
    committee = inv.committee
    assert committee is not None
    counted = {
        "attendees": attendees, "doors_knocked": doors_knocked, "doors_opened": doors_opened,
        "conversations": conversations, "contacts": contacts, "leaflets": leaflets,
        "calls_made": calls_made, "calls_answered": calls_answered, "posters": posters,
        "new_members": new_members,
    }
    given = {name: value for name, value in counted.items() if value is not None}
    now = inv.now()
    _check_held(action, committee, now)
    existing = await inv.repos.reports.for_action(action.id)
    if not given and notes is None and not inv.attachments:
        return await _show(inv, action, committee, existing)
    if existing is not None and now >= existing.created_at + EDIT_WINDOW:
        _refuse_locked(existing, committee)
    photo = await _photo(inv)
    if existing is None:
        return await _file(inv, action, committee, given, notes or "", photo)
    return await _edit(inv, action, committee, existing, given, notes, photo)


async def _photo(inv: Invocation) -> str | None:
    """The attached photo, kept in the blob store; its hash."""
    if not inv.attachments:
        return None
    if len(inv.attachments) > 1:
        raise UserError(_("Attach one photo at a time."))
    blob, _name = await keep_file(inv.services, inv.attachments[0], now=inv.now(),
                                  max_size=inv.settings.materials.max_size,
                                  allowed_types=PHOTO_TYPES)
    return blob.sha256


def _refuse_locked(existing: Report, committee: Committee) -> None:
    zone = committee.timezone
    raise UserError(_("This report was filed on {filed} and locked on {locked}: a report can"
                      " be changed for 7 days only.").format(
        filed=Moment(existing.created_at, zone),
        locked=Moment(existing.created_at + EDIT_WINDOW, zone)))


def _check_held(action: Action, committee: Committee, now: datetime) -> None:
    if action.status is ActionStatus.CANCELLED:
        raise UserError(_("This action was cancelled: there is nothing to report."))
    if now < action.starts_at:
        raise UserError(_("A report comes once the action has started: {when}.").format(
            when=Moment(action.starts_at, committee.timezone)))


async def _file(
    inv: Invocation, action: Action, committee: Committee, given: dict[str, int], notes: str,
    photo: str | None,
) -> Reply:
    kind = action.kind
    refuse_foreign(action.id, kind, given)
    figures = dict(given)
    if "attendees" not in figures:
        came = await _checked_in(inv, action)
        if not came:
            raise UserError(lines(
                _("How many people came? Nobody checked in, so say it with attendees=…"),
                guide(action.id, kind),
            ))
        figures["attendees"] = came
    validate(kind, figures)
    filed = await inv.repos.reports.create(
        action_id=action.id, committee_id=committee.id, kind=kind, held_at=action.starts_at,
        figures=figures, notes=notes, reported_by=inv.actor.id, now=inv.now(),
        photo_sha256=photo,
    )
    await inv.audit("report.create", target_kind="report", target_id=filed.id,
                    committee_id=committee.id,
                    after={"action": action.id, **_audited(filed.figures, filed.notes)})
    await post_to_committee(inv.services, committee, Reply(
        _("How it went — {title}, {day}: {figures}. Thank you, everyone!").format(
            title=action.title, day=Day(action.starts_at, committee.timezone),
            figures=summary(filed.kind, filed.figures))))
    return Reply(lines(
        _("Report filed: thank you, everyone at {committee}!").format(committee=committee.name),
        _restated(filed, action, committee, inv.now()),
    ), private=True)


async def _edit(
    inv: Invocation,
    action: Action,
    committee: Committee,
    existing: Report,
    given: dict[str, int],
    notes: str | None,
    photo: str | None,
) -> Reply:
    now = inv.now()
    zone = committee.timezone
    refuse_foreign(action.id, existing.kind, given)
    changes = {name: value for name, value in given.items() if getattr(existing, name) != value}
    notes_changed = notes is not None and notes != existing.notes
    photo_changed = photo is not None and photo != existing.photo_sha256
    if not changes and not notes_changed and not photo_changed:
        return Reply(lines(_("The report already says that: nothing changed."),
                           _restated(existing, action, committee, now)), private=True)
    validate(existing.kind, existing.figures | changes)
    updated = await inv.repos.reports.update(
        existing.id, figures=changes, notes=notes if notes_changed else None, now=now,
        photo_sha256=photo if photo_changed else None)
    before: dict[str, Any] = {name: getattr(existing, name) for name in changes}
    after: dict[str, Any] = dict(changes)
    if notes_changed:
        before["notes"] = after["notes"] = "(changed)"
    if photo_changed:
        before["photo"], after["photo"] = existing.photo_sha256, photo
    await inv.audit("report.edit", target_kind="report", target_id=existing.id,
                    committee_id=committee.id, before=before, after=after)
    if changes:
        await post_to_committee(inv.services, committee, Reply(
            _("Report corrected — {title}, {day}: {figures}.").format(
                title=action.title, day=Day(action.starts_at, zone),
                figures=summary(updated.kind, updated.figures))))
    return Reply(lines(_("Report updated."), _restated(updated, action, committee, now)),
                 private=True)


async def _show(
    inv: Invocation, action: Action, committee: Committee, existing: Report | None
) -> Reply:
    if existing is not None:
        return Reply(_restated(existing, action, committee, inv.now()), private=True)
    came = await _checked_in(inv, action)
    return Reply(lines(
        _("No report yet for {kind} “{title}”.").format(kind=kind_label(action.kind),
                                                          title=action.title),
        _("{count} checked in: that is the number of people who came, unless you say"
          " otherwise with attendees=…").format(count=Number(came)) if came else None,
        guide(action.id, action.kind),
    ), private=True)


async def _checked_in(inv: Invocation, action: Action) -> int:
    attendance = await inv.repos.rsvps.attendance(action.id, ended=action.ends_at <= inv.now())
    return attendance.came


def _restated(report: Report, action: Action, committee: Committee, now: datetime) -> Renderable:
    zone = committee.timezone
    shown = fields_of(report.kind)
    figures = report.figures
    missing = [field.name for field in shown if field.name not in figures]
    locks_at = report.created_at + EDIT_WINDOW
    return lines(
        _("Report on {kind} “{title}”, {when}:").format(
            kind=kind_label(report.kind), title=action.title,
            when=Span(action.starts_at, action.ends_at, zone)),
        *(_("• {label}: {count}").format(label=field.label, count=Number(figures[field.name]))
          for field in shown if field.name in figures),
        _("Notes: {notes}").format(notes=report.notes) if report.notes else None,
        _("A photo is kept with the report.") if report.photo_sha256 else None,
        _("Not counted yet: {names}.").format(names=", ".join(missing)) if missing else None,
        _("It can be corrected until {when}: type report {id} again with the figures to"
          " change.").format(
            when=Moment(locks_at, zone), id=str(action.id))
        if now < locks_at else
        _("Locked since {when}: a report can be changed for 7 days only.").format(
            when=Moment(locks_at, zone)),
    )


def _audited(figures: dict[str, int], notes: str) -> dict[str, Any]:
    # Notes may name the people met: the audit log says they changed, not what they say.
    return {**figures, "notes": "(changed)" if notes else ""}
