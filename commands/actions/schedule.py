"""`action schedule`: a lead or co-lead puts a field action (or a series) on the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from commands.actions.card import card
from commands.actions.durations import parse_duration
from commands.actions.kinds import ActionKind
from commands.actions.planning import plan_reminders
from commands.actions.recurrence import Repeat, occurrences
from commands.actions.silence import check_silence
from commands.actions.text import clean_text
from commands.actions.when import parse_until, parse_when
from commands.errors import UserError
from commands.i18n import Day, Moment, Renderable, _, lines, plural
from commands.invocation import Invocation
from commands.notify import post_to_committee
from commands.permissions import CO_LEAD, Role
from commands.reply import Reply
from commands.spec import FROM_PLACE, Param, command
from storage.actions import Action, NewAction
from storage.campaigns import Campaign
from storage.committees import Committee

DEFAULT_SERIES_LENGTH = timedelta(days=91)
KIND = Param(_("door_to_door, leafleting, phone_bank, postering, meeting, online or other"))
IN_COMMITTEE = Param(_("the committee's id, when not typed in its space"), positional=False)


@command("action", "schedule", rule=CO_LEAD)
async def schedule(
    inv: Invocation,
    kind: Annotated[ActionKind, KIND],
    title: Annotated[str, Param(_("a short title, e.g. \"Marché de la Croix-Rousse\""))],
    when: Annotated[str, Param(_("when it starts, e.g. samedi 10h, demain à 18h30,"
                                 " 2026-12-05 14:00"), rest=True)],
    duration: Annotated[str, Param(_("how long, e.g. 2h or 90min (2h if not said)"))] = "2h",
    where: Annotated[str | None, Param(_("the place, seen by everyone"))] = None,
    capacity: Annotated[int | None, Param(_("how many people at most"), min=1, max=10_000)] = None,
    details: Annotated[
        str | None, Param(_("meeting point, door code, call list: only for those going"))
    ] = None,
    repeat: Annotated[Repeat | None, Param(_("weekly, biweekly or monthly"))] = None,
    until: Annotated[str | None, Param(_("last date of a repeating action"))] = None,
    campaign: Annotated[str | None, Param(_("the national campaign it belongs to"))] = None,
    committee: Annotated[Committee, IN_COMMITTEE] = FROM_PLACE,
) -> list[Reply]:
    """Schedule a field action; times in plain French or English."""
    zone = committee.timezone
    now = inv.now()
    start = parse_when(when, now=now, timezone=zone)
    length = parse_duration(duration)
    title = clean_text(title, what=_("The title"), maximum=inv.settings.limits.name_max_length)
    location = clean_text(where or "", what=_("The place"), maximum=200, required=False)
    secret = clean_text(details or "", what=_("The details"), maximum=1000, required=False)
    the_campaign = await _campaign(inv, campaign)

    starts = [start]
    series_until: datetime | None = None
    if repeat is not None:
        series_until = (
            parse_until(until, after=start, timezone=zone) if until
            else start + DEFAULT_SERIES_LENGTH
        )
        starts = occurrences(start, repeat, until_utc=series_until, timezone=zone)
    elif until is not None:
        raise UserError(_("until= goes with repeat=, for a repeating action."), usage=True)
    for moment in starts:
        check_silence(inv.settings, kind, moment, moment + length)

    series_id = None
    if repeat is not None and series_until is not None:
        series = await inv.repos.actions.create_series(committee.id, repeat.value, series_until,
                                                       now)
        series_id = series.id
    actions: list[Action] = []
    for moment in starts:
        action = await inv.repos.actions.create(NewAction(
            committee_id=committee.id, series_id=series_id, kind=kind.value, title=title,
            starts_at=moment, ends_at=moment + length, location=location, details=secret,
            capacity=capacity, campaign_id=the_campaign.id if the_campaign else None,
            created_by=inv.actor.id, created_at=now,
        ))
        await plan_reminders(inv.services, action)
        actions.append(action)
    first = actions[0]
    await inv.audit("action.schedule", target_kind="action", target_id=first.id,
                    committee_id=committee.id,
                    after={**first.model_dump(mode="json", exclude={"details"}),
                           "occurrences": len(actions)})

    # Posted for the whole committee to read: no details, no attendee list, whoever asks.
    public = await card(inv.services, first, committee, viewer=None, role=Role.MEMBER,
                        is_staff=False)
    confirmation = _confirmation(first, actions, repeat, zone)
    in_space = inv.place_committee is not None and inv.place_committee.id == committee.id
    if in_space:
        return [Reply(lines(confirmation, public.text), buttons=public.buttons)]
    await post_to_committee(inv.services, committee, public)
    return [Reply(confirmation, private=True)]


def _confirmation(
    first: Action, actions: list[Action], repeat: Repeat | None, zone: str
) -> Renderable:
    scheduled = _("Scheduled: {when}. Action {id}.").format(
        when=Moment(first.starts_at, zone), id=str(first.id)
    )
    if repeat is None or len(actions) == 1:
        return scheduled
    return lines(
        scheduled,
        _("Repeats {repeat}: {dates}, the last on {last}.").format(
            repeat=repeat.label,
            dates=plural(len(actions), _("{count} date"), _("{count} dates")),
            last=Day(actions[-1].starts_at, zone),
        ),
    )


async def _campaign(inv: Invocation, slug: str | None) -> Campaign | None:
    if not slug:
        return None
    campaign = await inv.repos.campaigns.by_slug(slug.strip().lower())
    if campaign is None:
        raise UserError(
            _("There is no campaign “{slug}”. campaign list shows them.").format(slug=slug[:40])
        )
    return campaign
