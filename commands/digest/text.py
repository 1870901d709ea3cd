"""The digest as chat text, in the reader's language, cut to fit every platform.

The text is a list of blocks (a heading and its lines). Blocks are packed into replies of at
most `LIMIT` characters as the reader will see them; a block is split between replies only
when it is longer than that alone. Discord takes 2,000 characters a message; Matrix and the
console take more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from babel.dates import format_date
from babel.numbers import format_percent

from commands.actions.kinds import ActionKind, kind_label
from commands.actions.when import utc_from_local
from commands.campaigns import GOAL_FIELDS
from commands.digest.figures import (
    COMING,
    SILENT_AFTER,
    CampaignLine,
    Digest,
    PeriodKind,
    percent_change,
    whole,
)
from commands.i18n import (
    Day,
    Lines,
    Moment,
    Number,
    Renderable,
    RenderContext,
    _,
    join,
    lines,
    plural,
    render,
)
from commands.reply import Reply
from commands.reports.fields import FIELDS
from storage.reports import COUNTS

LIMIT = 1_900
Block = Sequence[Renderable]


@dataclass(frozen=True)
class Change:
    """How a figure moved since the period before: "+18 %", "-5 %", "unchanged"."""

    current: float
    previous: float

    def render(self, ctx: RenderContext) -> str:
        if self.current == self.previous:
            return _("unchanged").render(ctx)
        percent = percent_change(self.current, self.previous)
        if percent is None:
            return _("none before").render(ctx)
        shown = format_percent(percent / 100, locale=ctx.locale)
        return f"+{shown}" if percent >= 0 else shown


@dataclass(frozen=True)
class Month:
    """A month and its year: "novembre 2026"."""

    day: date

    def render(self, ctx: RenderContext) -> str:
        return format_date(self.day, "LLLL y", locale=ctx.locale)


def blocks(digest: Digest) -> list[Block]:
    found = [_heading(digest), _actions(digest), _fields(digest), _estimate(digest),
             _campaigns(digest), _leaders(digest), _now(digest)]
    return [block for block in found if block]


def full_text(digest: Digest) -> Lines:
    """The whole digest in one piece (a file, the command line)."""
    return join([lines(*block) for block in blocks(digest)], separator="\n\n")


def text_replies(digest: Digest, locale: str, *, private: bool, limit: int = LIMIT) -> list[Reply]:
    """The digest as one reply or several, each at most `limit` characters in `locale`."""
    return [Reply(text, private=private) for text in pack(blocks(digest), locale, limit)]


def pack(found: Sequence[Block], locale: str, limit: int = LIMIT) -> list[Lines]:
    """Blocks into pieces of at most `limit` characters once rendered, blocks kept whole
    where they fit, separated by an empty line."""
    ctx = RenderContext(locale)
    pieces: list[list[list[Renderable]]] = []
    size = limit + 1  # nothing open yet
    for block in found:
        for part in _fitting(block, ctx, limit):
            length = sum(len(render(line, ctx)) + 1 for line in part) - 1
            if size + 2 + length <= limit:
                pieces[-1].append(part)
                size += 2 + length
            else:
                pieces.append([part])
                size = length
    return [join([lines(*part) for part in piece], separator="\n\n") for piece in pieces]


def _fitting(block: Block, ctx: RenderContext, limit: int) -> list[list[Renderable]]:
    """The block whole, or cut between lines into parts of at most `limit` characters."""
    parts: list[list[Renderable]] = [[]]
    size = -1
    for whole_line in block:
        for line in _cut(whole_line, ctx, limit):
            length = len(render(line, ctx))
            if parts[-1] and size + 1 + length > limit:
                parts.append([])
                size = -1
            parts[-1].append(line)
            size += 1 + length
    return parts


def _cut(line: Renderable, ctx: RenderContext, limit: int) -> list[Renderable]:
    """A line longer than `limit` (a long configured source sentence), cut between words."""
    text = render(line, ctx)
    if len(text) <= limit:
        return [line]
    pieces: list[Renderable] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip(" ")
    return [*pieces, text] if text else pieces


# --- blocks -------------------------------------------------------------------------------

def _heading(digest: Digest) -> Block:
    span, zone = digest.span, digest.timezone
    period = span.period
    before = period.before()
    until = Moment(span.current.end, zone)
    heading: Renderable
    if period.kind is PeriodKind.WEEK:
        first, last = Day(period.start, zone), Day(_noon(period.last, zone), zone)
        if span.complete:
            heading = _("Digest of the week from {first} to {last}, compared with the week"
                        " before.").format(first=first, last=last)
        else:
            heading = _("Digest of the week from {first}, so far (until {until}), compared"
                        " with the same days of the week before.").format(first=first,
                                                                           until=until)
    elif span.complete:
        heading = _("Digest of {month}, compared with {previous}.").format(
            month=Month(period.first), previous=Month(before.first))
    else:
        heading = _("Digest of {month} so far (until {until}), compared with the same days"
                    " of {previous}.").format(month=Month(period.first), until=until,
                                              previous=Month(before.first))
    area = (_("Département {departement} only.").format(departement=digest.departement)
            if digest.departement else None)
    return [part for part in (heading, area) if part is not None]


def _actions(digest: Digest) -> Block:
    now, before = digest.current, digest.previous
    found: list[Renderable] = [
        _("Field actions held: {count} ({change}).").format(
            count=Number(now.held), change=Change(now.held, before.held)),
    ]
    for kind in ActionKind:
        count, previous = now.actions.get(kind, 0), before.actions.get(kind, 0)
        if count or previous:
            found.append(_item(kind_label(kind), count, previous))
    found.append(_("Active committees (at least one action held): {count} of {total}"
                   " ({change}).").format(
        count=Number(now.active_committees), total=Number(digest.live_committees),
        change=Change(now.active_committees, before.active_committees)))
    found.append(_("New committees: {count} ({change}).").format(
        count=Number(now.new_committees),
        change=Change(now.new_committees, before.new_committees)))
    return found


def _fields(digest: Digest) -> Block:
    now, before = digest.current, digest.previous
    if not now.held and not before.held:
        return []
    found: list[Renderable] = [
        _("What the reports say ({reported} of {held} actions held have one):").format(
            reported=Number(now.sums.reported), held=Number(now.held)),
    ]
    for name in COUNTS:
        count, previous = now.figure(name), before.figure(name)
        if count or previous:
            found.append(_item(FIELDS[name].label, count, previous))
    return found


def _estimate(digest: Digest) -> Block:
    now, before, impact = digest.current, digest.previous, digest.impact
    return [
        _("Voters persuaded, estimated: {count} ({change}).").format(
            count=Number(whole(now.persuaded)), change=Change(now.persuaded, before.persuaded)),
        _("How: {conversations} face-to-face conversations ÷ {per_conversation} + {calls}"
          " calls answered ÷ {per_call} + {leaflets} leaflets ÷ {per_leaflet}."
          " {source}").format(
            conversations=Number(now.face_to_face), per_conversation=Number(impact.conversation),
            calls=Number(now.sums.calls_answered), per_call=Number(impact.call),
            leaflets=Number(now.sums.leaflets), per_leaflet=Number(impact.leaflet),
            source=impact.source),
    ]


def _campaigns(digest: Digest) -> Block:
    if not digest.campaigns:
        return []
    found: list[Renderable] = [_("Campaigns (national progress since they began):")]
    for line in digest.campaigns:
        found.extend(_campaign(line, digest.timezone))
    return found


def _campaign(line: CampaignLine, zone: str) -> list[Renderable]:
    campaign, figures = line.campaign, line.progress.figures
    heading = _("{name}, until {end}:").format(name=campaign.name,
                                               end=Day(campaign.ends_at, zone))
    goals = [(field, campaign.goals[field]) for field in GOAL_FIELDS if field in campaign.goals]
    if not goals:
        return [heading, _("• no goals set; actions tagged: {count}").format(
            count=Number(figures.get("actions", 0)))]
    return [heading, *(
        _("• {label}: {done} of {goal} ({percent}%)").format(
            label=GOAL_FIELDS[field], done=Number(figures.get(field, 0)), goal=Number(goal),
            percent=Number(figures.get(field, 0) * 100 // goal))
        for field, goal in goals
    )]


def _leaders(digest: Digest) -> Block:
    found: list[Renderable] = []
    if digest.departements and not digest.departement:
        found.append(_("Départements with the most actions:"))
        found.extend(
            _("• {departement}: {actions} ({change}), {attendees}").format(
                departement=row.departement, actions=_actions_count(row.actions),
                change=Change(row.actions, row.previous_actions),
                attendees=_people(row.attendees))
            for row in digest.departements
        )
    if digest.committees:
        found.append(_("Committees with the most actions:"))
        found.extend(
            _("• {name} ({departement}): {actions}, {attendees}").format(
                name=row.name, departement=row.departement,
                actions=_actions_count(row.actions), attendees=_people(row.attendees))
            for row in digest.committees
        )
    return found


def _now(digest: Digest) -> Block:
    zone = digest.timezone
    found: list[Renderable] = [
        _("Now, {moment}:").format(moment=Moment(digest.now, zone)),
        _("• committees with no action for {days} days: {count}").format(
            days=Number(SILENT_AFTER.days), count=Number(digest.silent)),
    ]
    if digest.silent_largest:
        found.append(_("  the largest: {committees}").format(committees=join([
            (_("{name} ({departement}, {members}, last action {day})").format(
                name=row.name, departement=row.departement, members=_members(row.members),
                day=Day(row.last_action, zone))
             if row.last_action is not None else
             _("{name} ({departement}, {members}, no action yet)").format(
                name=row.name, departement=row.departement, members=_members(row.members)))
            for row in digest.silent_largest
        ], separator=" · ")))
    coming = digest.upcoming
    total = sum(coming.actions.values())
    found.append(_("• actions in the next {days} days: {count}, by {committees}").format(
        days=Number(COMING.days), count=Number(total),
        committees=plural(coming.committees, _("{count} committee"), _("{count} committees"))))
    if total:
        found.append(Lines(("  ", join([
            _("{kind}: {count}").format(kind=kind_label(kind), count=Number(count))
            for kind in ActionKind if (count := coming.actions.get(kind, 0))
        ], separator=", ")), separator=""))
    flags = digest.flags
    found.append(
        _("• flags awaiting review: {flags} on {items}").format(
            flags=Number(flags.flags),
            items=plural(flags.items, _("{count} item"), _("{count} items")))
        if flags.flags else _("• no flag awaiting review")
    )
    return found


# --- pieces -------------------------------------------------------------------------------

def _item(label: Renderable, count: int, previous: int) -> Renderable:
    return _("• {label}: {count} ({change})").format(
        label=label, count=Number(count), change=Change(count, previous))


def _actions_count(count: int) -> Renderable:
    return plural(count, _("{count} action"), _("{count} actions"))


def _people(count: int) -> Renderable:
    return plural(count, _("{count} person"), _("{count} people"))


def _members(count: int) -> Renderable:
    return plural(count, _("{count} member"), _("{count} members"))


def _noon(day: date, zone: str) -> datetime:
    """A moment inside a local day, whatever the clocks did that night."""
    return utc_from_local(datetime.combine(day, time(12)), zone)
