"""A committee with people in it, a blob store, and a way to attach files to a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.dispatch import Request
from commands.files import Incoming
from commands.ports import Place
from commands.settings import Limits, Materials, Settings
from storage.blobs import BlobStore
from storage.materials import Material
from tests.commands.committees.helpers import create, known, ok
from tests.conftest import Harness, Said

SLUG = "lyon-croix-rousse"
OTHER = "lyon-plateau"
SPACE = f"space-{SLUG}"
URL = "https://exemple.fr/tract.pdf"


@pytest.fixture
def settings() -> Settings:
    # A 1 MB cap keeps the size tests fast; three materials a page keep paging short.
    return Settings(limits=Limits(page_size=3), materials=Materials(max_size_mb=1))


@pytest.fixture
async def lyon(harness: Harness, tmp_path: Path) -> Harness:
    """Lyon Croix-Rousse: ana leads, carl is a member. Lyon Plateau: paul leads.

    zoe is a stranger to both; chloe is staff. Files go to a store under tmp_path.
    """
    harness.services.blobs = BlobStore(tmp_path / "blobs")
    await create(harness, "ana", "Lyon Croix-Rousse", "Lyon", "69004")
    await ok(harness, "carl", f"committee join {SLUG}")
    await create(harness, "paul", "Lyon Plateau", "Lyon", "69001")
    await known(harness, "zoe", "chloe")
    harness.platform.sent.clear()
    return harness


async def send(harness: Harness, user: str, line: str, *files: Incoming,
               space: str | None = None) -> Said:
    """A command typed with files attached, as a platform would hand it over."""
    request = Request(
        platform=harness.platform.name,
        user_id=user,
        place=Place(harness.platform.name, space),
        is_staff=user in harness.staff,
        locale_hint="en",
        attachments=files,
    )
    return Said(await harness.dispatcher.handle_line(request, line))


async def sent_ok(harness: Harness, user: str, line: str, *files: Incoming,
                  space: str | None = None) -> Said:
    said = await send(harness, user, line, *files, space=space)
    assert said.ok, said.text
    return said


def attached(data: bytes, filename: str = "tract.pdf",
             content_type: str = "application/pdf") -> Incoming:
    return Incoming(filename=filename, content_type=content_type, data=data)


async def newest(harness: Harness) -> Material:
    material_id = await harness.db.fetchval("SELECT MAX(id) FROM materials")
    material = await harness.repos.materials.get(material_id)
    assert material is not None
    return material


def stored_files(harness: Harness) -> list[Path]:
    store = harness.services.blobs
    assert store is not None
    if not store.root.exists():
        return []
    return sorted(path for path in store.root.rglob("*") if path.is_file())
