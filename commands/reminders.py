"""Reminders: what is due, to whom, and delivering it through the ports.

The database says what is due (`storage.reminders`); `bot/` only wakes the process (the
`Waker` port) and calls `deliver_due`. Each reminder is claimed in the database before it
is sent and marked after, so two processes, or a restart, never send it twice; a claim left
by a crash is released once (`recover`), so a crash between sending and marking repeats a
reminder once at most.

What fell due while the bot was down goes out only while it is still useful: a day-before
reminder before the action starts, an hour-before one at most `hour_before_grace_minutes`
late, a report prompt always. Reminders of cancelled actions are never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from commands.actions.card import CardRows, card_of
from commands.actions.checkin import close_attendance
from commands.actions.kinds import kind_label
from commands.errors import PlatformError
from commands.i18n import Moment, Renderable, Span, _, lines
from commands.notify import committee_locale, post_to_committee, send_direct, user_locale
from commands.ports import Outgoing
from commands.reply import MAX_FORM_FIELDS, Button, ButtonStyle, Reply
from commands.reports.fields import guide as report_guide
from commands.reports.fields import names_of
from commands.services import Services
from storage.actions import Action, ActionStatus
from storage.campaigns import Campaign
from storage.committees import Committee, CommitteeStatus
from storage.memberships import MemberRole
from storage.reminders import Reminder, ReminderKind, ReminderState
from storage.rsvps import Answer, Rsvp
from storage.users import User

log = logging.getLogger(__name__)

# Reminders claimed, sent and marked together: small enough that a claim is held seconds,
# not minutes (see STALE_AFTER), large enough that 10,000 due at once take few queries.
BATCH = 100
# A claim older than this was left by a process that died (a live one marks within seconds).
STALE_AFTER = timedelta(minutes=5)

PRIVATE_KINDS = frozenset({ReminderKind.DAY_BEFORE, ReminderKind.HOUR_BEFORE})
Destination = Literal["dm", "space"]


@dataclass
class Delivered:
    """What one pass did, by reminder id."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    # Sending raised: left claimed, retried once after the next start (`recover`).
    failed: list[int] = field(default_factory=list)
    # Claimed first by another process (or another pass of this one).
    elsewhere: int = 0
    messages: int = 0

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.skipped) + len(self.failed) + self.elsewhere


@dataclass(frozen=True)
class PlannedMessage:
    """One reminder as `comites reminders preview` lists it."""

    at: datetime
    kind: ReminderKind
    action_id: int
    title: str
    recipients: tuple[str, ...]  # platform user ids, sorted
    destination: Destination


# --- Deciding ---------------------------------------------------------------------------


def verdict(
    services: Services,
    reminder: Reminder,
    action: Action | None,
    committee: Committee | None,
    now: datetime,
) -> ReminderState:
    """SENT when the reminder is still worth sending at `now`, else how to mark it."""
    if action is None or action.status is ActionStatus.CANCELLED:
        return ReminderState.CANCELLED
    if committee is None or committee.status is not CommitteeStatus.ACTIVE:
        return ReminderState.SKIPPED
    if reminder.kind is ReminderKind.DAY_BEFORE and now >= action.starts_at:
        return ReminderState.SKIPPED
    if reminder.kind is ReminderKind.HOUR_BEFORE:
        grace = timedelta(minutes=services.settings.reminders.hour_before_grace_minutes)
        if now - reminder.due_at > grace or now >= action.starts_at:
            return ReminderState.SKIPPED
    return ReminderState.SENT


@dataclass
class _Known:
    """Rows a pass needs, read once per batch, committees and leads once per pass."""

    actions: dict[int, Action | None] = field(default_factory=dict)
    committees: dict[int, Committee | None] = field(default_factory=dict)
    spaces: dict[int, dict[str, str]] = field(default_factory=dict)
    leads: dict[int, list[User]] = field(default_factory=dict)
    going: dict[int, list[User]] = field(default_factory=dict)
    cards: dict[int, Renderable] = field(default_factory=dict)

    def about(self, reminder: Reminder) -> tuple[Action | None, Committee | None]:
        action = self.actions.get(reminder.action_id)
        return action, None if action is None else self.committees.get(action.committee_id)

    def live(self, reminder: Reminder) -> tuple[Action, Committee]:
        """For a reminder judged worth sending, whose action and committee exist."""
        action, committee = self.about(reminder)
        if action is None or committee is None:
            raise LookupError(f"reminder {reminder.id} has no action or committee")
        return action, committee


