"""`action list`: a committee's coming (or past) actions, or the coming ones near a place.

The committee is named with `committee=` rather than as a first word: the dispatcher gives a
positional word to the first positional option, so `action list upcoming` would look for a
committee called "upcoming"; and a committee option is always resolved (or refused) before the
handler runs, which `near=` outside any committee space needs to avoid. So the committee is
a text option resolved here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from commands.actions.card import counts_line
from commands.actions.kinds import kind_label
from commands.errors import UserError
from commands.i18n import Number, Renderable, Span, Text, _, join
from commands.invocation import Invocation
from commands.lookup import find_committee
from commands.permissions import ANYONE
from commands.places import parse_area
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import Param, command
from storage.actions import Action, ActionStatus
from storage.committees import Committee
from storage.rsvps import Answer, Counts

RSVP_BUTTONS = 3
BUTTON_TITLE = 40


class Period(StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"

    @classmethod
    def _missing_(cls, value: object) -> Period | None:
        key = str(value).lower().strip().replace("-", " ").replace("_", " ")
        code = PERIOD_ALIASES.get(key)
        return None if code is None else cls(code)


PERIOD_ALIASES = {
    "à venir": "upcoming", "a venir": "upcoming", "prochaines": "upcoming",
    "futures": "upcoming", "next": "upcoming", "coming": "upcoming", "future": "upcoming",
    "passées": "past", "passees": "past", "passé": "past", "passe": "past",
    "passés": "past", "passes": "past", "anciennes": "past", "previous": "past",
    "done": "past", "finished": "past",
}


@command("action", "list", rule=ANYONE, allow_suspended=True)
async def list_actions(
    inv: Invocation,
    period: Annotated[
        Period, Param(_("upcoming or past (upcoming if not said)"), positional=True)
    ] = Period.UPCOMING,
    committee: Annotated[
        str | None,
        Param(_("the committee's id, when not typed in its space"), autocomplete="committee"),
    ] = None,
    near: Annotated[
        str | None, Param(_("a postal code or a département: coming actions nearby"))
    ] = None,
    page: Annotated[int, Param(_("which page of results"), min=1, max=10_000)] = 1,
) -> Reply:
    """List a committee's actions, or the coming ones near you."""
    if committee is not None and near is not None:
        raise UserError(_("Give either a committee or near=, not both."), usage=True)
    if near is not None:
        if period is Period.PAST:
            raise UserError(_("near= lists coming actions only; for past ones, name the"
                              " committee."), usage=True)
        return await _near(inv, near, page)
    chosen = await _committee(inv, committee)
    return await _of_committee(inv, chosen, period, page)


async def _committee(inv: Invocation, slug: str | None) -> Committee:
    if slug is None or not slug.strip():
        if inv.place_committee is not None:
            return inv.place_committee
        raise UserError(
            _("Say which committee (committee=lyon-croix-rousse) or where (near=69004), or type"
              " this in a committee's space."),
            usage=True,
        )
    return await find_committee(inv.repos, slug)


async def _of_committee(inv: Invocation, committee: Committee, period: Period,
                        page: int) -> Reply:
    size = inv.settings.limits.page_size
    upcoming = period is Period.UPCOMING
    now = inv.now()
    total = await inv.repos.actions.count_of_committee(committee.id, upcoming=upcoming, now=now)
    actions = await inv.repos.actions.of_committee(
        committee.id, upcoming=upcoming, now=now, limit=size, offset=(page - 1) * size
    )
    if not actions:
        _no_such_page(page, total)
        empty = (_("No coming action for {name}.") if upcoming
                 else _("No past action for {name}.")).format(name=committee.name)
        return Reply(empty, private=True)
    title = (_("Coming actions of {name} ({first}–{last} of {total}):") if upcoming
             else _("Past actions of {name} ({first}–{last} of {total}):"))
    counts = await inv.repos.rsvps.counts_many([action.id for action in actions])
    entries: list[Renderable] = [_range(title, name=committee.name, page=page, size=size,
                                        shown=len(actions), total=total)]
    entries.extend(_line(action, committee, counts[action.id], with_committee=False)
                   for action in actions)
    next_page = f"action list {period.value} committee={committee.slug} page={page + 1}"
    return await _reply(inv, entries, actions, page, size, total, next_page)


