"""The dispatcher: usage on mistakes, no traceback ever, one unit of work, rate limit, locale."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Annotated

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.clock import FixedClock
from commands.dispatch import Dispatcher, Request
from commands.errors import PlatformError, UserError
from commands.help import usage_line
from commands.i18n import RenderContext, _, render
from commands.invocation import Invocation
from commands.permissions import ANYONE
from commands.ports import Place
from commands.reply import Reply
from commands.services import Services
from commands.settings import Organisation, Settings
from commands.spec import REGISTRY, Param, Registry, command
from storage import Database
from tests.conftest import START, Harness, Said
from tests.fakes import RecordingPlatform

ERROR_ID = re.compile(r"\((?:error|erreur) ([0-9a-f]{8})\)")

# Test commands, in a registry of their own: they write a row, then fail in various ways.
TEST_COMMANDS = Registry()
MARK = ("test", "written")


@command("write", "crash", rule=ANYONE, registry=TEST_COMMANDS)
async def write_crash(inv: Invocation) -> Reply:
    """Write a row, then fail unexpectedly."""
    await inv.repos.platform_state.set(*MARK, "crash")
    raise RuntimeError("secret internal detail")


@command("write", "refuse", rule=ANYONE, registry=TEST_COMMANDS)
async def write_refuse(inv: Invocation) -> Reply:
    """Write a row, then refuse."""
    await inv.repos.platform_state.set(*MARK, "refuse")
    raise UserError(_("Only {who} can do that.").format(who="nobody"))


@command("write", "platform", rule=ANYONE, registry=TEST_COMMANDS)
async def write_platform(inv: Invocation) -> Reply:
    """Write a row, then the platform fails."""
    await inv.repos.platform_state.set(*MARK, "platform")
    raise PlatformError("The platform is unavailable.")


@command("write", "ok", rule=ANYONE, registry=TEST_COMMANDS)
async def write_ok(
    inv: Invocation, value: Annotated[str, Param("what to write")] = "ok"
) -> Reply:
    """Write a row and succeed."""
    await inv.repos.platform_state.set(*MARK, value)
    return Reply("written")


class Private:
    """A dispatcher over the test commands, sharing the harness's database and clock."""

    def __init__(self, harness: Harness, settings: Settings | None = None) -> None:
        self.harness = harness
        services = Services(
            repos=harness.repos,
            settings=settings or harness.services.settings,
            clock=harness.clock,
            ports={harness.platform.name: harness.platform},
            registry=TEST_COMMANDS,
        )
        self.dispatcher = Dispatcher(services)

    async def say(self, user: str, line: str, *, locale: str | None = "en") -> Said:
        request = Request(platform=self.harness.platform.name, user_id=user,
                          place=Place(self.harness.platform.name, None), locale_hint=locale)
        return Said(await self.dispatcher.handle_line(request, line))


@pytest.fixture
def private(harness: Harness) -> Private:
    return Private(harness)


async def mark(harness: Harness) -> str | None:
    return await harness.repos.platform_state.get(*MARK)


async def create_committee(harness: Harness, user: str = "founder", *,
                           locale: str | None = None) -> str:
    said = await harness.say(user, 'committee create "Lyon 3e" Lyon 69003', locale=locale)
    assert said.ok, said.text
    committee = await harness.repos.committees.by_slug("lyon-3e")
    assert committee is not None
    return f"space-{committee.slug}"


# --- usage and language -----------------------------------------------------------------

CREATE_USAGE = "committee create <name> <place> <postal_code>"


def rendered(text: object, locale: str) -> str:
    return render(text, RenderContext(locale))


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("committee create", "Missing: name."),
        ("committee create Lyon", "Missing: place."),
        ("committee create 'Lyon 3e' Lyon 69003 extra", "Too many words"),
        ("committee create 'Lyon 3e' Lyon 69003 colour=red", "no option called colour"),
        ("committee create 'Lyon 3e Lyon 69003", "never closed"),
        ("committee create 'Lyon 3e' Lyon 69003 description=a description=b", "given twice"),
    ],
)
async def test_bad_arguments_get_the_usage(harness: Harness, line: str, problem: str) -> None:
    said = await harness.say("ines", line, locale="en")
    assert not said.ok
    assert problem in said.text
    assert CREATE_USAGE in said.text
    assert "help committee create" in said.text
    assert await harness.repos.committees.by_slug("lyon-3e") is None


