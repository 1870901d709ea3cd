"""`material list` and `material get`: a committee's library plus the national one.

    material list                     in a committee's space: its materials and national ones
    material list tract               those tagged "tract"
    material list tract marché        tagged "tract", with "marché" in the title or tags
    material list query=affiche       any tag, "affiche" in the title or tags
    material get 12                   the file again (or the link)

Outside any committee's space, and without committee=, the list shows the national
materials and those of every committee the reader belongs to.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlsplit

from commands.committees.naming import fold
from commands.errors import UserError
from commands.files import Size
from commands.i18n import Day, Number, Renderable, Text, _, join, lines
from commands.invocation import Invocation
from commands.materials.common import label, may_see, member_of, named_committee, tag_of
from commands.permissions import ANYONE
from commands.reply import Attachment, Button, ButtonStyle, Reply
from commands.spec import Param, command
from storage.blobs import FILE_TYPES, BlobCorrupted
from storage.committees import Committee
from storage.materials import Material

log = logging.getLogger(__name__)

GET_BUTTONS = 3
BUTTON_TITLE = 40


@command("material", "list", rule=ANYONE, allow_suspended=True)
async def list_materials(
    inv: Invocation,
    tag: Annotated[str | None, Param(_("only materials with this tag"), positional=True)]
    = None,
    query: Annotated[
        str | None, Param(_("words in the title or tags"), positional=True, rest=True)
    ] = None,
    committee: Annotated[
        str | None,
        Param(_("the committee's id, when not typed in its space"), autocomplete="committee"),
    ] = None,
    page: Annotated[int, Param(_("which page of results"), min=1, max=10_000)] = 1,
) -> Reply:
    """List shared materials: your committee's and the national ones, newest first."""
    chosen = await named_committee(inv, committee)
    committee_ids, outside = await _scope(inv, chosen)
    size = inv.settings.limits.page_size
    tag_key = tag_of(tag) if tag else None
    words = fold(query).split() if query else []
    materials, total = await inv.repos.materials.search(
        committee_ids=committee_ids, national=True, tag=tag_key or None, words=words,
        limit=size, offset=(page - 1) * size,
    )
    note = (_("Only members see the materials of {name}; here are the national ones.").format(
        name=chosen.name) if outside and chosen is not None else None)
    if not materials:
        if page > 1 and total:
            raise UserError(_("There is no page {page}.").format(page=page))
        return Reply(lines(note, _("No material found. Share one with material share <title>"
                                   " url=https://… (or attach a file).")), private=True)
    names = await _committee_names(inv, materials)
    entries: list[Renderable] = [_("Materials {first}–{last} of {total}:").format(
        first=Number((page - 1) * size + 1), last=Number((page - 1) * size + len(materials)),
        total=Number(total))]
    entries.extend(_line(material, names, show_committee=chosen is None)
                   for material in materials)
    buttons = [Button(_("Get: {title}").format(title=_short(material.title)),
                      f"material get {material.id}")
               for material in materials[:GET_BUTTONS]]
    pages = (total + size - 1) // size
    if page < pages:
        entries.append(_("Page {page} of {pages}.").format(page=page, pages=pages))
        buttons.append(Button(_("Next page"), _next_page(tag, query, chosen, page + 1),
                              ButtonStyle.PRIMARY))
    return Reply(lines(note, join(entries)), buttons=tuple(buttons), private=True)


async def _scope(inv: Invocation, chosen: Committee | None) -> tuple[list[int], bool]:
    """The committees whose own materials the reader sees here; True when shut out of one."""
    if chosen is None:
        memberships = await inv.repos.memberships.of_user(inv.actor.id)
        return [membership.committee_id for membership in memberships], False
    if inv.is_staff or await member_of(inv, chosen.id):
        return [chosen.id], False
    return [], True


async def _committee_names(inv: Invocation, materials: list[Material]) -> dict[int, str]:
    names: dict[int, str] = {}
    for material in materials:
        if material.committee_id is not None and material.committee_id not in names:
            found = await inv.repos.committees.get(material.committee_id)
            names[material.committee_id] = found.name if found else "?"
    return names


def _line(material: Material, names: dict[int, str], *, show_committee: bool) -> Renderable:
    parts: list[Renderable] = [f"• {material.id} · {material.title}", _source(material)]
    if material.committee_id is None:
        parts.append(_("national"))
    elif show_committee:
        parts.append(names[material.committee_id])
    if material.tags:
        parts.append(" ".join(f"#{tag}" for tag in material.tags))
    return join(parts, separator=" · ")


def _source(material: Material) -> Renderable:
    if material.blob_sha256 is not None and material.content_type is not None:
        return _("{kind} file, {size}").format(
            kind=FILE_TYPES[material.content_type].label, size=Size(material.size or 0))
    return _("link to {host}").format(host=urlsplit(material.url or "").hostname or "?")


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1] + "…"


def _next_page(tag: str | None, query: str | None, chosen: Committee | None, page: int) -> str:
    parts = ["material list"]
    if tag:
        parts.append('"' + tag.replace('"', "") + '"')
    if query:
        parts.append('"' + query.replace('"', "") + '"')
    if chosen is not None:
        parts.append(f"committee={chosen.slug}")
    parts.append(f"page={page}")
    return " ".join(parts)


@command("material", "get", rule=ANYONE, allow_suspended=True)
async def get(
    inv: Invocation,
    id: Annotated[int, Param(_("the material's number"), min=1)],
) -> Reply:
    """Get a shared material again: the file itself, or its link."""
    material = await inv.repos.materials.get(id)
    if material is None or not await may_see(inv, material):
        if material is not None and not material.removed and material.committee_id is not None:
            owner = await inv.repos.committees.get(material.committee_id)
            if owner is not None and not material.hidden:
                raise UserError(_("Only members of {name} can get this material.").format(
                    name=owner.name))
        raise UserError(_("There is no material {id}. material list shows them.").format(
            id=str(id)))
    headline: Text = _("{material}, shared on {date}.").format(
        material=label(material), date=Day(material.created_at, await _zone(inv, material)))
    # Re-posted where everyone may see it: national, or in the material's own space.
    public = material.committee_id is None or (
        inv.place_committee is not None and inv.place_committee.id == material.committee_id)
    if material.blob_sha256 is None:
        return Reply(lines(headline, material.url), private=not public)
    return Reply(headline, file=await _file(inv, material), private=not public)


async def _zone(inv: Invocation, material: Material) -> str:
    if material.committee_id is not None:
        owner = await inv.repos.committees.get(material.committee_id)
        if owner is not None:
            return owner.timezone
    return inv.settings.organisation.timezone


async def _file(inv: Invocation, material: Material) -> Attachment:
    assert material.blob_sha256 is not None
    store = inv.services.blobs
    if store is None:
        raise UserError(_("Files are not available on this bot at the moment."))
    try:
        data = await store.read(material.blob_sha256)
    except (FileNotFoundError, BlobCorrupted):
        log.exception("the file of material %s is missing or damaged", material.id)
        raise UserError(_("The file of this material is missing. Ask whoever shared it to"
                          " share it again.")) from None
    return Attachment(
        filename=material.filename or "file",
        data=data,
        content_type=material.content_type or "application/octet-stream",
    )
