"""What the material commands share: who may see a material, its tags, its committee."""

from __future__ import annotations

from commands.committees.naming import fold
from commands.errors import UserError
from commands.i18n import Number, Text, _
from commands.invocation import Invocation
from commands.lookup import find_committee
from storage.committees import Committee
from storage.materials import Material

TITLE_MAX = 120
TAGS_MAX = 10
TAG_MAX_LENGTH = 30


def tag_of(word: str) -> str:
    """One tag as stored: 'Porte-à-porte' -> 'porte-a-porte', '#Tract' -> 'tract'."""
    return "-".join(fold(word).split())


def clean_tags(raw: str | None) -> tuple[str, ...]:
    """Up to ten tags, separated by spaces or commas, lowercase and without accents."""
    if not raw:
        return ()
    tags: list[str] = []
    for word in raw.replace(",", " ").split():
        tag = tag_of(word)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise UserError(_("At most {count} tags, separated by spaces.").format(
            count=Number(TAGS_MAX)))
    for tag in tags:
        if len(tag) > TAG_MAX_LENGTH:
            raise UserError(_("A tag is at most {limit} characters: “{tag}” is too long.").format(
                limit=Number(TAG_MAX_LENGTH), tag=tag[:40]))
    return tuple(tags)


def search_key(title: str, tags: tuple[str, ...]) -> str:
    return " ".join((fold(title), *(fold(tag) for tag in tags)))


def label(material: Material) -> Text:
    """How messages name a material: material 7 “Tract du marché”."""
    return _("material {id} “{title}”").format(id=str(material.id), title=material.title)


async def member_of(inv: Invocation, committee_id: int) -> bool:
    return await inv.repos.memberships.get(committee_id, inv.actor.id) is not None


async def may_see(inv: Invocation, material: Material) -> bool:
    """National ones, and a committee's own for its members; staff see everything kept.

    A removed material is gone for everyone; a hidden one waits for staff, who may look.
    """
    if material.removed:
        return False
    if inv.is_staff:
        return True
    if material.hidden:
        return False
    return material.committee_id is None or await member_of(inv, material.committee_id)


async def named_committee(inv: Invocation, slug: str | None) -> Committee | None:
    """The committee named with committee=, or the one whose space this is, or None."""
    if slug is None or not slug.strip():
        return inv.place_committee
    return await find_committee(inv.repos, slug)
