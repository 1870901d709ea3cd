"""`action calendar`: the .ics file, parsed back the way a calendar app reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from commands.reply import Attachment
from storage.actions import Action
from storage.committees import Committee
from tests.commands.committees.helpers import create, dump, known, ok, refused, space
from tests.conftest import Harness, Said

PARIS = ZoneInfo("Europe/Paris")


async def lyon(harness: Harness) -> Committee:
    return await create(harness, "lea", "Lyon Croix-Rousse", "Lyon", "69004")


async def schedule(harness: Harness, committee: Committee, line: str) -> list[Action]:
    """Schedule as the lead, in the committee's space; the actions it created."""
    before = await harness.db.fetchval("SELECT COALESCE(MAX(id), 0) FROM actions")
    await ok(harness, "lea", f"action schedule {line}", space=space(committee.slug))
    rows = await harness.db.fetchall("SELECT id FROM actions WHERE id > ? ORDER BY id", (before,))
    actions = [await harness.repos.actions.get(row["id"]) for row in rows]
    return [action for action in actions if action is not None]


def attachment(said: Said) -> Attachment:
    files = [reply.file for reply in said.outcome.replies if reply.file is not None]
    assert len(files) == 1, said.text
    return files[0]


async def export(harness: Harness, committee: Committee, user: str = "stan") -> Calendar:
    said = await ok(harness, user, f"action calendar {committee.slug}")
    return Calendar.from_ical(attachment(said).data)


def events(calendar: Calendar) -> list[Event]:
    return list(calendar.walk("VEVENT"))


def only(calendar: Calendar, uid_prefix: str) -> list[Event]:
    return [event for event in events(calendar) if str(event["uid"]).startswith(uid_prefix)]


def tzid(event: Event, name: str) -> str:
    return str(event[name].params["TZID"])


async def test_a_single_action_becomes_an_event_in_the_committees_timezone(
    harness: Harness,
) -> None:
    committee = await lyon(harness)
    [action] = await schedule(
        harness, committee,
        'leafleting "Marché de la Croix-Rousse" samedi 10h where="Place de la Croix-Rousse"'
        ' details="porte 1234B, sonner chez Dupont"',
    )

    said = await ok(harness, "stan", f"action calendar {committee.slug}")

    [reply] = said.outcome.replies
    assert reply.private
    assert reply.file is not None
    assert reply.file.filename == f"{committee.slug}.ics"
    assert reply.file.content_type == "text/calendar"
    assert "1 action" in said.text
    calendar = Calendar.from_ical(reply.file.data)
    assert str(calendar["prodid"])
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    [event] = events(calendar)
    assert str(event["uid"]) == f"action-{action.id}@comites.invalid"
    assert tzid(event, "dtstart") == tzid(event, "dtend") == "Europe/Paris"
    assert event.decoded("dtstart") == datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
    assert event.decoded("dtend") == datetime(2026, 12, 5, 12, 0, tzinfo=PARIS)
    assert str(event["summary"]) == "leafleting: Marché de la Croix-Rousse"
    assert str(event["location"]) == "Place de la Croix-Rousse"
    assert f"action rsvp {action.id} going" in str(event["description"])
    assert "url" not in event
    assert "status" not in event


async def test_details_stay_out_of_the_file(harness: Harness) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'door_to_door "Pentes" samedi 10h details="code 1234B"')
    await schedule(harness, committee, 'phone_bank "Appels" "lundi 18h" repeat=weekly'
                                       ' until=2027-01-31 details="liste: https://x.invalid/l"')

    data = attachment(await ok(harness, "lea", f"action calendar {committee.slug}")).data

    assert b"1234B" not in data
    assert b"x.invalid/l" not in data
    for event in events(Calendar.from_ical(data)):
        assert "given to those going" in str(event["description"])


async def test_the_summary_is_in_the_readers_language(harness: Harness) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'leafleting "Marché" samedi 10h')

    said = await harness.say("stan", f"action calendar {committee.slug}", locale="fr")

    [event] = events(Calendar.from_ical(attachment(said).data))
    assert str(event["summary"]) == "tractage\u00a0: Marché"


