"""`digest` as staff type it: the text they read, the CSV and the chart that come with it."""

from __future__ import annotations

import csv
import io
import struct

import pytest

from commands.reply import Reply
from tests.commands.digest.world import World
from tests.conftest import Harness, Said

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def files(said: Said) -> dict[str, Reply]:
    return {reply.file.filename: reply for reply in said.outcome.replies if reply.file}


def text_of(said: Said) -> str:
    """The digest's text replies (the files' captions left out)."""
    return "\n".join(text for text, reply in zip(said.texts, said.outcome.replies, strict=True)
                     if reply.file is None)


async def test_staff_read_the_last_week(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest", locale="en")

    assert said.ok, said.text
    assert all(reply.private for reply in said.outcome.replies)
    text = text_of(said)
    expected = [
        "Digest of the week from Monday 30 November 2026 to Sunday 6 December 2026, compared"
        " with the week before.",
        "Field actions held: 10 (+100%).",
        "• door-to-door: 3 (+200%)",
        "• leafleting: 2 (+100%)",
        "• phone bank: 1 (unchanged)",
        "• postering: 1 (none before)",
        "Active committees (at least one action held): 3 of 5 (+50%).",
        "New committees: 1 (unchanged).",
        "What the reports say (8 of 10 actions held have one):",
        "• people who came: 53 (+194%)",
        "• doors knocked: 320 (+220%)",
        "• doors opened: 125 (+213%)",
        "• conversations: 152 (+176%)",
        "• contacts collected: 28 (+460%)",
        "• leaflets handed out: 2,500 (+400%)",
        "• calls made: 200 (+100%)",
        "• calls answered: 80 (+60%)",
        "• posters put up: 60 (none before)",
        "• new members: 4 (+100%)",
        "Voters persuaded, estimated: 11 (+223%).",
        "How: 112 face-to-face conversations ÷ 14 + 80 calls answered ÷ 100 + 2,500 leaflets"
        " ÷ 1,000. Field studies cited in the movement's 2017 campaign notes",
        "Grande Marche, until Sunday 20 December 2026:",
        "• doors knocked: 420 of 1,000 (42%)",
        "• leaflets handed out: 1,500 of 10,000 (15%)",
        "• field actions: 5 of 20 (25%)",
        "• 69: 8 actions (+100%), 43 people",
        "• 75: 2 actions (+100%), 10 people",
        "• Lyon Croix-Rousse (69): 7 actions, 40 people",
        "• Lyon Plateau (69): 1 action, 3 people",
        "Now, Monday 7 December 2026, 08:00 (Paris time):",
        "• committees with no action for 30 days: 2",
        "  the largest: Rennes Nord (35, 8 members, last action Saturday 3 October 2026) ·"
        " Ajaccio (2A, 1 member, no action yet)",
        "• actions in the next 7 days: 2, by 2 committees",
        "  door-to-door: 1, leafleting: 1",
        "• flags awaiting review: 3 on 2 items",
    ]
    for line in expected:
        assert line in text
    assert "Rentrée" not in text  # over before the week began
    assert text.index(expected[0]) < text.index(expected[-1])


async def test_a_month_for_one_departement(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest month departement=69", locale="en")

    assert said.ok, said.text
    text = text_of(said)
    assert "Digest of November 2026, compared with October 2026." in text
    assert "Département 69 only." in text
    assert "Field actions held: 6 (none before)." in text
    assert "Départements with the most actions" not in text
    assert set(files(said)) == {"digest-2026-11-69.csv", "digest-2026-11-69.png"}


async def test_the_departement_may_be_typed_with_its_accent(
    harness: Harness, world: World
) -> None:
    said = await harness.say("chloe", "digest week département=69", locale="en")

    assert said.ok, said.text
    assert "Département 69 only." in said.text
    assert "Field actions held: 8 (+100%)." in said.text


async def test_a_week_so_far_says_so(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest week date=2026-12-07", locale="en")

    assert said.ok, said.text
    assert ("Digest of the week from Monday 7 December 2026, so far (until Monday 7 December"
            " 2026, 08:00 (Paris time)), compared with the same days of the week before."
            in text_of(said))
    assert "Field actions held: 1 (unchanged)." in text_of(said)


async def test_in_french(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest semaine", locale="fr")

    assert said.ok, said.text
    assert "lundi 30 novembre 2026" in said.text
    assert "2\u202f500" in said.text  # 2 500, the French way
    assert "+100\u00a0%" in said.text


@pytest.mark.parametrize("person", ["lyon-croix-rousse-lead", "lyon-croix-rousse-1", "stan"])
async def test_only_staff_read_the_digest(harness: Harness, world: World, person: str) -> None:
    said = await harness.say(person, "digest", locale="en")

    assert not said.ok
    assert "Only national staff can do that." in said.text
    assert "Field actions" not in said.text


@pytest.mark.parametrize(
    ("line", "message"),
    [("digest week date=2027-01-10", "has not started yet"),
     ("digest week date=someday", "I could not read “someday” as a date"),
     ("digest departement=99", "is neither a postal code"),
     ("digest fortnight", "period must be one of: week, month")],
)
async def test_mistakes_are_explained(
    harness: Harness, world: World, line: str, message: str
) -> None:
    said = await harness.say("chloe", line, locale="en")

    assert not said.ok
    assert message in said.text


async def test_the_csv_has_one_row_per_committee(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest", locale="en")

    attachment = files(said)["digest-2026-11-30.csv"].file
    assert attachment is not None
    assert attachment.content_type == "text/csv"
    assert attachment.data.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == [
        "marseille-centre", "ajaccio", "rennes-nord", "lyon-croix-rousse", "lyon-plateau",
        "paris-11e"]  # by département (13, 2A, 35, 69, 75), then name
    by_slug = {row["slug"]: row for row in rows}
    lyon = by_slug["lyon-croix-rousse"]
    assert {key: lyon[key] for key in (
        "name", "departement", "postal_code", "status", "members", "actions", "reports",
        "attendees", "doors_knocked", "doors_opened", "conversations",
        "face_to_face_conversations", "contacts", "leaflets", "calls_made", "calls_answered",
        "posters", "new_members", "voters_persuaded", "created_on")} == {
        "name": "Lyon Croix-Rousse", "departement": "69", "postal_code": "69004",
        "status": "active", "members": "5", "actions": "7", "reports": "6", "attendees": "40",
        "doors_knocked": "120", "doors_opened": "45", "conversations": "82",
        "face_to_face_conversations": "42", "contacts": "8", "leaflets": "1500",
        "calls_made": "200", "calls_answered": "80", "posters": "60", "new_members": "4",
        # 42/14 + 80/100 + 1500/1000
        "voters_persuaded": "5.30", "created_on": "2026-09-01",
    }
    assert by_slug["rennes-nord"]["actions"] == "0"
    assert by_slug["paris-11e"]["created_on"] == "2026-11-24"
    assert by_slug["marseille-centre"]["status"] == "suspended"
    # The rows add up to the digest's totals.
    assert sum(int(row["actions"]) for row in rows) == 10
    assert sum(int(row["attendees"]) for row in rows) == 53
    assert sum(float(row["voters_persuaded"]) for row in rows) == pytest.approx(11.3)


async def test_the_chart_is_a_png(harness: Harness, world: World) -> None:
    from matplotlib.image import imread

    said = await harness.say("chloe", "digest", locale="en")

    reply = files(said)["digest-2026-11-30.png"]
    assert reply.file is not None
    assert reply.file.content_type == "image/png"
    data = reply.file.data
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 500)
    pixels = imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (500, 1000)
    assert "12 weeks" in said.texts[said.outcome.replies.index(reply)]


async def test_files_come_last_one_per_reply(harness: Harness, world: World) -> None:
    said = await harness.say("chloe", "digest", locale="en")

    kinds = ["file" if reply.file else "text" for reply in said.outcome.replies]
    assert kinds[-2:] == ["file", "file"]
    assert set(kinds[:-2]) == {"text"}


async def test_the_digest_changes_nothing(harness: Harness, world: World) -> None:
    from tests.commands.committees.helpers import dump

    await harness.say("chloe", "help", locale="en")
    before = await dump(harness.db)
    said = await harness.say("chloe", "digest", locale="en")
    assert said.ok
    assert await dump(harness.db) == before


async def test_an_empty_movement_has_a_digest_too(harness: Harness) -> None:
    said = await harness.say("chloe", "digest", locale="en")

    assert said.ok, said.text
    assert "Field actions held: 0 (unchanged)." in said.text
    assert "• no flag awaiting review" in said.text
    assert len(files(said)) == 2
