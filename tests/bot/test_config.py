"""The deployer's side of config: the example loads, and every mistake names file, line, key."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    DISCORD_TOKEN_ENV,
    MATRIX_ACCESS_TOKEN_ENV,
    MATRIX_PASSWORD_ENV,
    Config,
    ConfigError,
    load_config,
)
from commands.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


# --- The example and the defaults ---------------------------------------------------------


def test_example_loads_with_the_defaults_except_the_charter() -> None:
    config = load_config(EXAMPLE)
    defaults = Config()

    assert config.model_dump(exclude={"organisation": {"charter"}}) == defaults.model_dump(
        exclude={"organisation": {"charter"}}
    )
    assert config.organisation.charter.startswith("Nos comités sont ouverts")
    assert "\n" not in config.organisation.charter


def test_example_documents_every_key_of_every_section() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S))

    assert set(sections) == set(Config.model_fields)
    for section, field in Config.model_fields.items():
        model = field.annotation
        assert isinstance(model, type)
        for key in model.model_fields:
            # Keys without a TOML value (None by default) are shown commented out.
            assert re.search(rf"^#? ?{key} = ", sections[section], re.M), f"{section}.{key}"


def test_example_silence_period_is_valid_once_uncommented(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "silence_periods = []\n# silence_periods =", "silence_periods ="
    )

    (period,) = load_config(write(tmp_path, text)).electoral.silence_periods

    assert period.start == datetime(2027, 4, 10, tzinfo=ZoneInfo("Europe/Paris"))


def test_no_file_means_defaults_and_the_console() -> None:
    config = load_config(None)

    assert config.database.path == "data/comites.db"
    assert config.platforms_enabled() == []
    assert config.console.user == "you"
    assert config.console.clock is None
    assert config.organisation.timezone == "Europe/Paris"
    assert config.settings == Settings()


def test_enabled_platforms_are_listed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[discord]\nenabled = true\n\n[matrix]\nenabled = true\n"
        'homeserver = "https://matrix.example.org/"\nuser_id = "@comites:example.org"\n',
    )

    config = load_config(path)

    assert config.platforms_enabled() == ["discord", "matrix"]
    assert config.matrix.homeserver == "https://matrix.example.org"
    assert config.matrix.space_id is None


def test_settings_carry_the_configured_sections(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[organisation]\nname = "Nous"\n[limits]\npage_size = 5\n')
    )

    assert config.settings.organisation.name == "Nous"
    assert config.settings.limits.page_size == 5


def test_console_clock_is_an_aware_time(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[console]\nclock = 2026-12-05T09:00:00+01:00\n"))

    assert config.console.clock == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    assert "console.clock: needs a UTC offset" in problem(
        tmp_path, '[console]\nclock = "2026-12-05T09:00:00"\n'
    )


# --- Mistakes name the file, the line and the key -----------------------------------------


def test_unknown_key_in_a_section_names_line_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, '[organisation]\nname = "X"\n\n[discord]\n# comment\nenabeld = true\n')

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value) == (
        f'{path}:6: discord.enabeld: unknown key "enabeld", did you mean "enabled"?'
    )


def test_unknown_section_at_top_level_names_line_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "verbose = true\n\n[discrod]\nenabled = true\n")

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert caught.value.problems == [
        f'{path}:1: verbose: unknown key "verbose"',
        f'{path}:3: discrod: unknown key "discrod", did you mean "discord"?',
    ]


def test_unknown_key_inside_an_array_of_tables(tmp_path: Path) -> None:
    text = (
        "[electoral]\n"
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-10T00:00:00\nend = 2027-04-11T20:00:00\nlabel = "one"\n'
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-24T00:00:00\nend = 2027-04-25T20:00:00\nlabel = "two"\nlable = "x"\n'
    )

    message = problem(tmp_path, text)

    assert message.endswith(
        ':10: electoral.silence_periods[1].lable: unknown key "lable", did you mean "label"?'
    )


def test_keys_inside_multiline_values_are_not_taken_for_keys(tmp_path: Path) -> None:
    text = (
        '[organisation]\ncharter = """\nname = "not a key"\n"""\n'
        "[discord]\nguild_ids = [\n  1,\n]\nstaf_role_ids = []\n"
    )

    assert ":9: discord.staf_role_ids:" in problem(tmp_path, text)


def test_dotted_keys_are_found(tmp_path: Path) -> None:
    assert ":2: digest.hour:" in problem(tmp_path, 'database.path = "x.db"\ndigest.hour = 25\n')


def test_wrong_type_names_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[limits]\npage_size = "ten"\n')

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value).startswith(
        f"{path}:2: limits.page_size: Input should be a valid integer"
    )
    assert "(got 'ten')" in str(caught.value)


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    message = problem(tmp_path, '[digest]\nhour = 24\nminute = -1\nday_of_week = "monday"\n')

    assert [line.split(": ")[1] for line in message.splitlines()] == [
        "digest.hour",
        "digest.minute",
        "digest.day_of_week",
    ]


@pytest.mark.parametrize(
    ("text", "variable"),
    [
        ('[discord]\ntoken = "abc"\n', DISCORD_TOKEN_ENV),
        ('[matrix]\npassword = "abc"\n', MATRIX_PASSWORD_ENV),
        ('[matrix]\naccess_token = "abc"\n', MATRIX_ACCESS_TOKEN_ENV),
        ('discord_token = "abc"\n', DISCORD_TOKEN_ENV),
    ],
)
def test_secrets_are_refused_with_the_variable_to_set(
    tmp_path: Path, text: str, variable: str
) -> None:
    message = problem(tmp_path, text)

    assert "secrets are not read from this file" in message
    assert variable in message
    assert "abc" not in message
    assert "unknown key" not in message


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[discord]\nenabled = true\nguild_ids = [1, 2\n\n[matrix]\n")

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert re.fullmatch(rf"{re.escape(str(path))}:\d+: invalid TOML: .+", str(caught.value))
    assert str(caught.value).startswith(f"{path}:5:")


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml")


def test_invalid_timezone(tmp_path: Path) -> None:
    message = problem(tmp_path, '[organisation]\ntimezone = "Europe/Lyon"\n')

    assert message.endswith(":2: organisation.timezone: unknown timezone 'Europe/Lyon'")


def test_matrix_enabled_needs_homeserver_and_user_id(tmp_path: Path) -> None:
    message = problem(tmp_path, '[matrix]\nenabled = true\nuser_id = "@bot:example.org"\n')

    assert ":1: matrix: homeserver must be set when matrix is enabled" in message


def test_reminders_must_come_in_order(tmp_path: Path) -> None:
    message = problem(tmp_path, "[reminders]\nhour_before_grace_minutes = 90\n")

    assert "reminders: hour_before_grace_minutes must be shorter than" in message


# --- Electoral silence ----------------------------------------------------------------------


def test_naive_silence_times_are_read_in_the_organisation_timezone(tmp_path: Path) -> None:
    text = (
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-10T00:00:00\nend = "2027-04-11T20:00:00"\nlabel = "Premier tour"\n'
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-23T22:00:00Z\nend = 2027-04-25T18:00:00Z\nlabel = "Second tour"\n'
    )

    first, second = load_config(write(tmp_path, text)).electoral.silence_periods

    assert first.start == datetime(2027, 4, 9, 22, 0, tzinfo=UTC)  # CEST is UTC+2
    assert first.end == datetime(2027, 4, 11, 18, 0, tzinfo=UTC)
    assert first.start.tzinfo == ZoneInfo("Europe/Paris")
    assert second.start.tzinfo == UTC


def test_naive_silence_times_follow_a_configured_timezone(tmp_path: Path) -> None:
    text = (
        '[organisation]\ntimezone = "America/Martinique"\n'
        "[electoral]\nsilence_periods = [{ start = 2027-04-10T00:00:00, "
        'end = 2027-04-11T20:00:00, label = "Premier tour" }]\n'
    )

    (period,) = load_config(write(tmp_path, text)).electoral.silence_periods

    assert period.start == datetime(2027, 4, 10, 4, 0, tzinfo=UTC)


def test_silence_period_cannot_mix_naive_and_aware_times(tmp_path: Path) -> None:
    text = (
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-10T00:00:00\nend = 2027-04-11T20:00:00Z\nlabel = "x"\n'
    )

    assert "both have a UTC offset, or neither" in problem(tmp_path, text)


def test_silence_period_must_end_after_it_starts(tmp_path: Path) -> None:
    text = (
        "[[electoral.silence_periods]]\n"
        'start = 2027-04-11T20:00:00\nend = 2027-04-10T00:00:00\nlabel = "x"\n'
    )

    assert ":1: electoral.silence_periods[0]: end must be after start" in problem(tmp_path, text)


# --- Secrets come from the environment ----------------------------------------------------


def test_discord_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISCORD_TOKEN_ENV, "secret-value")

    assert Config().discord.token() == "secret-value"


def test_missing_discord_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISCORD_TOKEN_ENV, raising=False)

    with pytest.raises(ConfigError, match=DISCORD_TOKEN_ENV):
        Config().discord.token()


def test_matrix_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MATRIX_PASSWORD_ENV, raising=False)
    monkeypatch.setenv(MATRIX_ACCESS_TOKEN_ENV, "syt_abc")

    assert Config().matrix.password() is None
    assert Config().matrix.access_token() == "syt_abc"
