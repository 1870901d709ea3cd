"""Files people send with a command, and keeping one in the blob store.

A platform downloads what was attached (commands never fetch a URL) and hands it over as
`Incoming` values in `Request.attachments`; a handler finds them in `inv.attachments`.
What a platform says about a file (name, type) is only a hint: the blob store reads the
bytes to know what the file is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from commands.convert import has_hidden_characters
from commands.errors import UserError
from commands.i18n import Number, RenderContext, Text, _
from commands.services import Services
from storage.blobs import FILE_TYPES, MB, Blob, BlobRefused, Refusal

FILENAME_MAX = 100


@dataclass(frozen=True)
class Incoming:
    """A file someone attached, as their platform delivered it."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:  # never dump a file's bytes into a log line
        return (f"Incoming(filename={self.filename!r}, content_type={self.content_type!r},"
                f" size={len(self.data)})")


@dataclass(frozen=True)
class Size:
    """A file size the reader's way: "1.5 MB", "1,5 Mo"."""

    size: int

    def render(self, ctx: RenderContext) -> str:
        if self.size >= MB:
            return _("{size} MB").format(size=Number(round(self.size / MB, 1))).render(ctx)
        return _("{size} KB").format(size=Number(max(1, round(self.size / 1024)))).render(ctx)


def type_labels(content_types: Collection[str]) -> str:
    """"PDF, PNG, DOCX": what a person may send, in the words they know."""
    return ", ".join(FILE_TYPES[name].label for name in FILE_TYPES if name in content_types)


async def keep_file(
    services: Services,
    incoming: Incoming,
    *,
    now: datetime,
    max_size: int,
    allowed_types: Collection[str],
) -> tuple[Blob, str]:
    """Check an attached file, keep it once on disk and in `blobs`; its row and a safe name.

    Refusals (no store configured, empty, too large, a type not accepted) are `UserError`s.
    """
    if services.blobs is None:
        raise UserError(_("This bot keeps no files here; share a link with url= instead."))
    try:
        stored = await services.blobs.put(incoming.data, max_size=max_size,
                                          allowed_types=allowed_types)
    except BlobRefused as refused:
        raise UserError(_refusal(refused, allowed_types)) from None
    blob = await services.repos.blobs.record(stored, now)
    return blob, safe_filename(incoming.filename, stored.content_type)


def _refusal(refused: BlobRefused, allowed_types: Collection[str]) -> Text:
    if refused.reason is Refusal.EMPTY:
        return _("The attached file is empty.")
    if refused.reason is Refusal.TOO_LARGE:
        return _("The file is too large ({size}): at most {limit}.").format(
            size=Size(refused.size), limit=Size(refused.max_size))
    return _("This kind of file is not accepted here. Accepted: {kinds}.").format(
        kinds=type_labels(allowed_types))


def safe_filename(filename: str, content_type: str) -> str:
    """The sender's file name, cleaned, with the extension of what the file really is.

    "../../tract marché.exe" holding a PDF becomes "tract marché.pdf": a name never
    makes a reader's computer open a file as something else.
    """
    base = PurePosixPath(filename.replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base.lstrip(".")
    stem = "".join(
        char for char in unicodedata.normalize("NFC", stem)
        if unicodedata.category(char)[0] != "C" and char not in '<>:"/\\|?*'
    )
    stem = " ".join(stem.split()).strip(" .")
    if not stem or has_hidden_characters(stem):
        stem = "file"
    extension = FILE_TYPES[content_type].extension
    return stem[: FILENAME_MAX - len(extension)] + extension
