"""Finding a committee from what someone typed: its id, with or without a leading #."""

from __future__ import annotations

from commands.errors import UserError
from commands.i18n import _
from storage.committees import Committee
from storage.repositories import Repositories


async def find_committee(repos: Repositories, text: str) -> Committee:
    slug = text.strip().lstrip("#").lower()
    committee = await repos.committees.by_slug(slug)
    if committee is None:
        raise UserError(
            _("There is no committee with the id “{slug}”. committee list shows them.").format(
                slug=slug[:60]
            )
        )
    return committee
