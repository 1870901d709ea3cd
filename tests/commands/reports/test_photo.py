"""A photo attached to a report is kept in the blob store, pictures only."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from storage.actions import Action
from storage.blobs import BlobStore
from tests.commands.materials.conftest import attached, send
from tests.commands.reports.helpers import stored
from tests.conftest import Harness
from tests.files import pdf, png


@pytest.fixture
async def with_store(harness: Harness, tmp_path: Path) -> Harness:
    harness.services.blobs = BlobStore(tmp_path / "blobs")
    return harness


async def test_a_photo_is_kept_with_the_report(with_store: Harness, leafleting: Action) -> None:
    photo = png()
    said = await send(with_store, "ines", f"report {leafleting.id} attendees=6 leaflets=900",
                      attached(photo, "marche.png", "image/png"))

    assert said.ok, said.text
    report = await stored(with_store, leafleting)
    assert report is not None
    assert report.photo_sha256 == hashlib.sha256(photo).hexdigest()
    assert with_store.services.blobs is not None
    assert await with_store.services.blobs.read(report.photo_sha256) == photo
    assert "A photo is kept with the report." in said.text


async def test_a_photo_alone_adds_it_to_an_existing_report(
    with_store: Harness, leafleting: Action
) -> None:
    await send(with_store, "ines", f"report {leafleting.id} attendees=6 leaflets=900")
    said = await send(with_store, "ines", f"report {leafleting.id}",
                      attached(png(), "marche.png", "image/png"))

    assert said.ok, said.text
    report = await stored(with_store, leafleting)
    assert report is not None
    assert report.photo_sha256 is not None
    assert report.figures["leaflets"] == 900


async def test_only_pictures_are_kept(with_store: Harness, leafleting: Action) -> None:
    said = await send(with_store, "ines", f"report {leafleting.id} attendees=6 leaflets=900",
                      attached(pdf(), "tract.pdf", "application/pdf"))

    assert not said.ok
    assert await stored(with_store, leafleting) is None


async def test_a_locked_report_takes_no_photo(with_store: Harness, leafleting: Action) -> None:
    await send(with_store, "ines", f"report {leafleting.id} attendees=6 leaflets=900")
    with_store.clock.advance(timedelta(days=7, minutes=1))

    said = await send(with_store, "ines", f"report {leafleting.id}",
                      attached(png(), "marche.png", "image/png"))

    assert not said.ok
    report = await stored(with_store, leafleting)
    assert report is not None
    assert report.photo_sha256 is None
