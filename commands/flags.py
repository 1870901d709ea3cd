"""`flag`: anyone reports a committee, an action or a material; staff review after the fact.

    flag lyon-croix-rousse fake committee        a committee, by its id
    flag action:42 not a real event              an action, by its number
    flag material:7 insulting leaflet            a material, by its number

(`committee:<id>`, `comité:`, `matériel:` and `#42` after the colon are read too.) Once
`limits.flags_to_hide` different people have an open flag on an item, staff are told once,
with buttons, and:

- a committee is hidden from `committee list` (it keeps working for its members);
- a material is hidden from `material list` and `material get` (staff still see it);
- an action stays as it is. Hiding it would strand the people going to it while its
  reminders still went out; staff decide instead: cancel it, or suspend the committee.

A review (keep or remove) closes the round of flags; later flags start a new round.

For `staff flags`, this module is the registry of what can be flagged:

    waiting, total = await open_flags(services, limit=10, offset=0)   # list[OpenItem]
    item = await find(inv, "material:7")      # what a person typed, checked like `flag` does
    item = await KINDS["material"].get(services, 7)                  # or by kind and id
    await keep(inv, item)                     # unhide; flags closed as kept; audited
    await remove(inv, item, reason)           # suspend / cancel / remove; closed as removed
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from commands.committees.moderation import (
    REASON,
    clean_reason,
    restore_committee,
    suspend_committee,
)
from commands.committees.naming import fold
from commands.errors import UserError
from commands.i18n import Number, Renderable, _
from commands.invocation import Invocation
from commands.materials.common import label as material_label
from commands.materials.common import may_see
from commands.notify import post_staff, post_to_committee, send_direct
from commands.permissions import ANYONE, STAFF
from commands.reply import Button, ButtonStyle, Reply
from commands.services import Services
from commands.spec import Param, command
from commands.status import check_live
from storage.actions import Action, ActionStatus
from storage.committees import Committee, CommitteeStatus
from storage.flags import Flag, FlagStatus
from storage.materials import Material

log = logging.getLogger(__name__)

REVIEW = "staff flags"

# Named `committee` because a committee is what people report most; it takes the others too.
TARGET = Param(_("what to report: a committee's id, action:<number> or material:<number>"),
               autocomplete="committee")


@dataclass(frozen=True)
class Flagged:
    """One item that can be flagged, whatever its kind."""

    kind: FlagKind
    id: int
    # What to type to name it again: lyon-croix-rousse, action:42, material:7.
    ref: str
    label: Renderable
    # The committee it is about or belongs to; None for a national material.
    committee: Committee | None
    hidden: bool

    @property
    def committee_id(self) -> int | None:
        return None if self.committee is None else self.committee.id


@dataclass(frozen=True)
class OpenItem:
    """An item awaiting review: how many people flagged it, and their open flags."""

    item: Flagged
    people: int
    flags: tuple[Flag, ...]


class FlagKind(Protocol):
    name: str
    # Whether enough flags hide the item until staff review it.
    hides: bool

    async def find(self, inv: Invocation, key: str) -> Flagged:
        """The item `key` names (the part after `kind:`), if this person may flag it."""
        ...

    async def get(self, services: Services, item_id: int) -> Flagged | None: ...

    async def hide(self, services: Services, item: Flagged) -> None: ...

    async def keep(self, inv: Invocation, item: Flagged) -> int:
        """Staff keep it: shown again, open flags closed as kept; returns how many."""
        ...

    async def remove(self, inv: Invocation, item: Flagged, reason: str) -> int:
        """Staff remove it; open flags closed as removed; returns how many."""
        ...

    def notice(self, item: Flagged, count: int, reason: str) -> Reply:
        """What staff are told once enough people flagged it."""
        ...


@command("flag", rule=ANYONE)
async def flag(
    inv: Invocation,
    target: Annotated[str, TARGET],
    reason: Annotated[str, REASON],
) -> Reply:
    """Report a committee, an action or a material to national staff."""
    item = await find(inv, target)
    reason = clean_reason(inv, reason)
    kind = item.kind.name
    if await inv.repos.flags.has_open(kind, item.id, inv.actor.id):
        raise UserError(_("You have already reported {name}; staff will review it.").format(
            name=item.label))
    flag_id = await inv.repos.flags.add(kind, item.id, inv.actor.id, reason, inv.now())
    await inv.audit("flag.add", target_kind=kind, target_id=item.id,
                    committee_id=item.committee_id, after={"flag": flag_id, "reason": reason})
    count = await inv.repos.flags.open_count(kind, item.id)
    threshold = inv.settings.limits.flags_to_hide
    if item.kind.hides and count >= threshold and not item.hidden:
        await item.kind.hide(inv.services, item)
        await inv.audit(f"{kind}.hide", target_kind=kind, target_id=item.id,
                        committee_id=item.committee_id, before={"hidden": False},
                        after={"hidden": True, "flags": count})
        await post_staff(inv.services, item.kind.notice(item, count, reason))
    elif not item.kind.hides and count == threshold:
        # Told once a round: the round's flags are all open until a review closes them.
        await post_staff(inv.services, item.kind.notice(item, count, reason))
    return Reply(_("Thank you: staff will review your report about {name}.").format(
        name=item.label), private=True)


# --- The registry: what `staff flags` calls ---------------------------------------------

_KIND_WORDS = {"committee": "committee", "comite": "committee", "action": "action",
               "material": "material", "materiel": "material"}


async def find(inv: Invocation, text: str) -> Flagged:
    """The item a person names: a committee id, or `kind:number`."""
    head, colon, rest = text.strip().partition(":")
    if not colon:
        return await KINDS["committee"].find(inv, text)
    name = _KIND_WORDS.get(fold(head))
    if name is None:
        raise UserError(_("Say what to report: a committee's id, action:<number> or"
                          " material:<number>."), usage=True)
    return await KINDS[name].find(inv, rest)


async def open_flags(services: Services, *, limit: int, offset: int,
                     ) -> tuple[list[OpenItem], int]:
    """Items awaiting review, most reported first; and how many items await in all."""
    total = await services.repos.flags.count_open_targets()
    waiting: list[OpenItem] = []
    for target in await services.repos.flags.open_targets(limit=limit, offset=offset):
        kind = KINDS.get(target.target_kind)
        item = None if kind is None else await kind.get(services, target.target_id)
        if item is None:
            log.warning("open flags on a %s %s that no longer exists",
                        target.target_kind, target.target_id)
            continue
        flags = await services.repos.flags.open_for(target.target_kind, target.target_id)
        waiting.append(OpenItem(item, target.people, tuple(flags)))
    return waiting, total


async def keep(inv: Invocation, item: Flagged) -> int:
    """Staff looked and keep it: shown again; returns how many flags were closed."""
    _staff_only(inv)
    return await item.kind.keep(inv, item)


async def remove(inv: Invocation, item: Flagged, reason: str) -> int:
    """Staff looked and remove it; returns how many flags were closed."""
    _staff_only(inv)
    return await item.kind.remove(inv, item, clean_reason(inv, reason))


def _staff_only(inv: Invocation) -> None:
    if not inv.is_staff:
        raise UserError(_("Only {who} can do that.").format(who=STAFF.description))


async def _close(inv: Invocation, item: Flagged, status: FlagStatus, action: str,
                 before: dict[str, Any] | None, after: dict[str, Any]) -> int:
    closed = await inv.repos.flags.close_all(item.kind.name, item.id, status, inv.actor.id,
                                             inv.now())
    await inv.audit(action, target_kind=item.kind.name, target_id=item.id,
                    committee_id=item.committee_id, before=before,
                    after={**after, "flags_closed": closed})
    return closed


def _number(text: str) -> int | None:
    digits = text.strip().lstrip("#")
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 12 else None


def _review_buttons(see: Button) -> tuple[Button, ...]:
    return (see, Button(_("Review reports"), REVIEW, ButtonStyle.PRIMARY))


# --- Committees --------------------------------------------------------------------------


class CommitteeFlags:
    name = "committee"
    hides = True

    async def find(self, inv: Invocation, key: str) -> Flagged:
        slug = key.strip().lstrip("#").lower()
        committee = await inv.repos.committees.by_slug(slug)
        if committee is None:
            raise UserError(
                _("There is no committee with the id “{slug}”. committee list shows them.").format(
                    slug=slug[:60]))
        check_live(committee)
        return self._item(committee)

    async def get(self, services: Services, item_id: int) -> Flagged | None:
        committee = await services.repos.committees.get(item_id)
        return None if committee is None else self._item(committee)

    def _item(self, committee: Committee) -> Flagged:
        return Flagged(self, committee.id, committee.slug, committee.name, committee,
                       committee.hidden)

    async def hide(self, services: Services, item: Flagged) -> None:
        await services.repos.committees.set_hidden(item.id, True)

    async def keep(self, inv: Invocation, item: Flagged) -> int:
        assert item.committee is not None
        if item.committee.status is CommitteeStatus.ARCHIVED:
            return await _close(inv, item, FlagStatus.KEPT, "committee.keep", None, {})
        return await restore_committee(inv, item.committee)

    async def remove(self, inv: Invocation, item: Flagged, reason: str) -> int:
        assert item.committee is not None
        if item.committee.status is not CommitteeStatus.ACTIVE:
            return await _close(inv, item, FlagStatus.REMOVED, "committee.remove", None,
                                {"reason": reason})
        return await suspend_committee(inv, item.committee, reason)

    def notice(self, item: Flagged, count: int, reason: str) -> Reply:
        return Reply(
            _("{name} ({slug}) was reported {count} times and is hidden from the list until"
              " you review it. Last reason: {reason}").format(
                name=item.label, slug=item.ref, count=Number(count), reason=reason),
            buttons=(
                Button(_("Restore"), f"staff restore {item.ref}", ButtonStyle.SUCCESS),
                Button(_("Committee info"), f"committee info {item.ref}"),
            ),
        )


# --- Materials ---------------------------------------------------------------------------


class MaterialFlags:
    name = "material"
    hides = True

    async def find(self, inv: Invocation, key: str) -> Flagged:
        number = _number(key)
        material = None if number is None else await inv.repos.materials.get(number)
        if material is None or not await may_see(inv, material):
            raise UserError(_("There is no material {id}. material list shows them.").format(
                id=key.strip()[:20]))
        item = await self._item(inv.services, material)
        if item.committee is not None:
            check_live(item.committee)
        return item

    async def get(self, services: Services, item_id: int) -> Flagged | None:
        material = await services.repos.materials.get(item_id)
        return None if material is None else await self._item(services, material)

    async def _item(self, services: Services, material: Material) -> Flagged:
        committee = None
        if material.committee_id is not None:
            committee = await services.repos.committees.get(material.committee_id)
        return Flagged(self, material.id, f"material:{material.id}", material_label(material),
                       committee, material.hidden)

    async def hide(self, services: Services, item: Flagged) -> None:
        await services.repos.materials.set_hidden(item.id, True)

    async def keep(self, inv: Invocation, item: Flagged) -> int:
        await inv.repos.materials.set_hidden(item.id, False)
        return await _close(inv, item, FlagStatus.KEPT, "material.keep",
                            {"hidden": item.hidden}, {"hidden": False})

    async def remove(self, inv: Invocation, item: Flagged, reason: str) -> int:
        # The file stays on disk: the same bytes may be another material or a report's.
        await inv.repos.materials.set_removed(item.id, True)
        return await _close(inv, item, FlagStatus.REMOVED, "material.remove",
                            {"removed": False}, {"removed": True, "reason": reason})

    def notice(self, item: Flagged, count: int, reason: str) -> Reply:
        where = _("national") if item.committee is None else item.committee.name
        return Reply(
            _("{item} ({where}) was reported {count} times and is hidden until you review"
              " it. Last reason: {reason}").format(
                item=item.label, where=where, count=Number(count), reason=reason),
            buttons=_review_buttons(Button(_("See it"), f"material get {item.id}")),
        )


# --- Actions -----------------------------------------------------------------------------


class ActionFlags:
    name = "action"
    hides = False

    async def find(self, inv: Invocation, key: str) -> Flagged:
        number = _number(key)
        action = None if number is None else await inv.repos.actions.get(number)
        if action is None:
            raise UserError(
                _("There is no action “{id}”. action list shows the coming ones.").format(
                    id=key.strip()[:20]))
        item = await self._item(inv.services, action)
        assert item.committee is not None
        check_live(item.committee)
        return item

    async def get(self, services: Services, item_id: int) -> Flagged | None:
        action = await services.repos.actions.get(item_id)
        return None if action is None else await self._item(services, action)

    async def _item(self, services: Services, action: Action) -> Flagged:
        committee = await services.repos.committees.get(action.committee_id)
        return Flagged(self, action.id, f"action:{action.id}",
                       _("action {id} “{title}”").format(id=str(action.id), title=action.title),
                       committee, False)

    async def hide(self, services: Services, item: Flagged) -> None:
        raise NotImplementedError("actions stay visible; staff are told instead")

    async def keep(self, inv: Invocation, item: Flagged) -> int:
        return await _close(inv, item, FlagStatus.KEPT, "action.keep", None, {})

    async def remove(self, inv: Invocation, item: Flagged, reason: str) -> int:
        """Cancel it (if still to come), telling its space and whoever answered."""
        action = await inv.repos.actions.get(item.id)
        assert action is not None
        assert item.committee is not None
        before = {"status": action.status.value}
        if action.status is ActionStatus.SCHEDULED and action.ends_at > inv.now():
            await inv.repos.actions.cancel(action.id, reason)
            await inv.repos.reminders.cancel_for(action.id)
            notice = Reply(_("National staff cancelled {title}: {reason}").format(
                title=action.title, reason=reason))
            await post_to_committee(inv.services, item.committee, notice)
            for answer in await inv.repos.rsvps.of_action(action.id):
                user = await inv.repos.users.get(answer.user_id)
                if user is not None:
                    await send_direct(inv.services, user, notice, item.committee)
        after = await inv.repos.actions.get(item.id)
        assert after is not None
        return await _close(inv, item, FlagStatus.REMOVED, "action.remove", before,
                            {"status": after.status.value, "reason": reason})

    def notice(self, item: Flagged, count: int, reason: str) -> Reply:
        assert item.committee is not None
        return Reply(
            _("{item} ({where}) was reported {count} times. Actions stay visible: review it,"
              " then keep it or cancel it. Last reason: {reason}").format(
                item=item.label, where=item.committee.name, count=Number(count),
                reason=reason),
            buttons=_review_buttons(Button(_("Action info"), f"action info {item.id}")),
        )


KINDS: dict[str, FlagKind] = {
    kind.name: kind for kind in (CommitteeFlags(), ActionFlags(), MaterialFlags())
}
