"""National staff's tools: `staff announce`, `staff flags` (keep or remove), `staff audit`.

chloe is staff. Lyon Croix-Rousse (69004, led by lea) and Lyon Plateau (69001, led by sam)
are in the Rhône, Marseille Centre (13001, led by max) is not; Paris Nord (75018) is
suspended and Grenoble (38000) archived: neither hears announcements.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from commands.settings import Settings, Staff
from storage.flags import FlagStatus
from storage.materials import NewMaterial
from tests.commands.committees.helpers import (
    audit,
    committee,
    create,
    dump,
    known,
    ok,
    refused,
    space,
    user,
)
from tests.conftest import Harness

LYON = "lyon-croix-rousse"
PLATEAU = "lyon-plateau"
MARSEILLE = "marseille-centre"
PARIS = "paris-nord"
GRENOBLE = "grenoble"
LIVE = (LYON, PLATEAU, MARSEILLE)
HEADER = "Announcement from Comités:"


@pytest.fixture
def settings() -> Settings:
    """Fast sending in tests; the pacing test sets its own rate."""
    return Settings(staff=Staff(announce_per_second=50))


@pytest.fixture
async def france(harness: Harness) -> Harness:
    await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")
    await create(harness, "sam", "Lyon Plateau", "Lyon", "69001")
    await create(harness, "max", "Marseille Centre", "Marseille", "13001")
    await create(harness, "pia", "Paris Nord", "Paris", "75018")
    await create(harness, "gus", "Grenoble", "Grenoble", "38000")
    await ok(harness, "chloe", f"staff suspend {PARIS} breaks the charter")
    await ok(harness, "gus", f"committee archive {GRENOBLE} confirm=yes")
    await known(harness, "zoe", "f1", "f2", "f3")
    # What the bot tells chloe afterwards comes in her language.
    await harness.repos.users.set_locale((await user(harness, "chloe")).id, "en")
    harness.platform.sent.clear()
    harness.platform.calls.clear()
    return harness


def announcements(harness: Harness) -> dict[str, str]:
    """Where an announcement was posted, and its text."""
    return {sent.where: sent.text for sent in harness.platform.sent
            if sent.text.startswith(HEADER)}


# --- staff announce -----------------------------------------------------------------------


async def test_announce_answers_at_once_and_sends_afterwards(france: Harness) -> None:
    said = await ok(france, "chloe", "staff announce Grand meeting national le 12 décembre !")

    assert "Sending to 3 committees" in said.text
    assert said.outcome.replies[0].private
    assert announcements(france) == {}, "nothing is sent before the command has answered"

    await france.services.drain()

    assert announcements(france) == {
        space(slug): f"{HEADER}\nGrand meeting national le 12 décembre !" for slug in LIVE
    }


async def test_announce_skips_suspended_and_archived_committees(france: Harness) -> None:
    await ok(france, "chloe", "staff announce Bonjour à tous")
    await france.services.drain()

    assert space(PARIS) not in announcements(france)
    assert space(GRENOBLE) not in announcements(france)


async def test_announce_tells_the_sender_when_it_is_done(france: Harness) -> None:
    await ok(france, "chloe", "staff announce Bonjour à tous")
    assert france.platform.to("dm:chloe") == []

    await france.services.drain()

    assert france.platform.to("dm:chloe") == ["Your announcement reached 3 of 3 committees."]


async def test_announce_to_one_departement(france: Harness) -> None:
    said = await ok(france, "chloe", "staff announce Réunion Rhône departement=69")
    await france.services.drain()

    assert "Sending to 2 committees" in said.text
    assert set(announcements(france)) == {space(LYON), space(PLATEAU)}


@pytest.mark.parametrize("line", ["staff announce Réunion Marseille département=13",
                                  "staff announce département=13 Réunion Marseille",
                                  "staff announce Réunion Marseille Département=13"])
async def test_the_departement_may_be_typed_with_its_accent(france: Harness, line: str) -> None:
    await ok(france, "chloe", line)
    await france.services.drain()

    assert announcements(france) == {space(MARSEILLE): f"{HEADER}\nRéunion Marseille"}


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("staff announce Bonjour departement=69004", "not a postal code"),
        ("staff announce Bonjour departement=99", "neither a postal code"),
        ("staff announce Bonjour departement=974", "No active committee in département 974"),
        ("staff announce", "Missing: text"),
    ],
)
async def test_announce_refusals(france: Harness, line: str, why: str) -> None:
    said = await refused(france, "chloe", line)

    assert why in said.text
    await france.services.drain()
    assert announcements(france) == {}


@pytest.mark.parametrize("who", ["lea", "zoe"])
async def test_only_staff_announce(france: Harness, who: str) -> None:
    before = await dump(france.db)

    said = await refused(france, who, "staff announce Bonjour", space=space(LYON))

    assert "Only national staff" in said.text
    await france.services.drain()
    assert france.platform.sent == []
    assert await dump(france.db) == before


async def test_announcement_text_pings_nobody(france: Harness) -> None:
    await ok(france, "chloe", "staff announce @everyone <@123> @lea lisez ceci")
    await france.services.drain()

    posted = [sent for sent in france.platform.sent if sent.text.startswith(HEADER)]
    assert len(posted) == 3
    assert all(sent.ping == () for sent in posted)
    assert posted[0].text.endswith("@everyone <@123> @lea lisez ceci")


async def test_announce_is_audited(france: Harness) -> None:
    await ok(france, "chloe", "staff announce Réunion Rhône departement=69")

    (entry,) = await audit(france, "staff.announce")
    assert entry.actor_id == (await user(france, "chloe")).id
    assert entry.after == {"text": "Réunion Rhône", "departement": "69", "committees": 2}


async def test_a_committee_suspended_while_sending_is_skipped(france: Harness) -> None:
    # Sent by département, then name: Lyon Plateau comes last, 2 × 0.1 s after the start.
    france.services.settings = Settings(staff=Staff(announce_per_second=10))
    await ok(france, "chloe", "staff announce Bonjour à tous")
    await ok(france, "chloe", f"staff suspend {PLATEAU} breaks the charter")
    await france.services.drain()

    assert set(announcements(france)) == {space(MARSEILLE), space(LYON)}
    assert france.platform.to("dm:chloe") == ["Your announcement reached 2 of 3 committees."]


async def test_announcements_are_paced(france: Harness) -> None:
    france.services.settings = Settings(staff=Staff(announce_per_second=20))
    await ok(france, "chloe", "staff announce Bonjour à tous")

    started = time.monotonic()
    await france.services.drain()

    # Three committees: two pauses of 1/20 s between them.
    assert time.monotonic() - started >= 2 / 20
    assert len(announcements(france)) == 3


# --- staff flags --------------------------------------------------------------------------


@pytest.fixture
async def flagged(france: Harness) -> Harness:
    """Lyon Croix-Rousse flagged by three people (hidden), an action of Lyon Plateau flagged
    by one, a national material flagged by two (not enough to hide it)."""
    for person in ("f1", "f2", "f3"):
        await ok(france, person, f"flag {LYON} faux comité, {person}")
    await ok(france, "sam", 'action schedule leafleting "Marché" samedi 10h',
             space=space(PLATEAU))
    action = await france.db.fetchval("SELECT MAX(id) FROM actions")
    await ok(france, "f1", f"flag action:{action} propos haineux")
    chloe = await user(france, "chloe")
    material = await france.repos.materials.create(NewMaterial(
        committee_id=None, title="Tract national", url="https://example.org/tract.pdf",
        blob_sha256=None, filename=None, tags=(), search_key="tract national",
        shared_by=chloe.id, created_at=france.clock.now()))
    for person in ("f1", "f2"):
        await ok(france, person, f"flag material:{material.id} fausses informations")
    france.platform.sent.clear()
    return france


async def action_id(harness: Harness) -> int:
    return int(await harness.db.fetchval("SELECT MAX(id) FROM actions"))


async def material_id(harness: Harness) -> int:
    return int(await harness.db.fetchval("SELECT MAX(id) FROM materials"))


async def open_flags(harness: Harness, kind: str) -> int:
    return int(await harness.db.fetchval(
        "SELECT COUNT(*) FROM flags WHERE target_kind = ? AND status = 'open'", (kind,)))


async def test_staff_flags_lists_items_with_counts_and_reasons(flagged: Harness) -> None:
    said = await ok(flagged, "chloe", "staff flags")

    lines = said.text.splitlines()
    assert lines[0] == "3 flagged items await review, the most reported first:"
    assert lines[1] == ("• committee · Lyon Croix-Rousse · lyon-croix-rousse"
                        " · reported by 3 people · hidden until reviewed")
    assert lines[2] == "  “faux comité, f1”; “faux comité, f2”; “faux comité, f3”"
    assert "material" in lines[3]
    assert "reported by 2 people" in lines[3]
    assert lines[4] == "  “fausses informations”"
    assert "action" in lines[5]
    assert "reported by 1 person" in lines[5]
    assert "Lyon Plateau" in lines[5]
    assert said.outcome.replies[0].private


async def test_each_item_has_a_keep_and_a_remove_button(flagged: Harness) -> None:
    said = await ok(flagged, "chloe", "staff flags")

    action, material = await action_id(flagged), await material_id(flagged)
    assert said.buttons == [
        f"staff flag keep {LYON}", f"staff flag remove {LYON}",
        f"staff flag keep material:{material}", f"staff flag remove material:{material}",
        f"staff flag keep action:{action}", f"staff flag remove action:{action}",
    ]


async def test_keeping_a_committee_shows_it_again(flagged: Harness) -> None:
    said = await ok(flagged, "chloe", f"staff flag keep {LYON}")

    assert "3 flags closed" in said.text
    lyon = await committee(flagged, LYON)
    assert (lyon.status, lyon.hidden) == ("active", False)
    assert await open_flags(flagged, "committee") == 0
    statuses = await flagged.db.fetchall(
        "SELECT DISTINCT status FROM flags WHERE target_kind = 'committee'")
    assert [row[0] for row in statuses] == [FlagStatus.KEPT]
    assert LYON not in (await ok(flagged, "chloe", "staff flags")).text


async def test_removing_a_committee_suspends_it_with_the_reasons(flagged: Harness) -> None:
    said = await ok(flagged, "chloe", f"staff flag remove {LYON}")

    assert "Lyon Croix-Rousse is suspended" in said.text
    lyon = await committee(flagged, LYON)
    assert lyon.status == "suspended"
    assert lyon.status_reason == "faux comité, f1; faux comité, f2; faux comité, f3"
    assert await open_flags(flagged, "committee") == 0


async def test_removing_with_a_reason_of_ones_own(flagged: Harness) -> None:
    await ok(flagged, "chloe", f"staff flag remove {LYON} usurpation du nom")

    assert (await committee(flagged, LYON)).status_reason == "usurpation du nom"


async def test_keeping_and_removing_a_material(flagged: Harness) -> None:
    material = await material_id(flagged)
    await ok(flagged, "f3", f"flag material:{material} toujours faux")
    hidden = await flagged.repos.materials.get(material)
    assert hidden is not None
    assert hidden.hidden

    await ok(flagged, "chloe", f"staff flag keep material:{material}")
    kept = await flagged.repos.materials.get(material)
    assert kept is not None
    assert (kept.hidden, kept.removed) == (False, False)
    assert await open_flags(flagged, "material") == 0

    await ok(flagged, "zoe", f"flag material:{material} toujours faux")
    said = await ok(flagged, "chloe", f"staff flag remove material:{material}")
    assert "is removed" in said.text
    removed = await flagged.repos.materials.get(material)
    assert removed is not None
    assert removed.removed


async def test_keeping_an_action_leaves_it_scheduled(flagged: Harness) -> None:
    action = await action_id(flagged)

    await ok(flagged, "chloe", f"staff flag keep action:{action}")

    stored = await flagged.repos.actions.get(action)
    assert stored is not None
    assert stored.status == "scheduled"
    assert await open_flags(flagged, "action") == 0


async def test_removing_an_action_cancels_it_with_a_reason(flagged: Harness) -> None:
    action = await action_id(flagged)

    said = await ok(flagged, "chloe", f"staff flag remove action:{action}")

    assert "is cancelled" in said.text
    stored = await flagged.repos.actions.get(action)
    assert stored is not None
    assert (stored.status, stored.cancel_reason) == ("cancelled", "propos haineux")
    assert any("propos haineux" in text for text in flagged.platform.to(space(PLATEAU)))


async def test_reviews_are_audited(flagged: Harness) -> None:
    await ok(flagged, "chloe", f"staff flag keep action:{await action_id(flagged)}")

    (entry,) = await audit(flagged, "action.keep")
    assert entry.actor_id == (await user(flagged, "chloe")).id


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (f"staff flag keep {MARSEILLE}", "has no open flag"),
        ("staff flag keep nowhere", "nothing called “nowhere”"),
        ("staff flag remove action:99999", "nothing called “action:99999”"),
        ("staff flag keep chose:1", "nothing called “chose:1”"),
    ],
)
async def test_reviewing_nothing_is_refused(flagged: Harness, line: str, why: str) -> None:
    before = await dump(flagged.db)

    said = await refused(flagged, "chloe", line)

    assert why in said.text
    assert await dump(flagged.db) == before


@pytest.mark.parametrize("line", ["staff flags", f"staff flag keep {LYON}",
                                  f"staff flag remove {LYON}"])
async def test_only_staff_review_flags(flagged: Harness, line: str) -> None:
    before = await dump(flagged.db)

    said = await refused(flagged, "lea", line)

    assert "Only national staff" in said.text
    assert await dump(flagged.db) == before


async def test_no_flags_to_review(france: Harness) -> None:
    said = await ok(france, "chloe", "staff flags")

    assert said.text == "No flag awaits review."


async def test_flags_are_paged(france: Harness) -> None:
    for number in range(12):
        await ok(france, "lea", f'action schedule meeting "Réunion {number}" samedi 18h',
                 space=space(LYON))
        await ok(france, "f1", f"flag action:{await action_id(france)} doublon")

    first = await ok(france, "chloe", "staff flags")
    second = await ok(france, "chloe", "staff flags page=2")

    assert first.text.count("• ") == 10
    assert "staff flags page=2" in first.buttons
    assert second.text.count("• ") == 2
    assert "staff flags page=1" in second.buttons


# --- staff audit --------------------------------------------------------------------------


async def joins_and_leaves(harness: Harness, *people: str) -> None:
    """Two audit entries in Lyon Croix-Rousse for each person, a minute apart."""
    for person in people:
        harness.clock.advance(timedelta(minutes=1))
        await ok(harness, person, f"committee join {LYON}")
        await ok(harness, person, f"committee leave {LYON}")


async def test_audit_shows_readable_lines_newest_first(france: Harness) -> None:
    france.clock.set(france.clock.now().replace(hour=15, minute=30))
    await ok(france, "zoe", f"committee join {LYON}")

    said = await ok(france, "chloe", "staff audit")

    lines = said.text.splitlines()
    assert lines[0] == "Audit log, newest first (Europe/Paris time), 1–8 of 8:"
    # 15:30 UTC is 16:30 in Paris in December.
    assert lines[1] == "• 1 Dec 2026 16:30 · @zoe · committee.join · @zoe · lyon-croix-rousse"
    assert said.outcome.replies[0].private


async def test_audit_shows_reasons(france: Harness) -> None:
    said = await ok(france, "chloe", f"staff audit {PARIS}")

    assert ("· @chloe · committee.suspend · paris-nord · “breaks the charter”"
            in said.text)


async def test_audit_of_one_committee(france: Harness) -> None:
    said = await ok(france, "chloe", f"staff audit {LYON}")

    lines = said.text.splitlines()
    assert lines[0].startswith("Audit log of Lyon Croix-Rousse, newest first")
    assert all("committee.create" in line or not line.startswith("•") for line in lines)
    assert len([line for line in lines if line.startswith("•")]) == 1


async def test_audit_is_paged(france: Harness) -> None:
    await joins_and_leaves(france, "zoe", "f1", "f2", "f3")
    newest_first = list(reversed(await audit(france)))
    assert len(newest_first) == 15

    first = await ok(france, "chloe", "staff audit")
    second = await ok(france, "chloe", "staff audit page=2")

    shown = [line for page in (first, second) for line in page.text.splitlines()
             if line.startswith("•")]
    assert len(shown) == 15
    for line, entry in zip(shown, newest_first, strict=True):
        assert f" · {entry.action} · " in line
    assert shown[0].endswith("committee.leave · @f3 · lyon-croix-rousse")
    assert "Page 1 of 2." in first.text
    assert first.buttons == ["staff audit page=2"]
    assert second.buttons == ["staff audit page=1"]
    assert second.text.splitlines()[0].endswith("11–15 of 15:")


async def test_audit_pages_of_one_committee_keep_the_committee(france: Harness) -> None:
    await joins_and_leaves(france, "zoe", "f1", "f2", "f3", "lea-friend")

    said = await ok(france, "chloe", f"staff audit {LYON}")

    assert said.buttons == [f"staff audit {LYON} page=2"]


async def test_audit_refusals(france: Harness) -> None:
    assert "no committee with the id “nowhere”" in (
        await refused(france, "chloe", "staff audit nowhere")).text
    assert "There is no page 99" in (await refused(france, "chloe", "staff audit page=99")).text
    assert "Only national staff" in (await refused(france, "lea", f"staff audit {LYON}")).text


async def test_a_forgotten_person_shows_as_a_dash(france: Harness) -> None:
    await ok(france, "zoe", f"committee join {LYON}")
    await ok(france, "zoe", "privacy forget confirm=yes")
    await france.services.drain()

    said = await ok(france, "chloe", "staff audit")

    assert "· — · committee.join · — · lyon-croix-rousse" in said.text
    assert "· — · privacy.forget · —" in said.text
    assert "@zoe" not in said.text
