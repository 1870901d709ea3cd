"""`material share`: a link or a kept file, for a committee's members, or national for staff."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from commands.files import safe_filename
from commands.settings import Materials, Settings
from commands.spec import REGISTRY
from storage.blobs import DOCX, MB
from tests.commands.committees.helpers import audit, committee, dump, ok, refused
from tests.commands.materials.conftest import (
    SLUG,
    SPACE,
    URL,
    attached,
    newest,
    send,
    sent_ok,
    stored_files,
)
from tests.conftest import Harness
from tests.files import EXE, HTML, SVG, ooxml, padded_pdf, pdf

SHARE = f'material share "Tract du marché" url={URL} committee={SLUG}'


async def refused_unchanged(harness: Harness, who: str, line: str, *files: object,
                            space: str | None = None) -> str:
    before = await dump(harness.db)
    on_disk = stored_files(harness)
    said = await send(harness, who, line, *files, space=space)  # type: ignore[arg-type]
    assert not said.ok, said.text
    assert await dump(harness.db) == before
    assert stored_files(harness) == on_disk
    return said.text


# Links


async def test_a_member_shares_a_link_in_the_committees_space(lyon: Harness) -> None:
    said = await ok(lyon, "carl", f"material share Tract du marché url={URL} tags=tract",
                    space=SPACE)

    material = await newest(lyon)
    assert (material.title, material.url, material.blob_sha256) == (
        "Tract du marché", URL, None)
    assert material.committee_id == (await committee(lyon, SLUG)).id
    assert material.tags == ("tract",)
    assert "Shared with Lyon Croix-Rousse: material 1 “Tract du marché”" in said.text
    assert said.buttons == ["material get 1"]
    assert not said.outcome.replies[0].private


async def test_shared_from_elsewhere_only_the_sharer_is_told(lyon: Harness) -> None:
    said = await ok(lyon, "carl", SHARE)

    assert said.outcome.replies[0].private


async def test_sharing_is_audited(lyon: Harness) -> None:
    await ok(lyon, "carl", SHARE + " tags=tract")

    [entry] = await audit(lyon, "material.share")
    assert entry.target_kind == "material"
    assert entry.target_id == 1
    assert entry.committee_id == (await committee(lyon, SLUG)).id
    assert entry.after == {"title": "Tract du marché", "url": URL, "blob": None,
                           "filename": None, "tags": ["tract"], "national": False}


@pytest.mark.parametrize(
    "url",
    [
        "http://exemple.fr",
        "https://exemple.fr/tract-été.pdf?v=2#page=1",
        "HTTPS://EXEMPLE.FR/A",
        "https://exemple.fr:8443/kit",
        "https://" + "a" * 60 + ".fr/" + "b" * (2000 - 72),
    ],
)
async def test_http_and_https_links_are_accepted(lyon: Harness, url: str) -> None:
    await ok(lyon, "carl", f'material share Tract url="{url}" committee={SLUG}')

    assert (await newest(lyon)).url == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("JavaScript:alert(document.cookie)", "must start with http:// or https://"),
        ("data:text/html,<script>alert(1)</script>", "must start with http:// or https://"),
        ("ftp://exemple.fr/tract.pdf", "must start with http:// or https://"),
        ("file:///etc/passwd", "must start with http:// or https://"),
        ("//exemple.fr/tract.pdf", "must start with http:// or https://"),
        ("exemple.fr/tract.pdf", "must start with http:// or https://"),
        ("https://user:secret@exemple.fr/", "user name or a password"),
        ("https://user@exemple.fr/", "user name or a password"),
        ("https://exemple.fr\\@evil.org/", "user name or a password"),
        ("https://exemple.fr\\evil.org/", "not valid"),
        ("https:///tract.pdf", "not valid"),
        ("https://exemple.fr:port/", "not valid"),
        ("https://[::1/", "not valid"),
        ("https://exemple.fr/\u202etxt.exe", "invisible or control characters"),
        ("https://exemple.fr/" + "a" * 1982, "at most 2,000 characters"),
    ],
)
async def test_other_links_are_refused(lyon: Harness, url: str, why: str) -> None:
    text = await refused_unchanged(lyon, "carl", f'material share Tract url="{url}"'
                                   f" committee={SLUG}")

    assert why in text


# Files


async def test_a_member_shares_a_file_which_the_bot_keeps(lyon: Harness) -> None:
    data = pdf()

    said = await sent_ok(lyon, "carl", "material share Affiche A3", attached(data),
                         space=SPACE)

    material = await newest(lyon)
    digest = hashlib.sha256(data).hexdigest()
    assert (material.url, material.blob_sha256, material.filename) == (None, digest,
                                                                       "tract.pdf")
    assert (material.size, material.content_type) == (len(data), "application/pdf")
    assert [path.name for path in stored_files(lyon)] == [digest[2:]]
    assert await lyon.db.fetchval("SELECT COUNT(*) FROM blobs") == 1
    assert "material 1 “Affiche A3”" in said.text


async def test_the_same_file_twice_is_kept_once(lyon: Harness) -> None:
    await sent_ok(lyon, "carl", "material share Tract", attached(pdf()), space=SPACE)
    await sent_ok(lyon, "ana", "material share Le même tract", attached(pdf(), "copie.pdf"),
                  space=SPACE)

    assert len(stored_files(lyon)) == 1
    assert await lyon.db.fetchval("SELECT COUNT(*) FROM blobs") == 1
    assert await lyon.db.fetchval("SELECT COUNT(DISTINCT blob_sha256) FROM materials") == 1
    assert await lyon.db.fetchval("SELECT COUNT(*) FROM materials") == 2


async def test_the_file_name_is_cleaned_and_follows_the_content(lyon: Harness) -> None:
    await sent_ok(lyon, "carl", "material share Kit",
                  attached(ooxml(DOCX), "../../Kit   militant\u0007.exe",
                           "application/x-msdownload"),
                  space=SPACE)

    material = await newest(lyon)
    assert material.filename == "Kit militant.docx"
    assert material.content_type == DOCX


async def test_a_file_of_exactly_the_configured_cap_is_kept(lyon: Harness) -> None:
    await sent_ok(lyon, "carl", "material share Gros tract", attached(padded_pdf(MB)),
                  space=SPACE)

    assert (await newest(lyon)).size == MB


async def test_one_byte_more_is_refused(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "carl", "material share Trop gros",
                                   attached(padded_pdf(MB + 1)), space=SPACE)

    assert "The file is too large (1 MB): at most 1 MB." in text


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (EXE, "tract.pdf", "application/pdf"),
        (HTML, "tract.html", "text/html"),
        (SVG, "logo.svg", "image/svg+xml"),
        (b"", "vide.pdf", "application/pdf"),
    ],
    ids=["exe-named-pdf", "html", "svg", "empty"],
)
async def test_files_that_are_not_accepted_are_refused(
    lyon: Harness, data: bytes, filename: str, content_type: str
) -> None:
    text = await refused_unchanged(lyon, "carl", "material share Tract",
                                   attached(data, filename, content_type), space=SPACE)

    assert ("Accepted: PDF, PNG, JPEG, ODT, ODS, ODP, DOCX, XLSX, PPTX" in text
            or "empty" in text)


async def test_the_configured_types_are_the_accepted_ones(lyon: Harness) -> None:
    lyon.services.settings = Settings(materials=Materials(allowed_types=["application/pdf"]))

    text = await refused_unchanged(lyon, "carl", "material share Kit",
                                   attached(ooxml(DOCX), "kit.docx"), space=SPACE)

    assert "Accepted: PDF." in text


async def test_files_per_day_are_capped(lyon: Harness) -> None:
    lyon.services.settings = Settings(materials=Materials(files_per_day=2))
    for number in range(2):
        await sent_ok(lyon, "carl", f"material share Tract {number}",
                      attached(pdf(str(number))), space=SPACE)

    text = await refused_unchanged(lyon, "carl", "material share Tract 3",
                                   attached(pdf("3")), space=SPACE)
    await ok(lyon, "carl", f"material share Lien url={URL}", space=SPACE)
    assert "You have shared 2 files today" in text

    lyon.clock.advance(timedelta(days=1))
    await sent_ok(lyon, "carl", "material share Tract 3", attached(pdf("3")), space=SPACE)


async def test_without_a_blob_store_only_links_are_taken(lyon: Harness) -> None:
    lyon.services.blobs = None

    said = await send(lyon, "carl", "material share Tract", attached(pdf()), space=SPACE)

    assert not said.ok
    assert "share a link with url= instead" in said.text


@pytest.mark.parametrize(
    ("line", "files", "why"),
    [
        ("material share Tract", 0, "Give a link with url=https://… or attach a file"),
        (f"material share Tract url={URL}", 1, "either a link or a file, not both"),
        ("material share Tract", 2, "one file at a time"),
        (f"material share url={URL}", 0, "Missing: title"),
        (f"material share {'x' * 121} url={URL}", 0, "at most 120 characters"),
        (f"material share Tract url={URL} tags=\"a b c d e f g h i j k\"", 0, "At most 10 tags"),
        (f"material share Tract url={URL} tags={'x' * 31}", 0, "at most 30 characters"),
    ],
)
async def test_a_share_needs_a_title_and_one_source(
    lyon: Harness, line: str, files: int, why: str
) -> None:
    text = await refused_unchanged(lyon, "carl", line,
                                   *[attached(pdf(str(n))) for n in range(files)], space=SPACE)

    assert why in text


async def test_tags_are_folded_and_deduplicated(lyon: Harness) -> None:
    await ok(lyon, "carl", f'material share Tract url={URL} tags="Tract, #Marché  Porte-à-Porte'
             f' tract CŒUR"', space=SPACE)

    assert (await newest(lyon)).tags == ("tract", "marche", "porte-a-porte", "coeur")


# Who may share where


async def test_a_stranger_may_not_share_in_a_committee(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "zoe", SHARE)

    assert "Only members of the committee, or staff" in text


async def test_a_member_of_another_committee_may_not_either(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "paul", SHARE)

    assert "Only members of the committee" in text


async def test_outside_any_space_the_committee_must_be_named(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "carl", f"material share Tract url={URL}")

    assert "Say which committee" in text


async def test_staff_share_nationally(lyon: Harness) -> None:
    said = await ok(lyon, "chloe", f"material share Kit national url={URL} national=yes")

    material = await newest(lyon)
    assert material.committee_id is None
    assert "Shared with every committee: material 1 “Kit national”" in said.text
    [entry] = await audit(lyon, "material.share")
    assert entry.committee_id is None
    assert entry.after is not None
    assert entry.after["national"] is True


@pytest.mark.parametrize("who", ["ana", "carl", "zoe"])
async def test_only_staff_share_nationally(lyon: Harness, who: str) -> None:
    text = await refused_unchanged(lyon, who, f"material share Kit url={URL} national=yes",
                                   space=SPACE)

    assert "Only national staff can share with every committee" in text


async def test_a_national_material_names_no_committee(lyon: Harness) -> None:
    text = await refused_unchanged(lyon, "chloe", f"material share Kit url={URL} national=yes"
                                   f" committee={SLUG}")

    assert "leave out committee=" in text


async def test_staff_may_share_in_a_committee_too(lyon: Harness) -> None:
    await ok(lyon, "chloe", SHARE)

    assert (await newest(lyon)).committee_id == (await committee(lyon, SLUG)).id


async def test_a_suspended_committee_takes_no_material(lyon: Harness) -> None:
    await ok(lyon, "chloe", f"staff suspend {SLUG} breaks the charter")

    text = await refused_unchanged(lyon, "ana", SHARE)

    assert "Lyon Croix-Rousse is suspended by national staff (breaks the charter)" in text


async def test_help_says_who_may_share(lyon: Harness) -> None:
    said = await refused(lyon, "carl", "material share")

    assert "Usage: material share <title…> [url=…] [tags=…] [national=…] [committee=…]" in (
        said.text)


# The pieces platforms rely on


def test_the_commands_that_take_a_file() -> None:
    # A material, and a report's photo: platforms offer an attachment for these alone.
    takes_files = {spec.name: spec.files for spec in REGISTRY if spec.files}

    assert takes_files == {"material share": 1, "report": 1}


def test_an_incoming_file_never_prints_its_bytes() -> None:
    shown = repr(attached(b"secret door code 1234", "codes.pdf"))

    assert "secret" not in shown
    assert "size=21" in shown


@pytest.mark.parametrize(
    ("given", "content_type", "kept"),
    [
        ("tract.pdf", "application/pdf", "tract.pdf"),
        ("Tract marché.PDF", "application/pdf", "Tract marché.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpg"),
        ("affiche", "image/png", "affiche.png"),
        (".hidden.pdf", "application/pdf", "hidden.pdf"),
        ("C:\\Users\\ana\\kit.exe", DOCX, "kit.docx"),
        ("a<b>c:d|e?.pdf", "application/pdf", "abcde.pdf"),
        ("", "application/pdf", "file.pdf"),
        ("...", "application/pdf", "file.pdf"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 96 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(given: str, content_type: str, kept: str) -> None:
    assert safe_filename(given, content_type) == kept