async def test_usage_comes_in_the_users_language(harness: Harness) -> None:
    spec = REGISTRY.get(("committee", "create"))
    assert spec is not None
    english = await harness.say("ines", "committee create", locale="en")
    french = await harness.say("jules", "committee create", locale="fr")
    assert (english.outcome.locale, french.outcome.locale) == ("en", "fr")
    assert CREATE_USAGE in english.text
    assert CREATE_USAGE in french.text
    assert rendered(usage_line(spec), "en") in english.text
    assert rendered(usage_line(spec), "fr") in french.text
    assert rendered(_("Missing: {name}.").format(name="name"), "fr") in french.text


async def test_malformed_value_gets_the_usage(harness: Harness) -> None:
    said = await harness.say("ines", "committee list page=two", locale="en")
    assert not said.ok
    assert "page must be a whole number" in said.text
    assert "committee list [near=…]" in said.text


async def test_refusal_without_usage_does_not_show_it(harness: Harness) -> None:
    said = await harness.say("ines", "committee join nowhere", locale="en")
    assert not said.ok
    assert "nowhere" in said.text
    assert "Usage:" not in said.text


async def test_unknown_command(harness: Harness) -> None:
    said = await harness.say("ines", "/frobnicate now", locale="en")
    assert not said.ok
    assert "frobnicate" in said.text
    assert "help" in said.text


async def test_prefixes_and_case_are_accepted(harness: Harness) -> None:
    for line in ("/help", "!help", "HELP", "  help  "):
        said = await harness.say("ines", line, locale="en")
        assert said.ok, line
        assert "committee" in said.text


# --- failures: short answer, logged, rolled back ----------------------------------------


async def test_unexpected_error_answers_with_an_id_logs_and_rolls_back(
    harness: Harness, private: Private, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="commands.dispatch"):
        said = await private.say("ines", "write crash")
    assert not said.ok
    found = ERROR_ID.search(said.text)
    assert found is not None, said.text
    error_id = found.group(1)
    assert "Traceback" not in said.text
    assert "secret internal detail" not in said.text
    assert len(said.text) < 300

    records = [record for record in caplog.records if error_id in record.getMessage()]
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].exc_info is not None
    assert isinstance(records[0].exc_info[1], RuntimeError)

    assert await mark(harness) is None


async def test_each_unexpected_error_gets_its_own_id(private: Private) -> None:
    first = ERROR_ID.search((await private.say("ines", "write crash")).text)
    second = ERROR_ID.search((await private.say("ines", "write crash", locale="fr")).text)
    assert first is not None
    assert second is not None
    assert first.group(1) != second.group(1)


async def test_user_error_rolls_back(harness: Harness, private: Private) -> None:
    said = await private.say("ines", "write refuse")
    assert not said.ok
    assert said.text == "Only nobody can do that."
    assert await mark(harness) is None


async def test_platform_error_rolls_back(harness: Harness, private: Private) -> None:
    said = await private.say("ines", "write platform")
    assert not said.ok
    assert said.text == "The platform is unavailable."
    assert await mark(harness) is None


async def test_success_commits(harness: Harness, private: Private) -> None:
    said = await private.say("ines", "write ok value=kept")
    assert said.ok
    assert said.text == "written"
    assert await mark(harness) == "kept"
    # A later failure does not undo what an earlier command committed.
    await private.say("ines", "write crash")
    assert await mark(harness) == "kept"


async def test_handle_with_separated_options_checks_names(
    harness: Harness, private: Private
) -> None:
    spec = TEST_COMMANDS.get(("write", "ok"))
    assert spec is not None
    request = Request(platform=harness.platform.name, user_id="ines",
                      place=Place(harness.platform.name, None))
    outcome = await private.dispatcher.handle(request, spec, {"colour": "red"})
    said = Said(outcome)
    assert not said.ok
    assert "colour" in said.text
    assert "write ok [value=…]" in said.text
    assert await mark(harness) is None
    said = Said(await private.dispatcher.handle(request, spec, {"value": "slash"}))
    assert said.ok
    assert await mark(harness) == "slash"