async def _read(
    services: Services, reminders: Sequence[Reminder], now: datetime, known: _Known
) -> dict[int, ReminderState]:
    """Load what the batch needs in one transaction, a query per kind of row (not per
    reminder); returns each reminder's verdict."""
    repos = services.repos
    async with repos.db.unit():
        action_ids = list(dict.fromkeys(r.action_id for r in reminders))
        actions = await repos.actions.many(action_ids)
        for action_id in action_ids:
            known.actions[action_id] = actions.get(action_id)
        unknown = list(dict.fromkeys(
            action.committee_id for action in known.actions.values()
            if action is not None and action.committee_id not in known.committees))
        committees = await repos.committees.many(unknown)
        for committee_id in unknown:
            known.committees[committee_id] = committees.get(committee_id)
        verdicts = {
            r.id: verdict(services, r, *known.about(r), now) for r in reminders
        }
        wanted = [r for r in reminders if verdicts[r.id] is ReminderState.SENT]
        going_rsvps = await repos.rsvps.with_answer_many(
            list(dict.fromkeys(r.action_id for r in wanted if r.kind in PRIVATE_KINDS)),
            Answer.GOING)
        going_ids = {action_id: [rsvp.user_id for rsvp in rsvps]
                     for action_id, rsvps in going_rsvps.items()}
        live = list(dict.fromkeys(known.live(r)[1].id for r in wanted))
        known.spaces.update(await repos.committees.spaces_of_many(
            [committee_id for committee_id in live if committee_id not in known.spaces]))
        prompted = list(dict.fromkeys(
            known.live(r)[1].id for r in wanted if r.kind is ReminderKind.REPORT_PROMPT))
        members = await repos.memberships.of_committees(
            [committee_id for committee_id in prompted if committee_id not in known.leads])
        lead_ids = {committee_id: [m.user_id for m in found
                                   if m.role in (MemberRole.LEAD, MemberRole.CO_LEAD)]
                    for committee_id, found in members.items()}
        everyone = {uid for ids in (*going_ids.values(), *lead_ids.values()) for uid in ids}
        users = await repos.users.many(sorted(everyone))
        for action_id, ids in going_ids.items():
            known.going[action_id] = [users[uid] for uid in ids if uid in users]
        for committee_id, ids in lead_ids.items():
            known.leads[committee_id] = [users[uid] for uid in ids if uid in users]
        await _cards(services, wanted, known, going_rsvps)
    return verdicts


async def _cards(
    services: Services, wanted: Sequence[Reminder], known: _Known,
    going_rsvps: dict[int, list[Rsvp]],
) -> None:
    """The card of each action a day-before reminder goes out for, read together.

    Everyone it goes to is going, so one card (details included) fits them all: the card
    the first of them would see.
    """
    repos = services.repos
    shown: dict[int, tuple[Action, Committee, User]] = {}
    for reminder in wanted:
        action, committee = known.live(reminder)
        going = known.going.get(action.id)
        if reminder.kind is ReminderKind.DAY_BEFORE and going:
            shown[action.id] = (action, committee, going[0])
    counts = await repos.rsvps.counts_many(list(shown))
    campaigns: dict[int, Campaign | None] = {}
    for action, _committee, _viewer in shown.values():
        if action.campaign_id is not None and action.campaign_id not in campaigns:
            campaigns[action.campaign_id] = await repos.campaigns.get(action.campaign_id)
    for action_id, (action, committee, viewer) in shown.items():
        answer = next(r for r in going_rsvps[action_id] if r.user_id == viewer.id)
        rows = CardRows(counts[action_id], answer, None if action.campaign_id is None
                        else campaigns[action.campaign_id], leading=False)
        known.cards[action_id] = card_of(services, action, committee, rows).text


# --- Delivering -------------------------------------------------------------------------


