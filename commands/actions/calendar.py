"""`action calendar`: a committee's actions as an iCalendar file, for any calendar app.

A series is one event with a rule (RRULE), as calendar apps expect, not a pile of copies:
its cancelled dates are EXDATEs, and a date edited on its own is an override event with a
RECURRENCE-ID. Times carry the committee's TZID, so a Saturday 10:00 stays 10:00 across a
daylight-saving change. Details (door codes, call lists) never leave the bot this way: the
file can be forwarded to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from icalendar import Calendar, Event

from commands.actions.kinds import kind_label
from commands.actions.recurrence import Repeat, occurrences
from commands.actions.when import local
from commands.committees.membership import COMMITTEE
from commands.committees.naming import slugify
from commands.errors import UserError
from commands.i18n import Renderable, RenderContext, _, lines, plural, render
from commands.invocation import Invocation
from commands.permissions import ANYONE, Role
from commands.reply import Attachment, Reply
from commands.spec import FROM_PLACE, command
from storage.actions import Action, ActionStatus, Series
from storage.campaigns import Campaign
from storage.committees import Committee, CommitteeStatus

# Recent actions stay in the file, so the one last Saturday is still there to look back at.
LOOK_BACK = timedelta(days=30)
CONTENT_TYPE = "text/calendar"
# Far enough for 104 monthly dates on the 31st (which skip five months a year).
_SLOTS_HORIZON = timedelta(days=366 * 20)


@command("action", "calendar", rule=ANYONE, allow_suspended=True)
async def calendar(
    inv: Invocation,
    committee: Annotated[Committee, COMMITTEE] = FROM_PLACE,
) -> Reply:
    """Get a committee's actions as a calendar file (.ics)."""
    if not _visible(inv, committee):
        raise UserError(
            _("Only the members of {name} can get its calendar: the committee is not listed"
              " at the moment.").format(name=committee.name)
        )
    now = inv.now()
    since = now - LOOK_BACK
    actions = await inv.repos.actions.for_calendar_with_series(committee.id, since)
    series_ids = sorted({a.series_id for a in actions if a.series_id is not None})
    series = await inv.repos.actions.series_many(series_ids)
    campaigns = await _campaigns(inv, actions)
    context = _Context(
        committee=committee,
        campaigns=campaigns,
        domain=_domain(inv.settings.organisation.name),
        now=now,
        render=RenderContext(inv.locale),
    )
    data = build_calendar(context, actions, series,
                          prodid=_prodid(inv.settings.organisation.name, inv.locale))
    shown = sum(1 for action in actions if action.ends_at >= since)
    text = _("Calendar of {name}: {actions}, from {days} days ago on. Open the file to add"
             " them to your calendar app; times are in {timezone}.").format(
        name=committee.name,
        actions=plural(shown, _("{count} action"), _("{count} actions")),
        days=str(LOOK_BACK.days),
        timezone=committee.timezone,
    )
    return Reply(text, file=Attachment(f"{committee.slug}.ics", data, CONTENT_TYPE),
                 private=True)


def _visible(inv: Invocation, committee: Committee) -> bool:
    """Anyone may read the calendar of a committee shown in the list; the members and staff
    only, of one hidden, suspended or archived."""
    if committee.status is CommitteeStatus.ACTIVE and not committee.hidden:
        return True
    return inv.is_staff or inv.role > Role.STRANGER


async def _campaigns(inv: Invocation, actions: Sequence[Action]) -> dict[int, Campaign]:
    found: dict[int, Campaign] = {}
    for campaign_id in {a.campaign_id for a in actions if a.campaign_id is not None}:
        campaign = await inv.repos.campaigns.get(campaign_id)
        if campaign is not None:
            found[campaign_id] = campaign
    return found


def _domain(organisation: str) -> str:
    """The right-hand side of every UID: stable as long as the organisation's name is, and
    under .invalid, which is no one's domain (RFC 2606)."""
    return f"{slugify(organisation)}.invalid"


def _prodid(organisation: str, locale: str) -> str:
    return f"-//{organisation.replace('//', '/')}//Comités//{locale.upper()}"


# --- building the file --------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    committee: Committee
    campaigns: dict[int, Campaign]
    domain: str
    now: datetime
    render: RenderContext

    @property
    def timezone(self) -> str:
        return self.committee.timezone

    def text(self, value: Renderable) -> str:
        return render(value, self.render)


