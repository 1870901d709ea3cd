"""`committee create`: anyone may start a committee, with friction instead of approval."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from commands.committees.common import snapshot
from commands.committees.naming import clean_label, fold, search_key, slugify
from commands.errors import UserError
from commands.i18n import Number, _, lines
from commands.invocation import Invocation
from commands.permissions import ANYONE
from commands.places import parse_postal_code
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import Param, command
from storage.committees import Committee, NewCommittee
from storage.memberships import MemberRole


@command("committee", "create", rule=ANYONE)
async def create(
    inv: Invocation,
    name: Annotated[str, Param(_("the committee's name, e.g. \"Lyon Croix-Rousse\""))],
    place: Annotated[str, Param(_("the town or neighbourhood"))],
    postal_code: Annotated[str, Param(_("its postal code, e.g. 69004"))],
    description: Annotated[str, Param(_("a sentence or two on what the committee does"))] = "",
) -> list[Reply]:
    """Start a local committee: no approval needed, you become its lead."""
    limits = inv.settings.limits
    name = clean_label(name, what=_("The name"), minimum=3, maximum=limits.name_max_length)
    place = clean_label(place, what=_("The place"), minimum=2, maximum=60)
    postal_code, departement = parse_postal_code(postal_code)
    description = _clean_description(description, limits.description_max_length)

    led = await inv.repos.memberships.led_by(inv.actor.id)
    if led >= limits.committees_led_per_person:
        raise UserError(
            _("You already lead {count} committees, the most one person can lead. Hand one over"
              " (committee handover) before starting another.").format(count=Number(led))
        )
    since = inv.now() - timedelta(days=1)
    created = await inv.repos.committees.created_since(inv.actor.id, since)
    if created >= limits.committee_creations_per_day:
        raise UserError(
            _("You have started {count} committees in the last 24 hours; try again tomorrow."
              ).format(count=Number(created))
        )
    name_key = fold(name)
    existing = await inv.repos.committees.live_with_name(postal_code, name_key)
    if existing is not None:
        raise UserError(
            _("A committee called {name} already exists in {postal_code}: join it with"
              " committee join {slug}").format(
                name=existing.name, postal_code=postal_code, slug=existing.slug
            )
        )

    committee = await inv.repos.committees.create(
        NewCommittee(
            slug=await _free_slug(inv, name, postal_code),
            name=name,
            name_key=name_key,
            place=place,
            postal_code=postal_code,
            departement=departement,
            description=description,
            search_key=search_key(name, place, postal_code),
            timezone=inv.settings.organisation.timezone,
            locale=inv.actor.locale or inv.locale,
            created_by=inv.actor.id,
            created_at=inv.now(),
        )
    )
    await inv.repos.memberships.add(committee.id, inv.actor.id, MemberRole.LEAD, inv.now())
    charter_hash = inv.settings.organisation.charter_hash
    await inv.repos.charter.record(inv.actor.id, committee.id, charter_hash, inv.now())
    await inv.audit(
        "committee.create",
        target_kind="committee",
        target_id=committee.id,
        committee_id=committee.id,
        after={**snapshot(committee), "charter": charter_hash},
    )
    # The space is opened last, once everything else is written: if recording it fails, the
    # unit of work rolls back and the space is archived rather than left behind.
    space_id = await inv.platform.create_space(committee, inv.actor)
    try:
        await inv.repos.committees.add_space(committee.id, inv.platform.name, space_id)
        await inv.platform.set_lead(space_id, inv.actor, True)
    except BaseException:
        await inv.platform.archive_space(space_id)
        raise
    return [_welcome(inv, committee)]


def _clean_description(description: str, maximum: int) -> str:
    description = description.strip()
    if len(description) > maximum:
        raise UserError(
            _("The description is too long: at most {limit} characters.").format(
                limit=Number(maximum)
            )
        )
    return description


async def _free_slug(inv: Invocation, name: str, postal_code: str) -> str:
    base = slugify(name)
    candidates = [base, f"{base}-{postal_code}"]
    candidates += [f"{base}-{postal_code}-{n}" for n in range(2, 100)]
    for candidate in candidates:
        if not await inv.repos.committees.slug_taken(candidate):
            return candidate
    raise UserError(_("Too many committees share that name; choose another one."))


def _welcome(inv: Invocation, committee: Committee) -> Reply:
    organisation = inv.settings.organisation
    text = lines(
        _("Committee {name} is created, id {slug}. You are its lead.").format(
            name=committee.name, slug=committee.slug
        ),
        _("By creating it you accept the charter of {organisation}:").format(
            organisation=organisation.name
        ),
        f"> {organisation.charter}",
        _("Next steps: invite people with committee join {slug}, then schedule a first"
          " action.").format(slug=committee.slug),
    )
    return Reply(
        text,
        buttons=(
            Button(_("Committee info"), f"committee info {committee.slug}", ButtonStyle.PRIMARY),
        ),
    )