async def deliver_due(
    services: Services, *, now: datetime | None = None, limit: int | None = None
) -> Delivered:
    """Claim, send and mark every pending reminder due at or before `now` (the clock's)."""
    now = now or services.clock.now()
    repos = services.repos.reminders
    done = Delivered()
    known = _Known()
    while limit is None or done.handled < limit:
        size = BATCH if limit is None else min(BATCH, limit - done.handled)
        due = await repos.pending_until(now, limit=size)
        if not due:
            break
        taken = set(await repos.claim_many([reminder.id for reminder in due], now))
        claimed = [reminder for reminder in due if reminder.id in taken]
        done.elsewhere += len(due) - len(claimed)
        verdicts = await _read(services, claimed, now, known)
        unwanted = [r for r in claimed if verdicts[r.id] is not ReminderState.SENT]
        async with services.repos.db.unit():
            for state in (ReminderState.CANCELLED, ReminderState.SKIPPED):
                await repos.finish_many(
                    [r.id for r in unwanted if verdicts[r.id] is state], state, now)
        done.skipped.extend(r.id for r in unwanted)
        outcome: dict[ReminderState, list[int]] = {}
        for reminder in claimed:
            if verdicts[reminder.id] is ReminderState.SENT:
                marked = await _deliver_one(services, reminder, known, done)
                if marked is not None:
                    outcome.setdefault(marked, []).append(reminder.id)
        # Marked together once the batch is handed over: a crash before this leaves them
        # claimed, and `recover` sends each again once at most, as for one.
        async with services.repos.db.unit():
            for state, ids in outcome.items():
                await repos.finish_many(ids, state, now)
        known.actions.clear()
        known.going.clear()
        known.cards.clear()
    if done.handled:
        log.info("reminders: %d sent (%d messages), %d skipped, %d failed, %d elsewhere",
                 len(done.sent), done.messages, len(done.skipped), len(done.failed),
                 done.elsewhere)
    return done


async def _deliver_one(
    services: Services, reminder: Reminder, known: _Known, done: Delivered
) -> ReminderState | None:
    """Hand one reminder to the platforms; the state to mark it with (None: it failed)."""
    action, committee = known.live(reminder)
    try:
        if reminder.kind is ReminderKind.REPORT_PROMPT:
            messages = await _report_prompt(services, action, committee, known)
        else:
            messages = await _to_those_going(services, reminder.kind, action, committee, known)
    except Exception:
        # Left claimed: `recover` releases it after the next start, once.
        log.exception("reminder %d (%s, action %d) failed", reminder.id, reminder.kind,
                      action.id)
        done.failed.append(reminder.id)
        return None
    (done.sent if messages else done.skipped).append(reminder.id)
    done.messages += messages
    return ReminderState.SENT if messages else ReminderState.SKIPPED


async def _to_those_going(
    services: Services, kind: ReminderKind, action: Action, committee: Committee, known: _Known
) -> int:
    going = known.going.get(action.id, [])
    if not going:
        return 0
    cancel = Button(_("I can't come after all"), f"action rsvp {action.id} no", ButtonStyle.DANGER)
    zone = committee.timezone
    where = _("Where: {location}").format(location=action.location) if action.location else None
    # Said in the space when someone's direct messages are closed: no details there.
    public_note = _("The meeting point and details are given privately: type action info"
                    " {id} to see them.").format(id=str(action.id)) if action.details else None
    if kind is ReminderKind.DAY_BEFORE:
        headline = _("Reminder: you are going to this action. Still coming?")
        buttons = (Button(_("I'm coming"), f"action rsvp {action.id} going", ButtonStyle.SUCCESS),
                   cancel)
        private = Reply(lines(headline, known.cards[action.id]), buttons=buttons)
        public = Reply(lines(
            headline,
            _("{kind}: {title}").format(kind=kind_label(action.kind), title=action.title),
            Span(action.starts_at, action.ends_at, zone), where, public_note,
            _("Action {id} · {committee}").format(id=str(action.id), committee=committee.name),
        ), buttons=buttons)
    else:
        headline = _("Soon: {title} starts at {time}.").format(
            title=action.title, time=Moment(action.starts_at, zone, with_date=False))
        details = _("Details, for those going: {details}").format(
            details=action.details) if action.details else None
        private = Reply(lines(headline, where, details), buttons=(cancel,))
        public = Reply(lines(headline, where, public_note), buttons=(cancel,))
    return await _privately(services, committee, known.spaces.get(committee.id, {}), going,
                            private, public)