# --- rate limit -------------------------------------------------------------------------


async def test_rate_limit(harness: Harness) -> None:
    limit = harness.services.settings.limits.commands_per_minute
    assert limit == 20
    for number in range(limit):
        said = await harness.say("ines", "help", locale="en")
        assert said.ok, (number, said.text)
    refused = await harness.say("ines", "help", locale="en")
    assert not refused.ok
    assert "at most 20 commands a minute" in refused.text
    assert "committee" not in refused.text

    # Someone else is not slowed down by Ines.
    assert (await harness.say("jules", "help", locale="en")).ok

    harness.clock.advance(timedelta(minutes=1))
    again = await harness.say("ines", "help", locale="en")
    assert again.ok, again.text


async def test_rate_limited_command_does_not_run(harness: Harness, private: Private) -> None:
    for _number in range(20):
        await private.say("ines", "help")  # unknown in the private registry: still counted
    said = await private.say("ines", "write ok")
    assert not said.ok
    assert await mark(harness) is None


# --- locale -----------------------------------------------------------------------------


async def test_users_choice_beats_the_platform_hint(harness: Harness) -> None:
    assert (await harness.say("ines", "lang en", locale="fr")).ok
    said = await harness.say("ines", "help", locale="fr")
    assert said.outcome.locale == "en"
    assert (await harness.say("ines", "lang fr", locale="en")).ok
    said = await harness.say("ines", "help", locale="en")
    assert said.outcome.locale == "fr"


async def test_platform_hint_beats_the_committee(harness: Harness) -> None:
    space = await create_committee(harness, locale="en")
    committee = await harness.repos.committees.by_slug("lyon-3e")
    assert committee is not None
    assert committee.locale == "en"
    said = await harness.say("visitor", "committee info", space=space, locale="fr")
    assert said.ok, said.text
    assert said.outcome.locale == "fr"
    said = await harness.say("visitor", "committee info", space=space, locale="fr-CA")
    assert said.outcome.locale == "fr"


async def test_committee_beats_the_organisation_default(harness: Harness) -> None:
    space = await create_committee(harness, locale="en")
    assert harness.services.settings.organisation.locale == "fr"
    said = await harness.say("visitor", "committee info", space=space)
    assert said.outcome.locale == "en"
    # A hint the bot cannot speak is ignored.
    said = await harness.say("visitor", "committee info", space=space, locale="de-DE")
    assert said.outcome.locale == "en"


async def test_organisation_default_last(harness: Harness) -> None:
    said = await harness.say("visitor", "help")
    assert said.outcome.locale == "fr"
    said = await harness.say("visitor", "help", locale="de")
    assert said.outcome.locale == "fr"
    english_org = Private(harness, Settings(organisation=Organisation(locale="en")))
    said = await english_org.say("other", "write ok", locale=None)
    assert said.outcome.locale == "en"


async def test_refusals_are_in_the_resolved_locale_too(harness: Harness) -> None:
    assert (await harness.say("ines", "lang en", locale="fr")).ok
    said = await harness.say("ines", "committee create", locale="fr")
    assert said.outcome.locale == "en"
    assert "Missing: name." in said.text


# --- groups and help --------------------------------------------------------------------


async def test_group_name_alone_lists_its_commands(harness: Harness) -> None:
    said = await harness.say("ines", "committee", locale="en")
    assert said.ok
    assert CREATE_USAGE in said.text
    assert "committee join <committee>" in said.text
    assert "committee list" in said.text
    assert "staff suspend" not in said.text
    assert "lang <fr|en>" not in said.text


async def test_staff_group_is_not_shown_to_volunteers(harness: Harness) -> None:
    said = await harness.say("ines", "staff", locale="en")
    assert not said.ok
    assert said.text.strip()
    assert "national staff" in said.text
    assert "suspend" not in said.text
    said = await harness.say("chloe", "staff", locale="en")
    assert said.ok
    assert "staff suspend <committee> <reason…>" in said.text