def build_calendar(
    context: _Context, actions: Sequence[Action], series: dict[int, Series], *, prodid: str
) -> bytes:
    """The VCALENDAR for these actions, given in the order they were created."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.calendar_name = context.committee.name
    cal.add("x-wr-timezone", context.timezone)

    events: list[Event] = []
    grouped: dict[int, list[Action]] = {}
    for action in actions:
        if action.series_id is not None and action.series_id in series:
            grouped.setdefault(action.series_id, []).append(action)
        else:
            events.append(_single(context, action))
    for series_id, occurrences_of in grouped.items():
        events.extend(_series_events(context, series[series_id], occurrences_of))
    events.sort(key=lambda event: (event.decoded("dtstart"), "recurrence-id" in event))
    for event in events:
        cal.add_component(event)

    if actions:
        first = min(action.starts_at for action in actions)
        last = max([action.ends_at for action in actions]
                   + [item.until_at for item in series.values()])
        cal.add_missing_timezones(
            first_date=local(first, context.timezone).date() - timedelta(days=1),
            last_date=local(last, context.timezone).date() + timedelta(days=2),
        )
    return bytes(cal.to_ical())


def _single(context: _Context, action: Action) -> Event:
    event = _event(context, action, uid=_uid("action", action.id, context.domain),
                   description=_description(context, action))
    if action.status is ActionStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def _series_events(context: _Context, series: Series, actions: list[Action]) -> list[Event]:
    """One event with a rule for the series, then its exceptions.

    The first occurrence created is the model; the rule is read from it, and the n-th
    occurrence created is matched with the n-th date the rule gives. A date that no longer
    fits the model (moved, renamed, shortened) becomes an override of that rule date.
    """
    zone = context.timezone
    repeat = Repeat(series.repeat)
    model = actions[0]
    slots = occurrences(model.starts_at, repeat, timezone=zone,
                        until_utc=model.starts_at + _SLOTS_HORIZON, limit=len(actions))
    # A date the rule cannot reach (never, unless the calendar ran out) stands on its own.
    matched, leftover = actions[: len(slots)], actions[len(slots):]
    uid = _uid("series", series.id, context.domain)

    master = _event(context, model, uid=uid, description=_series_description(
        context, model, repeat))
    master.add("rrule", _rule(repeat, model, until=_until(series, model, repeat, slots, zone),
                              timezone=zone))
    exdates: list[datetime] = []
    overrides: list[Event] = []
    for action, slot in zip(matched, slots, strict=True):
        if action.status is ActionStatus.CANCELLED:
            exdates.append(local(slot, zone))
        elif not _fits(action, slot, model):
            override = _event(context, action, uid=uid,
                              description=_description(context, action))
            override.add("recurrence-id", local(slot, zone))
            overrides.append(override)
    if exdates:
        master.add("exdate", exdates)
    return [master, *overrides, *(_single(context, action) for action in leftover)]


def _until(series: Series, model: Action, repeat: Repeat, slots: list[datetime],
           zone: str) -> datetime:
    """The lead's own end of the series when the rule stops at the same date with it, else
    the last date exactly (a series capped at its number of dates, or moved past its end)."""
    within = occurrences(model.starts_at, repeat, until_utc=series.until_at, timezone=zone,
                         limit=len(slots) + 1)
    return series.until_at if within == slots else slots[-1]


def _rule(repeat: Repeat, model: Action, *, until: datetime, timezone: str) -> dict[str, Any]:
    # UNTIL is in UTC, as RFC 5545 requires when DTSTART carries a TZID.
    rule: dict[str, Any] = {"freq": "weekly", "until": until}
    if repeat is Repeat.BIWEEKLY:
        rule["interval"] = 2
    elif repeat is Repeat.MONTHLY:
        # A month without that day is skipped, as the series itself does (RFC 5545 3.3.10).
        rule = {"freq": "monthly", "bymonthday": local(model.starts_at, timezone).day,
                "until": until}
    return rule


def _fits(action: Action, slot: datetime, model: Action) -> bool:
    """Whether the rule's copy of the model at `slot` shows this occurrence as it is."""
    return (
        action.starts_at == slot
        and action.ends_at - action.starts_at == model.ends_at - model.starts_at
        and (action.kind, action.title, action.location, action.campaign_id)
        == (model.kind, model.title, model.location, model.campaign_id)
    )


def _event(context: _Context, action: Action, *, uid: str, description: Renderable) -> Event:
    zone = context.timezone
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", context.now)
    event.add("created", action.created_at)
    event.add("dtstart", local(action.starts_at, zone))
    event.add("dtend", local(action.ends_at, zone))
    event.add("summary", context.text(
        _("{kind}: {title}").format(kind=kind_label(action.kind), title=action.title)))
    if action.location:
        event.add("location", action.location)
    event.add("description", context.text(description))
    return event


def _description(context: _Context, action: Action) -> Renderable:
    parts: list[Renderable | None] = [*_common(context, action)]
    if action.status is ActionStatus.CANCELLED:
        parts.append(_("Cancelled: {reason}").format(reason=action.cancel_reason or "—"))
    else:
        parts.append(_("To answer: action rsvp {id} going").format(id=str(action.id)))
    parts.append(_("Action {id} · {committee}").format(id=str(action.id),
                                                       committee=context.committee.name))
    return lines(*parts)


def _series_description(context: _Context, model: Action, repeat: Repeat) -> Renderable:
    return lines(
        *_common(context, model),
        _("Repeats {repeat}. Each date has its own number to answer: action list shows"
          " them.").format(repeat=repeat.label),
        context.committee.name,
    )


def _common(context: _Context, action: Action) -> list[Renderable]:
    parts: list[Renderable] = []
    if action.campaign_id is not None and action.campaign_id in context.campaigns:
        parts.append(_("Campaign: {name}").format(
            name=context.campaigns[action.campaign_id].name))
    if action.details:
        # Only that there are details: they are for those going, not for a shared file.
        parts.append(_("Meeting point and details are given to those going."))
    return parts


def _uid(what: str, number: int, domain: str) -> str:
    return f"{what}-{number}@{domain}"