async def _privately(
    services: Services,
    committee: Committee,
    spaces: dict[str, str],
    people: Iterable[User],
    private: Reply,
    public: Reply,
) -> int:
    """Direct messages; those who cannot get one are mentioned, together, in the space."""
    by_platform: dict[str, list[User]] = {}
    for person in people:
        by_platform.setdefault(person.platform, []).append(person)
    messages = 0
    for platform, users in sorted(by_platform.items()):
        port = services.port(platform)
        if port is None:
            log.warning("no %s platform running: %d reminder(s) not sent", platform, len(users))
            continue
        closed: list[User] = []
        for user in users:
            try:
                reached = await port.send_direct(
                    user, Outgoing(private, user_locale(services, user, committee)))
            except PlatformError:
                log.warning("direct message to user %d failed", user.id, exc_info=True)
                reached = False
            if reached:
                messages += 1
            else:
                closed.append(user)
        space_id = spaces.get(platform)
        if closed and space_id is not None:
            await port.post(space_id, Outgoing(public, committee_locale(services, committee),
                                               tuple(closed)))
            messages += 1
        elif closed:
            log.warning("%d people of committee %d unreachable on %s", len(closed),
                        committee.id, platform)
    return messages


async def _report_prompt(
    services: Services, action: Action, committee: Committee, known: _Known
) -> int:
    parts: list[Renderable | None] = [
        _("{kind} “{title}” is over ({when}).").format(
            kind=kind_label(action.kind), title=action.title,
            when=Span(action.starts_at, action.ends_at, committee.timezone)),
        await _close_attendance(services, action),
        _("Leads, tell us how it went: report {id}").format(id=str(action.id)),
        report_guide(action.id, action.kind),  # the fields of this kind
    ]
    # Where a platform has forms, the button asks for this kind's figures (five at most).
    form = names_of(action.kind)[:MAX_FORM_FIELDS]
    reply = Reply(lines(*parts), buttons=(
        Button(_("Report how it went"), f"report {action.id}", ButtonStyle.PRIMARY,
               form=form),))
    leads = tuple(known.leads.get(committee.id, []))
    if known.spaces.get(committee.id):
        await post_to_committee(services, committee, reply, ping=leads)
        return 1
    sent = 0
    for lead in leads:  # a committee with no space left: its leads, privately
        sent += await send_direct(services, lead, reply, committee)
    return sent




async def _close_attendance(services: Services, action: Action) -> Renderable | None:
    """Those going who never checked in become no-shows; who came, when check-ins were used."""
    try:
        attendance = await close_attendance(services, action)
    except Exception:
        log.exception("closing the attendance of action %d failed", action.id)
        return None
    if not attendance.came:
        return None  # nobody checked in: check-ins were not used, the counts would mislead
    return _("Came: {came} · No-shows: {no_show}").format(
        came=attendance.came, no_show=attendance.no_show)


# --- Previewing, recovering, warning ------------------------------------------------------


async def preview(services: Services, until: datetime) -> list[PlannedMessage]:
    """What would be sent up to `until`, to whom and when; claims and sends nothing."""
    now = services.clock.now()
    pending = await services.repos.reminders.pending_until(until)
    known = _Known()
    planned: list[PlannedMessage] = []
    for start in range(0, len(pending), BATCH):
        batch = pending[start:start + BATCH]
        # Overdue ones go at the next pass, judged then; the others at their time.
        for at, group in _by_send_time(batch, now):
            verdicts = await _read(services, group, at, known)
            for reminder in group:
                if verdicts[reminder.id] is not ReminderState.SENT:
                    continue
                action, committee = known.live(reminder)
                people = (known.going.get(action.id, []) if reminder.kind in PRIVATE_KINDS
                          else known.leads.get(committee.id, []))
                planned.append(PlannedMessage(
                    at=at, kind=reminder.kind, action_id=action.id, title=action.title,
                    recipients=tuple(sorted(user.platform_user_id for user in people)),
                    destination="dm" if reminder.kind in PRIVATE_KINDS else "space",
                ))
    order = list(ReminderKind)
    planned.sort(key=lambda m: (m.at, m.action_id, order.index(m.kind)))
    return planned


def _by_send_time(
    reminders: Sequence[Reminder], now: datetime
) -> list[tuple[datetime, list[Reminder]]]:
    groups: dict[datetime, list[Reminder]] = {}
    for reminder in reminders:
        groups.setdefault(max(reminder.due_at, now), []).append(reminder)
    return sorted(groups.items(), key=lambda item: item[0])


async def recover(services: Services, now: datetime) -> int:
    """Release claims left by a process that died (each reminder is retried once at most)."""
    released = await services.repos.reminders.release_stale_claims(now - STALE_AFTER)
    if released:
        log.warning("reminders: %d claim(s) left by a stopped process released", released)
    return released
