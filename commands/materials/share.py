"""`material share`: a link or a file, for one committee or (staff) for every committee.

    material share Tract du marché url=https://exemple.fr/tract.pdf tags="tract marché"
    material share Affiche A3            (with the file attached)
    material share Kit national url=https://… national=yes           (staff)

A file is kept by the bot (a platform's link to it expires); a link must be http or https.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from commands.actions.text import clean_text
from commands.errors import UserError
from commands.files import Incoming, keep_file
from commands.i18n import Number, _, lines
from commands.invocation import Invocation
from commands.materials.common import (
    TITLE_MAX,
    clean_tags,
    label,
    member_of,
    named_committee,
    search_key,
)
from commands.permissions import Role, Rule
from commands.reply import Button, ButtonStyle, Reply
from commands.spec import Param, command
from commands.status import check_live
from storage.committees import Committee
from storage.materials import NewMaterial

URL_MAX = 2000
SCHEMES = ("http", "https")
DAY = 86_400

# Checked in the handler, where the committee is known (it may be none: national=yes).
SHARERS = Rule(Role.STRANGER, staff=True,
               description=_("members of the committee, or staff (staff alone for national=yes)"))


@command("material", "share", rule=SHARERS, files=1)
async def share(
    inv: Invocation,
    title: Annotated[str, Param(_("the material's title"), rest=True)],
    url: Annotated[str | None, Param(_("a link (http or https), unless a file is attached"))]
    = None,
    tags: Annotated[str | None, Param(_("up to 10 words to find it by"))] = None,
    national: Annotated[bool, Param(_("yes: share with every committee (staff only)"))] = False,
    committee: Annotated[
        str | None,
        Param(_("the committee's id, when not typed in its space"), autocomplete="committee"),
    ] = None,
) -> Reply:
    """Share a link or a file with your committee; staff can share with every committee."""
    title = " ".join(clean_text(title, what=_("The title"), maximum=TITLE_MAX).split())
    owner = await _owner(inv, committee, national)
    link, incoming = _source(inv, url)
    tag_list = clean_tags(tags)
    blob_sha256 = filename = None
    if incoming is not None:
        await _count_file(inv)
        settings = inv.settings.materials
        blob, filename = await keep_file(inv.services, incoming, now=inv.now(),
                                         max_size=settings.max_size,
                                         allowed_types=settings.allowed_types)
        blob_sha256 = blob.sha256
    material = await inv.repos.materials.create(NewMaterial(
        committee_id=owner.id if owner else None,
        title=title,
        url=link,
        blob_sha256=blob_sha256,
        filename=filename,
        tags=tag_list,
        search_key=search_key(title, tag_list),
        shared_by=inv.actor.id,
        created_at=inv.now(),
    ))
    after: dict[str, Any] = {"title": title, "url": link, "blob": blob_sha256,
                             "filename": filename, "tags": list(tag_list),
                             "national": owner is None}
    await inv.audit("material.share", target_kind="material", target_id=material.id,
                    committee_id=owner.id if owner else None, after=after)
    where = (_("Shared with every committee: {material}.") if owner is None
             else _("Shared with {committee}: {material}.")).format(
        material=label(material), committee=owner.name if owner else "")
    in_its_space = owner is None or (inv.place_committee is not None
                                     and inv.place_committee.id == owner.id)
    return Reply(
        lines(where, _("Get it with: material get {id}").format(id=str(material.id))),
        buttons=(Button(_("Get it"), f"material get {material.id}", ButtonStyle.PRIMARY),),
        # Announced where its readers are; typed elsewhere, only the sharer is told.
        private=not in_its_space,
    )


async def _owner(inv: Invocation, slug: str | None, national: bool) -> Committee | None:
    """The committee the material is for; None for a national one."""
    if national:
        if not inv.is_staff:
            raise UserError(_("Only national staff can share with every committee."))
        if slug is not None and slug.strip():
            raise UserError(_("A national material belongs to no committee: leave out"
                              " committee=."), usage=True)
        return None
    committee = await named_committee(inv, slug)
    if committee is None:
        raise UserError(
            _("Say which committee (its id, like lyon-croix-rousse), or type the command"
              " in the committee's space."),
            usage=True,
        )
    check_live(committee)
    if not (inv.is_staff or await member_of(inv, committee.id)):
        raise UserError(_("Only {who} can do that.").format(who=SHARERS.description))
    return committee


def _source(inv: Invocation, url: str | None) -> tuple[str | None, Incoming | None]:
    """Exactly one of: a link, an attached file."""
    if len(inv.attachments) > 1:
        raise UserError(_("Attach one file at a time."))
    incoming = inv.attachments[0] if inv.attachments else None
    if url is not None and incoming is not None:
        raise UserError(_("Share either a link or a file, not both."), usage=True)
    if url is None and incoming is None:
        raise UserError(_("Give a link with url=https://… or attach a file."), usage=True)
    return (None if url is None else clean_url(url)), incoming


def clean_url(raw: str) -> str:
    """An http(s) link that names a host and carries no user name or password."""
    url = raw.strip()
    if len(url) > URL_MAX:
        raise UserError(_("A link is at most {limit} characters.").format(
            limit=Number(URL_MAX)))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        raise UserError(_("That link is not valid.")) from None
    if parts.scheme.lower() not in SCHEMES:
        raise UserError(_("A link must start with http:// or https://."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UserError(_("A link cannot contain a user name or a password."))
    # Browsers read a backslash as a slash: https://good.org\evil.org would lead elsewhere.
    if (not parts.hostname or "\\" in url
            or any(char.isspace() or not char.isprintable() for char in url)):
        raise UserError(_("That link is not valid."))
    return url


async def _count_file(inv: Invocation) -> None:
    limit = inv.settings.materials.files_per_day
    today = datetime.fromtimestamp(inv.now().timestamp() // DAY * DAY, UTC)
    if await inv.repos.materials.files_shared_since(inv.actor.id, today) >= limit:
        raise UserError(_("You have shared {limit} files today: that is the most for a day."
                          " Share a link, or try again tomorrow.").format(limit=Number(limit)))
