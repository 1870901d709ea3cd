"""National staff's tools: announce to every committee, review flags, read the audit log."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from commands.committees.naming import fold
from commands.errors import UserError
from commands.flags import KINDS, Flagged, OpenItem, keep, open_flags, remove
from commands.i18n import Lines, Number, Renderable, RenderContext, _, join, lines, mention, plural
from commands.invocation import Invocation
from commands.notify import post_to_committee, send_direct
from commands.permissions import STAFF
from commands.places import parse_area
from commands.reply import Button, ButtonStyle, Reply
from commands.services import Services
from commands.spec import Param, command
from storage.audit import AuditEntry
from storage.committees import Committee, CommitteeStatus
from storage.users import User

log = logging.getLogger(__name__)

# Room for the header within the smallest platform limit (Discord: 2000 characters).
ANNOUNCEMENT_MAX_LENGTH = 1800


# --- staff announce -----------------------------------------------------------------------


@command("staff", "announce", rule=STAFF)
async def announce(
    inv: Invocation,
    text: Annotated[str, Param(_("the message, as it will be posted"), rest=True,
                               max_length=ANNOUNCEMENT_MAX_LENGTH)],
    departement: Annotated[
        str | None, Param(_("only the committees of this département: 69, 2A, 974"))
    ] = None,
) -> Reply:
    """Post a message in every committee's space, or in one département's."""
    if not text.strip():
        raise UserError(_("Write the message to announce."), usage=True)
    if departement is not None:
        postal_code, departement = parse_area(departement)
        if postal_code is not None:
            raise UserError(_("Give a département (69, 2A, 974), not a postal code."))
    committees = await inv.repos.committees.with_space(departement)
    if not committees:
        if departement is not None:
            raise UserError(_("No active committee in département {departement}.").format(
                departement=departement))
        raise UserError(_("There is no active committee yet."))
    organisation = inv.settings.organisation.name
    # The text goes out as typed, never through a template, and pings nobody.
    message = Reply(lines(_("Announcement from {organisation}:").format(
        organisation=organisation), text))
    await inv.audit("staff.announce", target_kind="announcement", target_id=None,
                    committee_id=None,
                    after={"text": text, "departement": departement,
                           "committees": len(committees)})
    sending = _Announcement(inv.services, [committee.id for committee in committees], message,
                            inv.actor, 1 / inv.settings.staff.announce_per_second)
    inv.later(sending.run, "staff announce")
    count = plural(len(committees), _("{count} committee"), _("{count} committees"))
    return Reply(_("Sending to {count}; I will tell you when it is done.").format(count=count),
                 private=True)


@dataclass(frozen=True)
class _Announcement:
    """The send itself, after the command has answered: one committee at a time."""

    services: Services
    committee_ids: list[int]
    message: Reply
    announcer: User
    pause: float

    async def run(self) -> None:
        sent = 0
        for index, committee_id in enumerate(self.committee_ids):
            if index:
                await asyncio.sleep(self.pause)
            # Minutes may pass over thousands of committees: one suspended since is skipped.
            committee = await self.services.repos.committees.get(committee_id)
            if committee is None or committee.status is not CommitteeStatus.ACTIVE:
                continue
            try:
                await post_to_committee(self.services, committee, self.message)
            except Exception:  # one committee's failure must not stop the others
                log.exception("announcement to %s failed", committee.slug)
                continue
            sent += 1
        total = len(self.committee_ids)
        await send_direct(self.services, self.announcer, Reply(
            _("Your announcement reached {sent} of {total}.").format(
                sent=Number(sent),
                total=plural(total, _("{count} committee"), _("{count} committees")))))


# --- staff flags ----------------------------------------------------------------------------

# Two buttons an item, within what every platform shows under one message.
FLAGS_PER_PAGE = 10
ITEM = Param(_("the item: a committee's id, action:<number> or material:<number>"))
_KIND_NAMES = {"committee": _("committee"), "action": _("action"), "material": _("material")}
_KIND_WORDS = {"comite": "committee", "materiel": "material"}


@command("staff", "flags", rule=STAFF)
async def flags(
    inv: Invocation,
    page: Annotated[int, Param(_("which page of flagged items"), min=1, max=100_000)] = 1,
) -> Reply:
    """Review what people flagged: keep it, or remove it."""
    size = min(inv.settings.limits.page_size, FLAGS_PER_PAGE)
    waiting, total = await open_flags(inv.services, limit=size, offset=(page - 1) * size)
    if not waiting:
        if page > 1 and total:
            raise UserError(_("There is no page {page}.").format(page=page))
        return Reply(_("No flag awaits review."), private=True)
    entries: list[Renderable] = [
        plural(total, _("{count} flagged item awaits review, the most reported first:"),
               _("{count} flagged items await review, the most reported first:"))]
    buttons: list[Button] = []
    for waiting_item in waiting:
        item = waiting_item.item
        entries.append(_flag_line(waiting_item))
        buttons.append(Button(_("Keep {item}").format(item=item.ref),
                              f"staff flag keep {item.ref}", ButtonStyle.SUCCESS))
        buttons.append(Button(_("Remove {item}").format(item=item.ref),
                              f"staff flag remove {item.ref}", ButtonStyle.DANGER))
    pages = (total + size - 1) // size
    if page > 1:
        buttons.append(Button(_("Previous page"), f"staff flags page={page - 1}"))
    if page < pages:
        entries.append(_("Page {page} of {pages}.").format(page=page, pages=pages))
        buttons.append(Button(_("Next page"), f"staff flags page={page + 1}",
                              ButtonStyle.PRIMARY))
    return Reply(join(entries), buttons=tuple(buttons), private=True)


def _flag_line(waiting: OpenItem) -> Renderable:
    item = waiting.item
    reasons: list[str] = []
    for flag in waiting.flags:
        if flag.reason not in reasons:
            reasons.append(flag.reason)
    parts: list[Renderable] = [
        _KIND_NAMES.get(item.kind.name, item.kind.name), item.label, item.ref,
        plural(waiting.people, _("reported by {count} person"),
               _("reported by {count} people")),
    ]
    if item.committee is not None and item.kind.name != "committee":
        parts.append(item.committee.name)
    if item.hidden:
        parts.append(_("hidden until reviewed"))
    quoted = "; ".join(f"“{reason[:100]}”" for reason in reasons[:5])
    return Lines(("• ", Lines(tuple(parts), " · "), "\n  ", quoted), "")


@command("staff", "flag", "keep", rule=STAFF)
async def flag_keep(inv: Invocation, item: Annotated[str, ITEM]) -> Reply:
    """Keep a flagged item: shown again, its flags closed."""
    found = await _flagged(inv, item)
    closed = await keep(inv, found)
    return _reviewed(_("Kept: {item}.").format(item=found.label), closed)


@command("staff", "flag", "remove", rule=STAFF)
async def flag_remove(
    inv: Invocation,
    item: Annotated[str, ITEM],
    reason: Annotated[str | None, Param(_("why; by default, the reasons people gave"),
                                        positional=True, rest=True)] = None,
) -> Reply:
    """Remove a flagged item: a committee is suspended, an action cancelled, a material
    removed."""
    found = await _flagged(inv, item)
    if not reason:
        given: list[str] = []
        for flag in await inv.repos.flags.open_for(found.kind.name, found.id):
            if flag.reason not in given:
                given.append(flag.reason)
        reason = "; ".join(given)[: inv.settings.limits.reason_max_length]
    closed = await remove(inv, found, reason)
    done = {
        "committee": _("{item} is suspended."),
        "action": _("{item} is cancelled."),
    }.get(found.kind.name, _("{item} is removed."))
    return _reviewed(done.format(item=found.label), closed)


async def _flagged(inv: Invocation, ref: str) -> Flagged:
    """The item a review button names, whatever its state (suspended, hidden, archived)."""
    head, colon, rest = ref.strip().partition(":")
    found = None
    if not colon:
        committee = await inv.repos.committees.by_slug(ref.strip().lstrip("#").lower())
        if committee is not None:
            found = await KINDS["committee"].get(inv.services, committee.id)
    else:
        word = fold(head)
        kind = KINDS.get(_KIND_WORDS.get(word, word))
        number = rest.strip().lstrip("#")
        if kind is not None and number.isascii() and number.isdigit() and len(number) < 12:
            found = await kind.get(inv.services, int(number))
    if found is None:
        raise UserError(_("There is nothing called “{item}” to review. staff flags lists"
                          " them.").format(item=ref.strip()[:60]), usage=True)
    if not await inv.repos.flags.open_for(found.kind.name, found.id):
        raise UserError(_("{item} has no open flag: there is nothing to review.").format(
            item=found.label))
    return found


def _reviewed(done: Renderable, closed: int) -> Reply:
    return Reply(
        lines(done, plural(closed, _("{count} flag closed."), _("{count} flags closed."))),
        buttons=(Button(_("Next flags"), "staff flags", ButtonStyle.PRIMARY),),
        private=True,
    )


# --- staff audit ----------------------------------------------------------------------------


@command("staff", "audit", rule=STAFF)
async def audit(
    inv: Invocation,
    committee: Annotated[str | None, Param(_("a committee's id: only its entries"),
                                           positional=True, autocomplete="committee")] = None,
    page: Annotated[int, Param(_("which page of entries"), min=1, max=1_000_000)] = 1,
) -> Reply:
    """Read the audit log, newest first: who changed what, and when."""
    about: Committee | None = None
    if committee is not None:
        slug = committee.strip().lstrip("#").lower()
        about = await inv.repos.committees.by_slug(slug)
        if about is None:
            raise UserError(_("There is no committee with the id “{slug}”. committee list shows"
                              " them.").format(slug=slug[:60]))
    size = inv.settings.limits.page_size
    committee_id = about.id if about else None
    total = await inv.repos.audit.count(committee_id)
    entries = await inv.repos.audit.recent(committee_id, limit=size, offset=(page - 1) * size)
    if not entries:
        if page > 1 and total:
            raise UserError(_("There is no page {page}.").format(page=page))
        return Reply(_("The audit log is empty."), private=True)
    zone = inv.settings.organisation.timezone
    names = await _names(inv, entries)
    first = (page - 1) * size + 1
    header = _("Audit log, newest first ({zone} time), {first}–{last} of {total}:").format(
        zone=zone, first=Number(first), last=Number(first + len(entries) - 1),
        total=Number(total))
    if about is not None:
        header = _("Audit log of {name}, newest first ({zone} time), {first}–{last} of"
                   " {total}:").format(name=about.name, zone=zone, first=Number(first),
                                       last=Number(first + len(entries) - 1),
                                       total=Number(total))
    shown = [_entry_line(entry, names, zone, whole_log=about is None) for entry in entries]
    pages = (total + size - 1) // size
    base = "staff audit" + (f" {about.slug}" if about else "")
    buttons: list[Button] = []
    if page > 1:
        buttons.append(Button(_("Previous page"), f"{base} page={page - 1}"))
    if page < pages:
        buttons.append(Button(_("Next page"), f"{base} page={page + 1}", ButtonStyle.PRIMARY))
    footer = _("Page {page} of {pages}.").format(page=page, pages=pages) if pages > 1 else None
    return Reply(lines(header, join(shown), footer), buttons=tuple(buttons), private=True)


async def _names(inv: Invocation, entries: list[AuditEntry]) -> _Names:
    user_ids = {entry.actor_id for entry in entries}
    user_ids |= {entry.target_id for entry in entries if entry.target_kind == "user"}
    committee_ids = {entry.committee_id for entry in entries}
    committee_ids |= {entry.target_id for entry in entries if entry.target_kind == "committee"}
    committees: dict[int, Committee] = {}
    for committee_id in sorted(found for found in committee_ids if found is not None):
        committee = await inv.repos.committees.get(committee_id)
        if committee is not None:
            committees[committee_id] = committee
    users = await inv.repos.users.many(sorted(found for found in user_ids if found is not None))
    return _Names(users, committees)


@dataclass(frozen=True)
class _Names:
    users: dict[int, User]
    committees: dict[int, Committee]

    def who(self, user_id: int | None) -> Renderable:
        # No actor: the bot itself (a promotion from a waiting list), or someone forgotten.
        user = self.users.get(user_id) if user_id is not None else None
        return mention(user) if user is not None else "—"

    def target(self, entry: AuditEntry) -> Renderable:
        if entry.target_kind == "user":
            return self.who(entry.target_id)
        if entry.target_kind == "committee" and entry.target_id in self.committees:
            return self.committees[entry.target_id].slug
        if entry.target_id is None:
            return entry.target_kind
        return f"{entry.target_kind} {entry.target_id}"


@dataclass(frozen=True)
class Stamp:
    """A time in a zone, short: "5 déc. 2026 10:00"."""

    when: datetime
    timezone: str

    def render(self, ctx: RenderContext) -> str:
        return format_datetime(self.when, "d MMM y HH:mm", tzinfo=ZoneInfo(self.timezone),
                               locale=ctx.locale)


def _entry_line(entry: AuditEntry, names: _Names, zone: str, *, whole_log: bool) -> Renderable:
    parts: list[Renderable] = [Stamp(entry.created_at, zone), names.who(entry.actor_id),
                               entry.action, names.target(entry)]
    committee = names.committees.get(entry.committee_id) if entry.committee_id else None
    if whole_log and committee is not None and not (
        entry.target_kind == "committee" and entry.target_id == committee.id
    ):
        parts.append(committee.slug)
    reason = _reason_of(entry.after)
    if reason:
        parts.append(f"“{reason}”")
    return Lines(("• ", Lines(tuple(parts), " · ")), "")


def _reason_of(after: dict[str, Any] | None) -> str | None:
    if not after:
        return None
    for key in ("reason", "status_reason"):
        value = after.get(key)
        if isinstance(value, str) and value:
            return value[:120]
    return None