async def test_a_series_is_one_rule_with_its_cancelled_and_edited_dates(
    harness: Harness,
) -> None:
    committee = await lyon(harness)
    dates = await schedule(harness, committee, 'door_to_door "Porte-à-porte Pentes"'
                                               " 2027-03-20 10:00 repeat=weekly until=2027-04-10")
    assert len(dates) == 4
    *_, third, fourth = dates
    await ok(harness, "lea", f"action cancel {third.id} vacances scope=this",
             space=space(committee.slug))
    await ok(harness, "lea", f'action edit {fourth.id} title="Grand porte-à-porte"'
                             ' when="2027-04-10 11:00" scope=this', space=space(committee.slug))

    calendar = await export(harness, committee)

    series = only(calendar, "series-")
    assert len(series) == 2
    assert len(events(calendar)) == 2
    master, override = series
    assert str(master["uid"]) == str(override["uid"])
    assert "recurrence-id" not in master
    assert tzid(master, "dtstart") == "Europe/Paris"
    assert master.decoded("dtstart") == datetime(2027, 3, 20, 10, 0, tzinfo=PARIS)
    rule = master["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert "INTERVAL" not in rule
    [until] = rule["UNTIL"]
    assert until.tzinfo is not None
    assert until.utcoffset() == timedelta(0)
    assert until == datetime(2027, 4, 10, 23, 59, 59, tzinfo=PARIS)
    [exdate] = [moment.dt for moment in master["exdate"].dts]
    assert exdate == datetime(2027, 4, 3, 10, 0, tzinfo=PARIS)
    assert str(master["exdate"].params["TZID"]) == "Europe/Paris"
    assert override.decoded("recurrence-id") == datetime(2027, 4, 10, 10, 0, tzinfo=PARIS)
    assert override.decoded("dtstart") == datetime(2027, 4, 10, 11, 0, tzinfo=PARIS)
    assert str(override["summary"]) == "door-to-door: Grand porte-à-porte"
    assert f"action rsvp {fourth.id} going" in str(override["description"])
    assert "status" not in master


async def test_biweekly_and_monthly_rules(harness: Harness) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'meeting "AG" 2027-01-15 19:00 repeat=biweekly'
                                       " until=2027-03-01")
    await schedule(harness, committee, 'postering "Collage" 2027-01-31 21:00 repeat=monthly'
                                       " until=2027-06-30")

    calendar = await export(harness, committee)

    biweekly, monthly = (event["rrule"] for event in only(calendar, "series-"))
    assert (biweekly["FREQ"], biweekly["INTERVAL"]) == (["WEEKLY"], [2])
    assert (monthly["FREQ"], monthly["BYMONTHDAY"]) == (["MONTHLY"], [31])
    assert monthly["UNTIL"] == [datetime(2027, 6, 30, 23, 59, 59, tzinfo=PARIS)]


async def test_a_series_across_the_march_change_stays_at_10_local(harness: Harness) -> None:
    committee = await lyon(harness)
    dates = await schedule(harness, committee, 'leafleting "Marché" 2027-03-13 10:00'
                                               " repeat=weekly until=2027-04-10")

    [master] = only(await export(harness, committee), "series-")

    # What a calendar app does with FREQ=WEEKLY: the same wall-clock time every 7 days, in
    # the event's TZID, up to UNTIL.
    start = master.decoded("dtstart")
    [until] = master["rrule"]["UNTIL"]
    expanded = []
    while start <= until:
        expanded.append(start)
        start += timedelta(weeks=1)
    assert [(moment.hour, moment.minute) for moment in expanded] == [(10, 0)] * 5
    assert [moment.astimezone(UTC) for moment in expanded] == [a.starts_at for a in dates]
    assert {a.starts_at.hour for a in dates} == {9, 8}  # 10:00 in winter, then in summer


async def test_a_cancelled_single_action_is_marked_cancelled(harness: Harness) -> None:
    committee = await lyon(harness)
    [kept] = await schedule(harness, committee, 'leafleting "Marché" samedi 10h')
    [dropped] = await schedule(harness, committee, 'leafleting "Gare" dimanche 10h')
    await ok(harness, "lea", f"action cancel {dropped.id} pluie annoncée",
             space=space(committee.slug))

    calendar = await export(harness, committee)

    status = {str(event["uid"]): event.get("status") for event in events(calendar)}
    assert status == {f"action-{kept.id}@comites.invalid": None,
                      f"action-{dropped.id}@comites.invalid": "CANCELLED"}
    [cancelled] = only(calendar, f"action-{dropped.id}@")
    assert "pluie annoncée" in str(cancelled["description"])