async def _near(inv: Invocation, near: str, page: int) -> Reply:
    postal_code, departement = parse_area(near)
    size = inv.settings.limits.page_size
    now = inv.now()
    area = postal_code or departement
    total = await inv.repos.actions.count_upcoming_near(departement=departement, now=now)
    actions = await inv.repos.actions.upcoming_near(
        postal_code=postal_code, departement=departement, now=now, limit=size,
        offset=(page - 1) * size,
    )
    if not actions:
        _no_such_page(page, total)
        return Reply(_("No coming action near {area}. committee list near={area} shows the"
                       " committees there.").format(area=area), private=True)
    committees: dict[int, Committee] = {}
    for action in actions:
        if action.committee_id not in committees:
            found = await inv.repos.committees.get(action.committee_id)
            assert found is not None
            committees[action.committee_id] = found
    counts = await inv.repos.rsvps.counts_many([action.id for action in actions])
    entries: list[Renderable] = [
        _range(_("Coming actions near {name} ({first}–{last} of {total}):"), name=area,
               page=page, size=size, shown=len(actions), total=total)
    ]
    entries.extend(_line(action, committees[action.committee_id], counts[action.id],
                         with_committee=True) for action in actions)
    next_page = f"action list near={area} page={page + 1}"
    return await _reply(inv, entries, actions, page, size, total, next_page)


def _no_such_page(page: int, total: int) -> None:
    if page > 1 and total:
        raise UserError(_("There is no page {page}.").format(page=page))


def _range(title: Text, *, name: str, page: int, size: int, shown: int,
           total: int) -> Renderable:
    first = (page - 1) * size + 1
    return title.format(name=name, first=Number(first), last=Number(first + shown - 1),
                        total=Number(total))


def _line(action: Action, committee: Committee, counts: Counts, *,
          with_committee: bool) -> Renderable:
    when = Span(action.starts_at, action.ends_at, committee.timezone)
    kind = kind_label(action.kind)
    if action.status is ActionStatus.CANCELLED:
        return _("• {id} · {kind}: {title} — {when} · cancelled").format(
            id=str(action.id), kind=kind, title=action.title, when=when)
    if with_committee:
        return _("• {id} · {kind}: {title} — {when} · {committee} ({place}) · {counts}").format(
            id=str(action.id), kind=kind, title=action.title, when=when,
            committee=committee.name, place=committee.place, counts=counts_line(action, counts))
    return _("• {id} · {kind}: {title} — {when} · {counts}").format(
        id=str(action.id), kind=kind, title=action.title, when=when,
        counts=counts_line(action, counts))


async def _reply(inv: Invocation, entries: list[Renderable], actions: list[Action], page: int,
                 size: int, total: int, next_page: str) -> Reply:
    buttons = await _rsvp_buttons(inv, actions)
    pages = (total + size - 1) // size
    if page < pages:
        entries.append(_("Page {page} of {pages}.").format(page=page, pages=pages))
        buttons.append(Button(_("Next page"), next_page, ButtonStyle.PRIMARY))
    return Reply(join(entries), buttons=tuple(buttons), private=True)


async def _rsvp_buttons(inv: Invocation, actions: list[Action]) -> list[Button]:
    """"Going" for the first few the reader can still join and has not already."""
    now = inv.now()
    buttons: list[Button] = []
    for action in actions:
        if len(buttons) >= RSVP_BUTTONS:
            break
        if action.status is not ActionStatus.SCHEDULED or action.ends_at <= now:
            continue
        own = await inv.repos.rsvps.get(action.id, inv.actor.id)
        if own is not None and own.answer in (Answer.GOING, Answer.WAITLIST):
            continue
        title = action.title if len(action.title) <= BUTTON_TITLE else (
            action.title[: BUTTON_TITLE - 1] + "…")
        buttons.append(Button(_("Going: {title}").format(title=title),
                              f"action rsvp {action.id} going", ButtonStyle.SUCCESS))
    return buttons
