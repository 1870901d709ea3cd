"""The blob store: each file once, by hash, written atomically, only the types we accept."""

from __future__ import annotations

import asyncio
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.blobs import (
    DOCX,
    JPEG,
    ODP,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    XLSX,
    BlobCorrupted,
    BlobRefused,
    BlobStore,
    Refusal,
    sniff,
)
from storage.db import Database
from storage.repositories import Repositories
from tests.files import ELF, EXE, HTML, SHELL, SVG, jar, jpeg, odf, ooxml, padded_pdf, pdf, png

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def files_under(root: Path) -> list[Path]:
    """Every file in the store, temporary ones included."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def test_a_file_is_kept_under_its_hash(store: BlobStore) -> None:
    data = pdf()

    stored = await store.put(data)

    digest = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size, stored.content_type) == (digest, len(data), PDF)
    assert files_under(store.root) == [store.root / digest[:2] / digest[2:]]
    assert await store.read(digest) == data
    with store.open(digest) as handle:
        assert handle.read() == data


async def test_the_same_bytes_twice_are_one_file_and_one_row(
    store: BlobStore, db: Database
) -> None:
    repos = Repositories(db)
    data = png()

    first = await store.put(data)
    second = await store.put(data)
    await repos.blobs.record(first, NOW)
    row = await repos.blobs.record(second, NOW)

    assert (first.written, second.written) == (True, False)
    assert first.sha256 == second.sha256 == row.sha256
    assert len(files_under(store.root)) == 1
    assert await db.fetchval("SELECT COUNT(*) FROM blobs") == 1
    assert (row.size, row.content_type, row.created_at) == (len(data), PNG, NOW)


async def test_different_bytes_are_different_files(store: BlobStore) -> None:
    one = await store.put(pdf("one"))
    two = await store.put(pdf("two"))

    assert one.sha256 != two.sha256
    assert len(files_under(store.root)) == 2


async def test_the_same_bytes_at_once_are_still_one_file(store: BlobStore) -> None:
    results = await asyncio.gather(*(store.put(jpeg()) for _ in range(5)))

    assert len({result.sha256 for result in results}) == 1
    assert len(files_under(store.root)) == 1


# Size


async def test_a_file_of_exactly_the_cap_is_kept(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, max_size=1000)

    stored = await store.put(padded_pdf(1000))

    assert stored.size == 1000


async def test_one_byte_over_the_cap_is_refused_and_nothing_written(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", max_size=1000)

    with pytest.raises(BlobRefused) as refused:
        await store.put(padded_pdf(1001))

    assert refused.value.reason is Refusal.TOO_LARGE
    assert (refused.value.size, refused.value.max_size) == (1001, 1000)
    assert files_under(store.root) == []


async def test_a_cap_given_for_one_call_wins(store: BlobStore) -> None:
    await store.put(padded_pdf(600), max_size=600)
    with pytest.raises(BlobRefused):
        await store.put(padded_pdf(601), max_size=600)


async def test_an_empty_file_is_refused(store: BlobStore) -> None:
    with pytest.raises(BlobRefused) as refused:
        await store.put(b"")

    assert refused.value.reason is Refusal.EMPTY


# Types, from the bytes


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (pdf(), PDF),
        (png(), PNG),
        (jpeg(), JPEG),
        (odf(ODT), ODT),
        (odf(ODS), ODS),
        (odf(ODP), ODP),
        (ooxml(DOCX), DOCX),
        (ooxml(XLSX), XLSX),
        (ooxml(PPTX), PPTX),
    ],
    ids=["pdf", "png", "jpeg", "odt", "ods", "odp", "docx", "xlsx", "pptx"],
)
async def test_accepted_types_are_recognised(
    store: BlobStore, data: bytes, content_type: str
) -> None:
    assert sniff(data) == content_type
    assert (await store.put(data)).content_type == content_type


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        ELF,
        SHELL,
        HTML,
        SVG,
        b"just some text",
        jar(),
        # A macro-enabled Word document declares another main type...
        ooxml(DOCX, main_type="application/vnd.ms-word.document.macroEnabled.main+xml",
              extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        # ...and macros are refused even inside a package that claims to be a plain docx.
        ooxml(DOCX, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        odf(ODT, extra={"Basic/Standard/Module1.xml": b"<script/>"}),
        b"PK\x03\x04 not really a zip",
        # An HTML page that starts like a zip's declaration is still no document.
        b"<html>%PDF-1.4</html>",
    ],
    ids=["exe", "elf", "shell", "html", "svg", "text", "jar", "docm", "docx-with-macros",
         "odt-with-macros", "broken-zip", "html-mentioning-pdf"],
)
async def test_anything_else_is_refused_and_nothing_written(
    store: BlobStore, data: bytes
) -> None:
    with pytest.raises(BlobRefused) as refused:
        await store.put(data)

    assert refused.value.reason is Refusal.TYPE
    assert refused.value.content_type is None
    assert files_under(store.root) == []


async def test_a_recognised_type_outside_the_allowlist_is_refused(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, allowed_types=[PDF])

    with pytest.raises(BlobRefused) as refused:
        await store.put(png())

    assert refused.value.reason is Refusal.TYPE
    assert refused.value.content_type == PNG
    assert (await store.put(png(), allowed_types=[PNG])).content_type == PNG


def test_the_store_refuses_types_it_cannot_recognise(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="image/svg"):
        BlobStore(tmp_path, allowed_types=[PDF, "image/svg+xml"])


async def test_a_huge_office_manifest_is_not_inflated(store: BlobStore) -> None:
    # Compresses to a few kilobytes, would inflate past the bound on the manifest.
    manifest = b" " * (1024 * 1024 + 1)
    bomb = ooxml(DOCX, extra={"[Content_Types].xml": manifest})

    assert sniff(bomb) is None


# Writing and reading safely


async def test_a_write_leaves_no_temporary_file(store: BlobStore) -> None:
    stored = await store.put(pdf())

    assert [path.name for path in files_under(store.root)] == [stored.sha256[2:]]


async def test_a_failed_write_leaves_nothing_behind(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)

    with pytest.raises(OSError, match="disk full"):
        await store.put(pdf())

    assert files_under(store.root) == []


async def test_a_damaged_file_is_not_served(store: BlobStore) -> None:
    stored = await store.put(pdf())
    store.path(stored.sha256).write_bytes(b"%PDF-1.4 something else")

    with pytest.raises(BlobCorrupted):
        await store.read(stored.sha256)


async def test_a_damaged_file_is_replaced_when_shared_again(store: BlobStore) -> None:
    data = pdf()
    stored = await store.put(data)
    store.path(stored.sha256).write_bytes(b"%PDF-1.4 cut short")

    again = await store.put(data)

    assert again.written
    assert await store.read(stored.sha256) == data


async def test_a_missing_file_says_so(store: BlobStore) -> None:
    with pytest.raises(FileNotFoundError):
        await store.read("ab" * 32)


@pytest.mark.parametrize("name", ["../../etc/passwd", "AB" * 32, "ab" * 31, "", "g" * 64])
def test_only_a_sha256_names_a_file(store: BlobStore, name: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        store.path(name)


def test_the_store_creates_nothing_until_a_file_comes(tmp_path: Path) -> None:
    BlobStore(tmp_path / "blobs")

    assert not (tmp_path / "blobs").exists()
