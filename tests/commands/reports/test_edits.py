"""A second `report` on the same action edits it, for 7 days; every change is audited."""

from __future__ import annotations

from datetime import timedelta

from storage.actions import Action
from tests.commands.committees.helpers import audit, dump, ok, refused, user
from tests.commands.reports.helpers import ENDS, SPACE, lyon, reports, schedule, stored
from tests.conftest import Harness


async def test_a_second_report_changes_only_the_fields_given(
    harness: Harness, leafleting: Action,
) -> None:
    await ok(harness, "ines", f'report {leafleting.id} attendees=6 leaflets=1200'
                              ' conversations=40 notes="Bon accueil"', space=SPACE)
    first = await stored(harness, leafleting)
    harness.clock.advance(timedelta(days=2))

    said = await ok(harness, "colin", f"report {leafleting.id} leaflets=1500", space=SPACE)

    report = await stored(harness, leafleting)
    assert report is not None
    assert first is not None
    assert report.id == first.id
    assert report.figures == {"attendees": 6, "leaflets": 1500, "conversations": 40}
    assert report.notes == "Bon accueil"
    assert report.created_at == first.created_at
    assert report.updated_at == ENDS + timedelta(days=2)
    assert report.reported_by == first.reported_by
    assert said.text.splitlines()[0] == "Report updated."
    assert "• leaflets handed out: 1,500" in said.text
    assert await reports(harness) == 1
    assert harness.platform.to(SPACE)[-1] == (
        "Report corrected — Marché de la Croix-Rousse, Saturday 5 December 2026: 6 people,"
        " 1,500 leaflets, 40 conversations."
    )


async def test_an_edit_is_checked_against_the_whole_report(harness: Harness) -> None:
    await lyon(harness)
    action = await schedule(harness, "door_to_door")
    harness.clock.set(ENDS)
    await ok(harness, "ines", f"report {action.id} attendees=4 doors_knocked=100 doors_opened=40",
             space=SPACE)
    before = await dump(harness.db)

    said = await refused(harness, "ines", f"report {action.id} doors_knocked=30", space=SPACE)

    assert "doors opened (40) cannot be more than doors knocked (30)" in said.text
    assert await dump(harness.db) == before


async def test_an_edit_to_notes_alone_is_not_posted(harness: Harness, leafleting: Action) -> None:
    await ok(harness, "ines", f"report {leafleting.id} attendees=6", space=SPACE)
    posted = len(harness.platform.sent)

    await ok(harness, "ines", f'report {leafleting.id} notes="Il a plu"', space=SPACE)

    report = await stored(harness, leafleting)
    assert report is not None
    assert report.notes == "Il a plu"
    assert len(harness.platform.sent) == posted


async def test_the_same_figures_again_change_nothing(harness: Harness, leafleting: Action) -> None:
    await ok(harness, "ines", f"report {leafleting.id} attendees=6", space=SPACE)
    before = await dump(harness.db)

    said = await ok(harness, "ines", f"report {leafleting.id} attendees=6", space=SPACE)

    assert said.text.startswith("The report already says that: nothing changed.")
    assert await dump(harness.db) == before


async def test_a_report_can_be_edited_until_7_days_after_it_was_filed(
    harness: Harness, leafleting: Action,
) -> None:
    await ok(harness, "ines", f"report {leafleting.id} attendees=6", space=SPACE)
    harness.clock.advance(timedelta(days=7) - timedelta(minutes=1))

    await ok(harness, "ines", f"report {leafleting.id} attendees=7", space=SPACE)

    report = await stored(harness, leafleting)
    assert report is not None
    assert report.attendees == 7


async def test_7_days_and_a_minute_later_the_report_is_locked(
    harness: Harness, leafleting: Action,
) -> None:
    await ok(harness, "ines", f"report {leafleting.id} attendees=6", space=SPACE)
    harness.clock.advance(timedelta(days=7, minutes=1))
    before = await dump(harness.db)

    said = await refused(harness, "ines", f"report {leafleting.id} attendees=7", space=SPACE)

    assert said.text == (
        "This report was filed on Saturday 5 December 2026, 12:00 (Paris time) and locked on"
        " Saturday 12 December 2026, 12:00 (Paris time): a report can be changed for 7 days"
        " only."
    )
    assert await dump(harness.db) == before
    shown = await ok(harness, "ines", f"report {leafleting.id}", space=SPACE)
    assert shown.text.splitlines()[-1] == (
        "Locked since Saturday 12 December 2026, 12:00 (Paris time): a report can be changed"
        " for 7 days only."
    )


# Audit


async def test_filing_and_editing_are_audited_with_before_and_after(
    harness: Harness, leafleting: Action,
) -> None:
    await ok(harness, "ines", f'report {leafleting.id} attendees=6 leaflets=1200'
                              ' notes="Rencontré M. Dupont"', space=SPACE)
    await ok(harness, "colin", f"report {leafleting.id} leaflets=1500 conversations=12"
                               ' notes="Rencontré Mme Durand"', space=SPACE)

    [created] = await audit(harness, "report.create")
    [edited] = await audit(harness, "report.edit")
    report = await stored(harness, leafleting)
    assert report is not None
    assert created.actor_id == (await user(harness, "ines")).id
    assert created.target_kind == edited.target_kind == "report"
    assert created.target_id == edited.target_id == report.id
    assert created.committee_id == leafleting.committee_id
    assert created.before is None
    assert created.after == {"action": leafleting.id, "attendees": 6, "leaflets": 1200,
                             "notes": "(changed)"}
    assert edited.actor_id == (await user(harness, "colin")).id
    assert edited.before == {"leaflets": 1200, "conversations": None, "notes": "(changed)"}
    assert edited.after == {"leaflets": 1500, "conversations": 12, "notes": "(changed)"}
    # What the notes say (the people met) stays out of the audit log.
    assert "Dupont" not in str(created.after) + str(edited.before) + str(edited.after)
