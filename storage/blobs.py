"""Files the bot keeps itself, named by their SHA-256: never only a platform's expiring link.

    store = BlobStore(Path("data/blobs"))
    stored = await store.put(data)                 # checked, written once, atomically
    blob = await repos.blobs.record(stored, now)   # its row in `blobs`
    data = await store.read(blob.sha256)

A file lives at `root/ab/cdef…` (the first two hex digits as a directory). The same bytes
shared twice are one file and one row. What a file *is* comes from its first bytes, never
from the name or type a platform reports: only the types in `FILE_TYPES` are kept, and a
zip is an office document only when its own manifest says so (and it carries no macros).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict

from storage.db import Database, as_dict, to_db_time


@dataclass(frozen=True)
class FileType:
    label: str
    extension: str


PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Every type the store can recognise; a deployment may accept fewer (`allowed_types`).
FILE_TYPES: dict[str, FileType] = {
    PDF: FileType("PDF", ".pdf"),
    PNG: FileType("PNG", ".png"),
    JPEG: FileType("JPEG", ".jpg"),
    ODT: FileType("ODT", ".odt"),
    ODS: FileType("ODS", ".ods"),
    ODP: FileType("ODP", ".odp"),
    DOCX: FileType("DOCX", ".docx"),
    XLSX: FileType("XLSX", ".xlsx"),
    PPTX: FileType("PPTX", ".pptx"),
}

MB = 1024 * 1024
DEFAULT_MAX_SIZE = 25 * MB

_SHA256 = re.compile(r"[0-9a-f]{64}")
_ODF = (ODT, ODS, ODP)
# The main part an OOXML package declares in [Content_Types].xml. A macro-enabled document
# (docm, xlsm, pptm) declares another type, so it is not recognised.
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_CONTENT_TYPE_ATTRIBUTE = re.compile(rb"""ContentType\s*=\s*["']([^"']{1,200})["']""")
# Bounds on what is read inside a zip, so a crafted archive cannot make us inflate gigabytes.
_MAX_ZIP_ENTRIES = 10_000
_MAX_MANIFEST = 1 * MB


def sniff(data: bytes) -> str | None:
    """The content type of `data` when it is one of `FILE_TYPES`, from its bytes alone."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_document(data)
    return None


def _office_document(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            if any(_is_macro(name) for name in names):
                return None
            if "mimetype" in names:
                declared = _read_bounded(archive, "mimetype", 200).strip().decode("ascii")
                return declared if declared in _ODF else None
            if "[Content_Types].xml" in names:
                manifest = _read_bounded(archive, "[Content_Types].xml", _MAX_MANIFEST)
                for found in _CONTENT_TYPE_ATTRIBUTE.finditer(manifest):
                    main = _OOXML_MAIN.get(found.group(1).decode("ascii", "replace").lower())
                    if main is not None:
                        return main
    # A broken, encrypted or otherwise odd archive is simply not an accepted document.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, UnicodeDecodeError,
            NotImplementedError, RuntimeError, OSError, EOFError):
        return None
    return None


def _is_macro(name: str) -> bool:
    lowered = name.lower()
    # vbaProject.bin: Office macros; Basic/ and Scripts/: OpenDocument macros.
    return lowered.endswith("vbaproject.bin") or lowered.startswith(("basic/", "scripts/"))


def _read_bounded(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as member:
        content = member.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"{name} is larger than {limit} bytes")
    return content


class Refusal(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE = "type"


class BlobRefused(ValueError):
    """The file is not kept: empty, too large, or not an accepted type."""

    def __init__(self, reason: Refusal, *, size: int, max_size: int,
                 content_type: str | None = None) -> None:
        super().__init__(f"{reason.value} ({size} bytes, type {content_type or 'unknown'})")
        self.reason = reason
        self.size = size
        self.max_size = max_size
        # What the bytes turned out to be, when recognised but not allowed here.
        self.content_type = content_type


class BlobCorrupted(OSError):
    """A stored file no longer matches its hash (edited or damaged on disk)."""


@dataclass(frozen=True)
class Stored:
    """A file now on disk."""

    sha256: str
    size: int
    content_type: str
    # False when the same bytes were already there.
    written: bool


class BlobStore:
    """Files on disk under `root`, one per distinct content.

    `max_size` and `allowed_types` are the store's defaults; `check` and `put` take others
    for one call (a report photo accepts only images, say).
    """

    def __init__(
        self,
        root: Path,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        allowed_types: Collection[str] = tuple(FILE_TYPES),
    ) -> None:
        unknown = set(allowed_types) - set(FILE_TYPES)
        if unknown:
            raise ValueError(f"cannot recognise these types: {sorted(unknown)}")
        self.root = root
        self.max_size = max_size
        self.allowed_types = frozenset(allowed_types)

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a SHA-256 in lowercase hex")
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def check(
        self,
        data: bytes,
        *,
        max_size: int | None = None,
        allowed_types: Collection[str] | None = None,
    ) -> str:
        """The content type `data` would be kept as; raises `BlobRefused` otherwise."""
        limit = self.max_size if max_size is None else max_size
        allowed = self.allowed_types if allowed_types is None else allowed_types
        if not data:
            raise BlobRefused(Refusal.EMPTY, size=0, max_size=limit)
        if len(data) > limit:
            raise BlobRefused(Refusal.TOO_LARGE, size=len(data), max_size=limit)
        content_type = sniff(data)
        if content_type is None or content_type not in allowed:
            raise BlobRefused(Refusal.TYPE, size=len(data), max_size=limit,
                              content_type=content_type)
        return content_type

    async def put(
        self,
        data: bytes,
        *,
        max_size: int | None = None,
        allowed_types: Collection[str] | None = None,
    ) -> Stored:
        """Check `data` and keep it, once: the same bytes again write nothing."""
        content_type = self.check(data, max_size=max_size, allowed_types=allowed_types)
        sha256 = hashlib.sha256(data).hexdigest()
        written = await asyncio.to_thread(self._write, sha256, data)
        return Stored(sha256=sha256, size=len(data), content_type=content_type, written=written)

    def _write(self, sha256: str, data: bytes) -> bool:
        final = self.path(sha256)
        if final.is_file() and final.stat().st_size == len(data):
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its final name, then renamed: a reader never sees half a file, and
        # a crash leaves at worst a temporary file, never a wrong one under a hash.
        handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return True

    def open(self, sha256: str) -> BinaryIO:
        """The file, for streaming it somewhere; raises FileNotFoundError when it is gone."""
        return self.path(sha256).open("rb")

    async def read(self, sha256: str) -> bytes:
        """The whole file, checked against its hash."""
        return await asyncio.to_thread(self._read, sha256)

    def _read(self, sha256: str) -> bytes:
        data = self.path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(f"{sha256} does not match its content")
        return data


class Blob(BaseModel):
    model_config = ConfigDict(frozen=True)

    sha256: str
    size: int
    content_type: str
    created_at: datetime


_COLUMNS = "sha256, size, content_type, created_at"


def _from_row(row: sqlite3.Row) -> Blob:
    return Blob.model_validate(as_dict(row))


class BlobRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, stored: Stored, now: datetime) -> Blob:
        """The file's row, added the first time these bytes are kept."""
        await self.db.execute(
            "INSERT INTO blobs (sha256, size, content_type, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (stored.sha256, stored.size, stored.content_type, to_db_time(now)),
        )
        blob = await self.get(stored.sha256)
        assert blob is not None
        return blob

    async def get(self, sha256: str) -> Blob | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM blobs WHERE sha256 = ?", (sha256,))
        return None if row is None else _from_row(row)
