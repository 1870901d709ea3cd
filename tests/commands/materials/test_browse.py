"""`material list` and `material get`: what each reader may see, newest first, the file back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from storage.blobs import PNG
from tests.commands.committees.helpers import committee, dump, ok, refused
from tests.commands.materials.conftest import (
    OTHER,
    SLUG,
    SPACE,
    URL,
    attached,
    newest,
    sent_ok,
)
from tests.conftest import Harness, Said
from tests.files import pdf, png

LISTED = re.compile(r"^• (\d+) · ")


def listed(said: Said) -> list[int]:
    """The material numbers a list shows, in order."""
    return [int(match.group(1)) for line in said.text.splitlines()
            if (match := LISTED.match(line))]


async def share(harness: Harness, who: str, title: str, *extra: str,
                space: str | None = SPACE) -> int:
    """Share a link (a minute after the previous one, so the order is clear)."""
    harness.clock.advance(timedelta(minutes=1))
    await ok(harness, who, " ".join([f'material share "{title}" url={URL}', *extra]),
             space=space)
    return (await newest(harness)).id


@pytest.fixture
async def library(lyon: Harness) -> Harness:
    """1: Croix-Rousse tract; 2: national kit; 3: Plateau's own; 4: Croix-Rousse poster."""
    await share(lyon, "carl", "Tract du marché", "tags=tract,marché")
    await share(lyon, "chloe", "Kit national", "national=yes tags=kit", space=None)
    await share(lyon, "paul", "Plateau seulement", f"committee={OTHER}", space=None)
    await share(lyon, "ana", "Affiche A3", "tags=affiche")
    return lyon


# material list


async def test_the_list_shows_the_committees_and_national_newest_first(
    library: Harness,
) -> None:
    said = await ok(library, "carl", "material list", space=SPACE)

    assert listed(said) == [4, 2, 1]
    assert "Materials 1–3 of 3:" in said.text
    assert "• 2 · Kit national · link to exemple.fr · national · #kit" in said.text
    assert "• 1 · Tract du marché · link to exemple.fr · #tract #marche" in said.text
    assert said.buttons == ["material get 4", "material get 2", "material get 1"]
    assert said.outcome.replies[0].private


async def test_out_of_any_space_a_member_sees_their_committees_and_national(
    library: Harness,
) -> None:
    said = await ok(library, "paul", "material list")

    assert listed(said) == [3, 2]
    assert "• 3 · Plateau seulement · link to exemple.fr · Lyon Plateau" in said.text


async def test_a_stranger_sees_national_materials_only(library: Harness) -> None:
    said = await ok(library, "zoe", f"material list committee={SLUG}")

    assert listed(said) == [2]
    assert "Only members see the materials of Lyon Croix-Rousse" in said.text


async def test_staff_see_any_committees_materials(library: Harness) -> None:
    said = await ok(library, "chloe", f"material list committee={OTHER}")

    assert listed(said) == [3, 2]


async def test_the_list_filters_by_tag_and_words(library: Harness) -> None:
    by_tag = await ok(library, "carl", "material list tract", space=SPACE)
    by_folded_tag = await ok(library, "carl", "material list Marché", space=SPACE)
    by_words = await ok(library, "carl", "material list query=marche", space=SPACE)
    by_both = await ok(library, "carl", "material list affiche a3", space=SPACE)
    nothing = await ok(library, "carl", "material list tract affiche", space=SPACE)

    assert listed(by_tag) == [1]
    assert listed(by_folded_tag) == [1]
    assert listed(by_words) == [1]
    assert listed(by_both) == [4]
    assert listed(nothing) == []
    assert "No material found" in nothing.text


async def test_the_list_pages(library: Harness) -> None:
    await share(library, "carl", "Cinquième")

    first = await ok(library, "carl", "material list", space=SPACE)
    second = await ok(library, "carl", first.buttons[-1], space=SPACE)
    beyond = await refused(library, "carl", f"material list committee={SLUG} page=3")

    assert listed(first) == [5, 4, 2]
    assert "Page 1 of 2." in first.text
    assert first.buttons[-1] == f"material list committee={SLUG} page=2"
    assert listed(second) == [1]
    assert "There is no page 3" in beyond.text