async def test_help_overview(harness: Harness) -> None:
    said = await harness.say("ines", "help", locale="en")
    assert said.ok
    assert "• committee:" in said.text
    assert "create" in said.text
    assert "help committee create" in said.text
    assert "• staff:" not in said.text
    staff = await harness.say("chloe", "help", locale="en")
    assert "• staff:" in staff.text


async def test_help_for_one_command(harness: Harness) -> None:
    said = await harness.say("ines", "help committee create", locale="en")
    assert said.ok
    assert said.text.startswith(CREATE_USAGE)
    assert "Start a local committee" in said.text
    assert "Who: anyone" in said.text
    assert "postal_code: its postal code" in said.text
    assert "description: a sentence or two on what the committee does (optional)" in said.text
    same = await harness.say("ines", "help /Committee  Create", locale="en")
    assert same.text == said.text


async def test_help_for_a_group(harness: Harness) -> None:
    said = await harness.say("ines", "help committee", locale="en")
    assert said.ok
    assert CREATE_USAGE in said.text
    assert "committee leave" in said.text


async def test_help_for_nonsense(harness: Harness) -> None:
    said = await harness.say("ines", "help nonsense", locale="en")
    assert not said.ok
    assert "There is no command “nonsense”" in said.text


async def test_help_for_staff_group_as_a_volunteer(harness: Harness) -> None:
    said = await harness.say("ines", "help staff", locale="en")
    assert not said.ok
    assert "suspend" not in said.text


# --- arbitrary input --------------------------------------------------------------------

COMMAND_WORDS = sorted({" ".join(spec.path) for spec in REGISTRY} | {"committee", "staff"})
SNIPPETS = ["lyon-3e", "@founder", "@x", "page=2", "near=69", "confirm=yes", "'", '"', "«",
            "»", "“", "=", "\u202e", "\x00", "name=", "description=", "0", "-1", "99999999999999"]

arbitrary_lines = st.one_of(
    st.text(),
    st.builds(
        lambda prefix, head, words: f"{prefix}{head} {' '.join(words)}",
        st.sampled_from(["", "/", "!"]),
        st.sampled_from(COMMAND_WORDS),
        st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12)), max_size=6),
    ),
    st.builds(lambda chunk, count: chunk * count, st.text(min_size=1, max_size=3),
              st.integers(min_value=1000, max_value=4500)),
)


async def row_counts(db: Database) -> dict[str, int]:
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    counts = {}
    for row in tables:
        name = row["name"]
        if name == "users":
            continue
        counts[name] = int(await db.fetchval(f'SELECT COUNT(*) FROM "{name}"'))
    return counts


async def database_dump(db: Database) -> list[tuple[object, ...]]:
    """Every row of the tables a refusal must not touch, in a comparable form."""
    rows: list[tuple[object, ...]] = []
    for name in await row_counts(db):
        for row in await db.fetchall(f'SELECT * FROM "{name}" ORDER BY 1'):
            rows.append((name, *tuple(row)))
    return rows


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=arbitrary_lines)
async def test_any_line_gets_a_short_answer_and_refusals_change_nothing(
    harness: Harness, text: str
) -> None:
    # One harness serves every example: keep a committee around, and stay under the limit.
    harness.clock.advance(timedelta(minutes=1))
    if await harness.repos.committees.by_slug("lyon-3e") is None:
        await create_committee(harness)
    before = await database_dump(harness.db)
    counts = await row_counts(harness.db)

    said = await harness.say("x", text, space="space-lyon-3e")

    assert "Traceback" not in said.text
    assert "Something went wrong" not in said.text, text
    if not said.ok:
        assert await row_counts(harness.db) == counts
        assert await database_dump(harness.db) == before


async def test_fixed_start(harness: Harness) -> None:
    # The property above relies on a fixed clock that only moves when told.
    assert isinstance(harness.clock, FixedClock)
    assert harness.clock.now() == START


async def test_a_refused_create_changes_nothing(harness: Harness) -> None:
    platform: RecordingPlatform = harness.platform
    before = await database_dump(harness.db)
    said = await harness.say("ines", "committee create 'Lyon 3e' Lyon 99999", locale="en")
    assert not said.ok
    assert await database_dump(harness.db) == before
    assert platform.spaces == {}
