"""Electoral silence (Code électoral L49): no public campaigning in the configured periods."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from commands.actions.kinds import PUBLIC_FIELD_WORK, ActionKind, kind_label
from commands.errors import UserError
from commands.i18n import Moment, Renderable, Span, _, join
from commands.notify import post_to_committee, send_direct
from commands.reply import Reply
from commands.services import Services
from commands.settings import Settings, SilencePeriod
from storage.actions import Action
from storage.committees import Committee, CommitteeStatus
from storage.memberships import MemberRole


def silence_over(settings: Settings, start: datetime, end: datetime) -> SilencePeriod | None:
    """The silence period that [start, end) overlaps, if any."""
    for period in settings.electoral.silence_periods:
        if start < period.end and end > period.start:
            return period
    return None


def check_silence(settings: Settings, kind: ActionKind, start: datetime, end: datetime) -> None:
    if kind not in PUBLIC_FIELD_WORK:
        return
    period = silence_over(settings, start, end)
    if period is None:
        return
    zone = settings.organisation.timezone
    raise UserError(
        _("No {kind} then: electoral silence ({label}) from {start} until {end}. Meetings,"
          " phone banks and online actions are still possible.").format(
            kind=kind_label(kind), label=period.label,
            start=Moment(period.start, zone), end=Moment(period.end, zone),
        )
    )


async def warn_silence(services: Services) -> int:
    """Tell leads, once, of public field actions scheduled inside an electoral silence.

    Scheduling one is refused, but a silence period added to the config after the action
    was scheduled leaves it there. Returns how many actions were newly warned about.
    """
    repos = services.repos
    now = services.clock.now()
    kinds = sorted(kind.value for kind in PUBLIC_FIELD_WORK)
    found: dict[int, list[tuple[Action, SilencePeriod]]] = {}
    seen: set[int] = set()
    for period in services.settings.electoral.silence_periods:
        start, end = _aware(period.start, services), _aware(period.end, services)
        if end <= now:
            continue
        for action in await repos.actions.scheduled_between(start, end, kinds):
            if action.silence_warned or action.ends_at <= now or action.id in seen:
                continue
            seen.add(action.id)
            found.setdefault(action.committee_id, []).append((action, period))
    warned = 0
    for committee_id, items in sorted(found.items()):
        committee = await repos.committees.get(committee_id)
        if committee is None or committee.status is not CommitteeStatus.ACTIVE:
            continue
        members = await repos.memberships.of_committee(committee.id)
        leads = await repos.users.many([m.user_id for m in members
                                        if m.role in (MemberRole.LEAD, MemberRole.CO_LEAD)])
        reply = Reply(_silence_text(services, committee, items))
        if await repos.committees.spaces_of(committee.id):
            await post_to_committee(services, committee, reply, ping=tuple(leads.values()))
        else:
            for lead in leads.values():
                await send_direct(services, lead, reply, committee)
        for action, _period in items:
            await repos.actions.mark_silence_warned(action.id)
            warned += 1
    return warned


def _silence_text(
    services: Services, committee: Committee, items: list[tuple[Action, SilencePeriod]]
) -> Renderable:
    zone = committee.timezone
    parts: list[Renderable] = []
    for period in dict.fromkeys(period for _action, period in items):
        parts.append(_(
            "Electoral silence ({label}) from {start} until {end}: no public campaigning then."
            " These actions fall inside it; move them (action edit) or cancel them"
            " (action cancel):").format(
            label=period.label, start=Moment(_aware(period.start, services), zone),
            end=Moment(_aware(period.end, services), zone)))
        parts.extend(
            _("Action {id}: {title}, {when}").format(
                id=str(action.id), title=action.title,
                when=Span(action.starts_at, action.ends_at, zone))
            for action, its_period in items if its_period == period)
    return join(parts)


def _aware(moment: datetime, services: Services) -> datetime:
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(services.settings.organisation.timezone))