async def test_uids_are_stable_from_one_export_to_the_next(harness: Harness) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'leafleting "Marché" samedi 10h')
    await schedule(harness, committee, 'meeting "AG" "jeudi 19h" repeat=weekly'
                                       " until=2027-01-31")

    first = await export(harness, committee)
    harness.clock.advance(timedelta(hours=3))
    second = await export(harness, committee, user="lea")

    def uids(calendar: Calendar) -> list[str]:
        return sorted(str(event["uid"]) for event in events(calendar))

    assert uids(first) == uids(second)
    assert len(set(uids(first))) == 2


async def test_only_the_last_30_days_and_after_but_a_series_whole(harness: Harness) -> None:
    committee = await lyon(harness)
    [old] = await schedule(harness, committee, 'leafleting "Vieux marché" demain 10h')
    series = await schedule(harness, committee, 'meeting "AG" "demain 19h" repeat=weekly'
                                                " until=2027-02-28")
    [recent] = await schedule(harness, committee, 'leafleting "Marché" 2026-12-20 10:00')

    harness.clock.set(datetime(2027, 1, 15, 12, 0, tzinfo=UTC))
    calendar = await export(harness, committee)

    uids = {str(event["uid"]) for event in events(calendar)}
    assert f"action-{old.id}@comites.invalid" not in uids
    assert f"action-{recent.id}@comites.invalid" in uids
    [master] = only(calendar, "series-")
    assert master.decoded("dtstart").astimezone(UTC) == series[0].starts_at


async def test_typed_in_the_space_the_committee_is_implied(harness: Harness) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'leafleting "Marché" samedi 10h')

    said = await ok(harness, "lea", "action calendar", space=space(committee.slug))

    assert attachment(said).filename == f"{committee.slug}.ics"
    await refused(harness, "lea", "action calendar")


async def test_an_empty_calendar_is_still_a_calendar(harness: Harness) -> None:
    committee = await lyon(harness)

    calendar = await export(harness, committee)

    assert events(calendar) == []
    assert str(calendar["version"]) == "2.0"


async def test_a_suspended_committees_calendar_is_for_its_members_and_staff(
    harness: Harness,
) -> None:
    committee = await lyon(harness)
    await schedule(harness, committee, 'leafleting "Marché" samedi 10h')
    await ok(harness, "chloe", f"staff suspend {committee.slug} breaks the charter")
    await known(harness, "stan")
    before = await dump(harness.db)

    said = await refused(harness, "stan", f"action calendar {committee.slug}")

    assert "Only the members of Lyon Croix-Rousse" in said.text
    assert await dump(harness.db) == before
    assert len(events(await export(harness, committee, user="lea"))) == 1
    assert len(events(await export(harness, committee, user="chloe"))) == 1


def expand_weekly(calendar: Calendar) -> dict[datetime, str]:
    """Every date a calendar app shows for a weekly series, with its title: the rule's dates
    (same wall-clock time each week) less EXDATEs, with overrides put in their place."""
    [master] = [event for event in only(calendar, "series-") if "recurrence-id" not in event]
    overrides = {event.decoded("recurrence-id"): event
                 for event in only(calendar, "series-") if "recurrence-id" in event}
    excluded = {moment.dt for moment in master["exdate"].dts} if "exdate" in master else set()
    [until] = master["rrule"]["UNTIL"]
    shown: dict[datetime, str] = {}
    start = master.decoded("dtstart")
    while start <= until:
        if start not in excluded:
            event = overrides.get(start, master)
            moment = start if event is master else event.decoded("dtstart")
            shown[moment.astimezone(UTC)] = str(event["summary"])
        start += timedelta(weeks=1)
    return shown


async def test_a_series_moved_from_one_date_on_shows_every_date_where_it_is(
    harness: Harness,
) -> None:
    committee = await lyon(harness)
    dates = await schedule(harness, committee, 'leafleting "Marché" 2027-03-13 10:00'
                                               " repeat=weekly until=2027-04-17")
    await ok(harness, "lea", f'action edit {dates[2].id} when="2027-03-27 09:30" scope=series',
             space=space(committee.slug))
    await ok(harness, "lea", f"action cancel {dates[4].id} fête du quartier scope=this",
             space=space(committee.slug))

    shown = expand_weekly(await export(harness, committee))

    stored = [await harness.repos.actions.get(action.id) for action in dates]
    expected = {a.starts_at: "leafleting: Marché" for a in stored
                if a is not None and a.status == "scheduled"}
    assert shown == expected
    assert [moment.astimezone(PARIS).strftime("%d %H:%M") for moment in sorted(shown)] == [
        "13 10:00", "20 10:00", "27 09:30", "03 09:30", "17 09:30",
    ]
