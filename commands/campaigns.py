"""National campaigns: staff set one up with dates and goals; leads tag their actions with it
(`action schedule … campaign=<id>`); anyone follows its progress.

    campaign create "Semaine du porte-à-porte" 2027-03-01 2027-03-07 doors=100000 actions=500
    campaign list
    campaign info semaine-du-porte-a-porte
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated

from commands.actions.kinds import kind_label
from commands.actions.when import END_OF_DAY, local, parse_until, utc_from_local
from commands.committees.naming import clean_label, slugify
from commands.errors import UserError
from commands.i18n import Day, Number, Renderable, Text, _, join, lines
from commands.invocation import Invocation
from commands.permissions import ANYONE, STAFF
from commands.reply import Reply
from commands.spec import Param, command
from storage.campaigns import Campaign
from storage.repositories import Repositories

# The figures a goal can be set on: field actions, and what action reports count.
GOAL_FIELDS: dict[str, Text] = {
    "doors": _("doors knocked"),
    "conversations": _("conversations"),
    "leaflets": _("leaflets handed out"),
    "calls": _("calls made"),
    "posters": _("posters put up"),
    "contacts": _("contacts collected"),
    "actions": _("field actions"),
}
GOAL_MAX = 100_000_000
PAST_SHOWN = 10
# How far back a date typed with its year may go (a campaign already under way).
_LOOK_BACK = timedelta(days=3660)


def _goal(description: Text) -> Param:
    return Param(description, min=1, max=GOAL_MAX)


@command("campaign", "create", rule=STAFF)
async def create(
    inv: Invocation,
    name: Annotated[str, Param(_("the campaign's name, in quotes if it has spaces"))],
    start: Annotated[str, Param(_("its first day, e.g. 2027-03-01 or \"1 mars\""))],
    end: Annotated[str, Param(_("its last day, e.g. 2027-03-07 or \"7 mars\""))],
    doors: Annotated[int | None, _goal(_("goal: doors knocked"))] = None,
    conversations: Annotated[int | None, _goal(_("goal: conversations"))] = None,
    leaflets: Annotated[int | None, _goal(_("goal: leaflets handed out"))] = None,
    calls: Annotated[int | None, _goal(_("goal: calls made"))] = None,
    posters: Annotated[int | None, _goal(_("goal: posters put up"))] = None,
    contacts: Annotated[int | None, _goal(_("goal: contacts collected"))] = None,
    actions: Annotated[int | None, _goal(_("goal: field actions"))] = None,
) -> Reply:
    """Start a national campaign, with its dates and goals."""
    name = clean_label(name, what=_("The name"), minimum=3,
                       maximum=inv.settings.limits.name_max_length)
    zone = inv.settings.organisation.timezone
    today = local(inv.now(), zone).date()
    first = read_day(start, from_day=today, timezone=zone)
    last = read_day(end, from_day=first, timezone=zone)
    if last < first:
        raise UserError(_("A campaign ends on or after its first day ({start}).").format(
            start=Day(_midnight(first, zone), zone)))
    if last < today:
        raise UserError(_("That campaign would already be over ({end}).").format(
            end=Day(_midnight(last, zone), zone)))
    slug = slugify(name)
    taken = await inv.repos.campaigns.by_slug(slug)
    if taken is not None:
        raise UserError(
            _("There is already a campaign with the id {slug} ({name}). Choose another"
              " name.").format(slug=slug, name=taken.name)
        )
    given = {"doors": doors, "conversations": conversations, "leaflets": leaflets,
             "calls": calls, "posters": posters, "contacts": contacts, "actions": actions}
    goals = {field: value for field, value in given.items() if value is not None}
    campaign = await inv.repos.campaigns.create(
        slug=slug, name=name, starts_at=_midnight(first, zone),
        ends_at=utc_from_local(datetime.combine(last, END_OF_DAY), zone), goals=goals,
        created_by=inv.actor.id, now=inv.now(),
    )
    await inv.audit("campaign.create", target_kind="campaign", target_id=campaign.id,
                    committee_id=None, after=campaign.model_dump(mode="json"))
    return Reply(lines(
        _("Campaign created: {name}, id {slug}.").format(name=name, slug=slug),
        _dates(campaign, zone),
        *_goal_lines(campaign, None),
        _("Leads tag their actions with campaign={slug} when they schedule them.").format(
            slug=slug),
    ))


@command("campaign", "list", rule=ANYONE)
async def list_campaigns(inv: Invocation) -> Reply:
    """List national campaigns, running and past."""
    zone = inv.settings.organisation.timezone
    now = inv.now()
    campaigns = await inv.repos.campaigns.all()  # latest start first
    if not campaigns:
        return Reply(_("No national campaign yet."), private=True)
    running = [c for c in reversed(campaigns) if c.starts_at <= now <= c.ends_at]
    coming = [c for c in reversed(campaigns) if c.starts_at > now]
    past = [c for c in campaigns if c.ends_at < now]
    parts: list[Renderable] = []
    for heading, group in ((_("Running:"), running), (_("Coming:"), coming),
                           (_("Past:"), past[:PAST_SHOWN])):
        if group:
            parts.append(heading)
            parts.extend(_entry(campaign, zone) for campaign in group)
    if len(past) > PAST_SHOWN:
        parts.append(_("…and {count} older ones.").format(count=Number(len(past) - PAST_SHOWN)))
    parts.append(_("campaign info <id> shows a campaign's goals and progress."))
    return Reply(join(parts), private=True)


@command("campaign", "info", rule=ANYONE)
async def info(
    inv: Invocation,
    campaign: Annotated[str, Param(_("the campaign's id, e.g. semaine-du-porte-a-porte"))],
) -> Reply:
    """Show a national campaign: dates, goals and progress."""
    found = await inv.repos.campaigns.by_slug(campaign.strip().lstrip("#").lower())
    if found is None:
        raise UserError(
            _("There is no campaign “{slug}”. campaign list shows them.").format(
                slug=campaign.strip()[:40])
        )
    zone = inv.settings.organisation.timezone
    progress = await campaign_progress(inv.repos, found)
    parts: list[Renderable | None] = [
        _("{name} · id {slug}").format(name=found.name, slug=found.slug),
        _state(found, inv.now(), zone),
        _actions_line(progress),
        *_goal_lines(found, progress),
    ]
    if not progress.from_reports and set(found.goals) - {"actions"}:
        parts.append(_("Doors, leaflets, calls and the other figures come from action reports:"
                       " none filed yet."))
    return Reply(lines(*parts), private=True)


# --- progress -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    """What a campaign has done so far, per goal field, and its actions per kind."""

    figures: dict[str, int]
    actions_by_kind: dict[str, int]
    # False until one of its actions has a report: then doors, leaflets, calls... are 0.
    from_reports: bool


# The report count each goal adds up ("actions" counts the tagged actions themselves).
GOAL_SOURCES = {
    "doors": "doors_knocked",
    "conversations": "conversations",
    "leaflets": "leaflets",
    "calls": "calls_made",
    "posters": "posters",
    "contacts": "contacts",
}


async def campaign_progress(repos: Repositories, campaign: Campaign) -> Progress:
    """The one place a campaign's figures come from: its tagged actions (cancelled ones left
    out), and the sums of their reports (doors knocked, leaflets, calls...)."""
    by_kind = await repos.campaigns.action_counts(campaign.id)
    totals = await repos.reports.campaign_totals(campaign.id)
    figures = dict.fromkeys(GOAL_FIELDS, 0)
    for goal, count in GOAL_SOURCES.items():
        figures[goal] = totals.figures.get(count, 0)
    figures["actions"] = sum(by_kind.values())
    return Progress(figures=figures, actions_by_kind=by_kind, from_reports=totals.reported > 0)


# --- pieces -------------------------------------------------------------------------------

def read_day(text: str, *, from_day: date, timezone: str) -> date:
    """A day as people type it, in French or English ("2027-03-01", "1 mars", "fin mars",
    "lundi"), read in `timezone`. Said without a year, it is the first such day on or after
    `from_day`; said with one, it may come before (the caller decides whether that fits)."""
    for base in (from_day, from_day - _LOOK_BACK):
        try:
            end_of_day = parse_until(text, after=_midnight(base, timezone), timezone=timezone)
        except UserError:
            continue  # unreadable, or before `base`: try the earlier base, then give up
        return local(end_of_day, timezone).date()
    raise UserError(
        _("I could not read “{text}” as a date. Try for example {example} or 1 mars.").format(
            text=" ".join(text.split())[:40],
            example=(from_day + timedelta(days=30)).isoformat(),
        ),
        usage=True,
    )


def _midnight(day: date, zone: str) -> datetime:
    return utc_from_local(datetime.combine(day, time.min), zone)


def _dates(campaign: Campaign, zone: str) -> Renderable:
    return _("From {start} to {end}.").format(start=Day(campaign.starts_at, zone),
                                              end=Day(campaign.ends_at, zone))


def _entry(campaign: Campaign, zone: str) -> Renderable:
    return _("• {name}: {start} → {end} · id {slug}").format(
        name=campaign.name, start=Day(campaign.starts_at, zone),
        end=Day(campaign.ends_at, zone), slug=campaign.slug,
    )


def _state(campaign: Campaign, now: datetime, zone: str) -> Renderable:
    start, end = Day(campaign.starts_at, zone), Day(campaign.ends_at, zone)
    if now < campaign.starts_at:
        return _("Coming: from {start} to {end}.").format(start=start, end=end)
    if now <= campaign.ends_at:
        return _("Running: from {start} to {end}.").format(start=start, end=end)
    return _("Over: it ran from {start} to {end}.").format(start=start, end=end)


def _actions_line(progress: Progress) -> Renderable:
    total = progress.figures["actions"]
    if not total:
        return _("No action tagged with this campaign yet.")
    kinds = sorted(progress.actions_by_kind.items(), key=lambda item: (-item[1], item[0]))
    return _("Actions tagged: {total} ({kinds})").format(
        total=Number(total),
        kinds=join([_("{kind}: {count}").format(kind=kind_label(kind), count=Number(count))
                    for kind, count in kinds], separator=", "),
    )


def _goal_lines(campaign: Campaign, progress: Progress | None) -> list[Renderable]:
    """The goals, in the order of GOAL_FIELDS; with how far along each is when known."""
    goals = [(field, campaign.goals[field]) for field in GOAL_FIELDS if field in campaign.goals]
    if not goals:
        return [_("No goals set.")]
    found: list[Renderable] = [_("Goals:")]
    for field, goal in goals:
        label = GOAL_FIELDS[field]
        if progress is None:
            found.append(_("• {label}: {goal}").format(label=label, goal=Number(goal)))
            continue
        done = progress.figures.get(field, 0)
        found.append(_("• {label}: {done} of {goal} ({percent}%)").format(
            label=label, done=Number(done), goal=Number(goal),
            percent=Number(done * 100 // goal),
        ))
    return found