async def test_hidden_and_removed_materials_are_not_listed(library: Harness) -> None:
    await library.repos.materials.set_hidden(1, True)
    await library.repos.materials.set_removed(2, True)

    assert listed(await ok(library, "carl", "material list", space=SPACE)) == [4]
    assert listed(await ok(library, "chloe", f"material list committee={SLUG}")) == [4]


async def test_a_file_is_listed_with_its_kind_and_size(lyon: Harness) -> None:
    await sent_ok(lyon, "carl", "material share Logo", attached(png(), "logo.png", PNG),
                  space=SPACE)

    said = await ok(lyon, "carl", "material list", space=SPACE)

    assert "• 1 · Logo · PNG file, 1 KB" in said.text


async def test_listing_changes_nothing(library: Harness) -> None:
    before = await dump(library.db)

    await ok(library, "zoe", "material list")

    assert await dump(library.db) == before


# material get


async def test_get_reposts_the_kept_file(lyon: Harness) -> None:
    data = pdf("original")
    await sent_ok(lyon, "carl", "material share Tract", attached(data, "Tract marché.pdf"),
                  space=SPACE)

    said = await ok(lyon, "ana", "material get 1", space=SPACE)

    [reply] = said.outcome.replies
    assert reply.file is not None
    assert (reply.file.filename, reply.file.data, reply.file.content_type) == (
        "Tract marché.pdf", data, "application/pdf")
    assert "material 1 “Tract”, shared on Tuesday 1 December 2026" in said.text
    assert not reply.private


async def test_get_gives_a_links_url(library: Harness) -> None:
    said = await ok(library, "carl", "material get 1", space=SPACE)

    assert URL in said.text
    assert said.outcome.replies[0].file is None


async def test_get_elsewhere_answers_privately(library: Harness) -> None:
    said = await ok(library, "carl", "material get 1")

    assert said.outcome.replies[0].private


async def test_national_materials_are_for_everyone(library: Harness) -> None:
    for who in ("zoe", "paul", "carl", "chloe"):
        said = await ok(library, who, "material get 2")
        assert URL in said.text
        assert not said.outcome.replies[0].private


async def test_a_committees_material_is_for_its_members(library: Harness) -> None:
    said = await refused(library, "zoe", "material get 1")
    paul = await refused(library, "paul", "material get 1")

    assert "Only members of Lyon Croix-Rousse can get this material" in said.text
    assert "Only members of Lyon Croix-Rousse" in paul.text
    await ok(library, "chloe", "material get 1")


async def test_a_hidden_material_waits_for_staff(library: Harness) -> None:
    await library.repos.materials.set_hidden(1, True)

    said = await refused(library, "carl", "material get 1", space=SPACE)

    assert "There is no material 1" in said.text
    await ok(library, "chloe", "material get 1")


async def test_a_removed_material_is_gone_for_everyone(library: Harness) -> None:
    await library.repos.materials.set_removed(1, True)

    for who in ("carl", "chloe"):
        said = await refused(library, who, "material get 1")
        assert "There is no material 1" in said.text


async def test_an_unknown_material(library: Harness) -> None:
    said = await refused(library, "carl", "material get 99")

    assert "There is no material 99. material list shows them." in said.text


async def test_a_file_missing_on_disk_is_said_plainly(lyon: Harness) -> None:
    await sent_ok(lyon, "carl", "material share Tract", attached(pdf()), space=SPACE)
    material = await newest(lyon)
    store = lyon.services.blobs
    assert store is not None
    assert material.blob_sha256 is not None
    store.path(material.blob_sha256).unlink()

    said = await refused(lyon, "carl", "material get 1", space=SPACE)

    assert "The file of this material is missing" in said.text


async def test_a_suspended_committees_materials_can_still_be_read(library: Harness) -> None:
    await ok(library, "chloe", f"staff suspend {SLUG} breaks the charter")

    await ok(library, "carl", "material get 1")
    assert listed(await ok(library, "carl", f"material list committee={SLUG}")) == [4, 2, 1]
    assert (await committee(library, SLUG)).status.value == "suspended"
