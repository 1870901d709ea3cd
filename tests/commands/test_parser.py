"""The text parser: words, quotes, `name=value`, the command path and binding to options."""

from __future__ import annotations

from typing import Annotated

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import commands.catalog  # noqa: F401  (declares every command in REGISTRY)
from commands.errors import UserError
from commands.i18n import RenderContext, render
from commands.invocation import Invocation
from commands.parser import (
    MAX_LINE,
    GroupOnly,
    Parsed,
    Token,
    bind,
    clean_line,
    find_command,
    parse,
    tokenize,
)
from commands.permissions import ANYONE
from commands.reply import Reply
from commands.spec import REGISTRY, CommandSpec, Param, Registry, command


def values(line: str) -> list[str]:
    return [token.value for token in tokenize(line)]


def english(error: UserError) -> str:
    return render(error.message, RenderContext("en"))


# A private registry, so the binding rules are tested on commands shaped for the purpose.
REG = Registry()


@command("party", "plan", rule=ANYONE, registry=REG)
async def plan(
    inv: Invocation,
    town: Annotated[str, Param("the town")],
    street: Annotated[str, Param("the street")],
    note: Annotated[str | None, Param("a note", positional=True)] = None,
    size: Annotated[int, Param("how many")] = 1,
) -> Reply:
    """Plan a party."""
    return Reply("planned")


@command("party", "say", rule=ANYONE, registry=REG)
async def say(
    inv: Invocation,
    who: Annotated[str, Param("to whom")],
    message: Annotated[str, Param("what to say", rest=True)],
    loud: Annotated[bool, Param("shout it")] = False,
) -> Reply:
    """Say something to someone."""
    return Reply("said")


@command("party", "guest", "add", rule=ANYONE, registry=REG)
async def guest_add(inv: Invocation, name: Annotated[str, Param("the guest")]) -> Reply:
    """Add a guest."""
    return Reply("added")


@command("ping", rule=ANYONE, registry=REG)
async def ping(inv: Invocation) -> Reply:
    """Answer pong."""
    return Reply("pong")


def spec_of(handler: object) -> CommandSpec:
    spec = handler.spec  # type: ignore[attr-defined]
    assert isinstance(spec, CommandSpec)
    return spec


def bound(handler: object, args: str) -> dict[str, str]:
    return bind(spec_of(handler), tokenize(args), args)


# --- tokenize ---------------------------------------------------------------------------


def test_plain_words_split_on_any_whitespace() -> None:
    assert values("  committee   join\tlyon-3e \u00a0 ") == ["committee", "join", "lyon-3e"]


def test_empty_line_has_no_tokens() -> None:
    assert tokenize("") == []
    assert tokenize("   \t ") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('say "Lyon Croix-Rousse" now', ["say", "Lyon Croix-Rousse", "now"]),
        ("say 'Lyon Croix-Rousse' now", ["say", "Lyon Croix-Rousse", "now"]),
        ("say “Lyon Croix-Rousse” now", ["say", "Lyon Croix-Rousse", "now"]),
        ("say «Lyon Croix-Rousse» now", ["say", "Lyon Croix-Rousse", "now"]),
        ("say „Lyon Croix-Rousse“ now", ["say", "Lyon Croix-Rousse", "now"]),
        ("say ‘Lyon Croix-Rousse’ now", ["say", "Lyon Croix-Rousse", "now"]),
    ],
)
def test_each_kind_of_quote_keeps_spaces_inside_one_word(line: str, expected: list[str]) -> None:
    assert values(line) == expected


def test_quoted_tokens_are_marked_quoted_and_plain_ones_not() -> None:
    plain, quoted = tokenize('a "b c"')
    assert not plain.quoted
    assert quoted.quoted
    assert quoted.start == 2


def test_guillemets_with_french_inner_spaces() -> None:
    # French typography puts a (often non-breaking) space inside « ».
    for line in ("« Lyon 3e » 69003", "«\u00a0Lyon 3e\u00a0» 69003", "«\u202fLyon 3e\u202f» 69003"):
        tokens = tokenize(line)
        assert len(tokens) == 2, line
        assert tokens[0].quoted
        assert tokens[0].value.strip() == "Lyon 3e"
        assert tokens[1].value == "69003"


def test_a_quote_may_hold_the_other_kinds_of_quote() -> None:
    assert values("\"l'école « du coin »\" x") == ["l'école « du coin »", "x"]
    assert values("« dites \"oui\" »") == [' dites "oui" ']


def test_empty_quotes_are_an_empty_word() -> None:
    tokens = tokenize('a "" b')
    assert [token.value for token in tokens] == ["a", "", "b"]
    assert tokens[1].quoted


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("c'est l'école", ["c'est", "l'école"]),
        ("aujourd'hui l'équipe s'en va", ["aujourd'hui", "l'équipe", "s'en", "va"]),
        ("l’école d’été", ["l’école", "d’été"]),
        ("rock'n'roll", ["rock'n'roll"]),
        ('dit"il" ok', ['dit"il"', "ok"]),
    ],
)
def test_quotes_inside_a_word_do_not_open_a_quote(line: str, expected: list[str]) -> None:
    tokens = tokenize(line)
    assert [token.value for token in tokens] == expected
    assert not any(token.quoted for token in tokens)


def test_name_value_pairs() -> None:
    tokens = tokenize("committee list near=69004 page=2")
    assert [(token.name, token.value) for token in tokens] == [
        (None, "committee"),
        (None, "list"),
        ("near", "69004"),
        ("page", "2"),
    ]


def test_name_is_lowercased_but_value_kept_as_typed() -> None:
    (token,) = tokenize("Description=Très Bien")[:1]
    assert token.name == "description"
    assert token.value == "Très"


@pytest.mark.parametrize("quote", ['"{}"', "'{}'", "“{}”", "«{}»"])
def test_name_equals_quoted_value(quote: str) -> None:
    line = "edit description=" + quote.format("on tracte le samedi, à 10 h") + " done"
    first, second, third = tokenize(line)
    assert first.value == "edit"
    assert second.name == "description"
    assert second.value == "on tracte le samedi, à 10 h"
    assert second.quoted
    assert second.start == 5
    assert (third.name, third.value) == (None, "done")


def test_empty_value_after_name() -> None:
    (token,) = tokenize("description=")
    assert (token.name, token.value) == ("description", "")


def test_only_words_make_a_name() -> None:
    # Not names: a URL with a query string, an empty name.
    assert [token.name for token in tokenize("https://x.org/?a=b =x")] == [None, None]


def test_an_accented_name_is_the_option_without_its_accents() -> None:
    # People type "département=69"; the option is declared as departement.
    assert [(token.name, token.value) for token in tokenize("Département=69 été=chaud")] == [
        ("departement", "69"),
        ("ete", "chaud"),
    ]


def test_quote_opened_after_name_and_never_closed_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        tokenize('edit description="never closed')
    assert caught.value.usage
    assert "never closed" in english(caught.value)


@pytest.mark.parametrize("line", ['say "hello', "say 'hello", "say «bonjour", "say “hi"])
def test_unclosed_quote_is_a_user_error_with_usage(line: str) -> None:
    with pytest.raises(UserError) as caught:
        tokenize(line)
    assert caught.value.usage
    assert english(caught.value) == "A quote is opened and never closed."


@pytest.mark.parametrize("line", ['say "a b"c', "say «Lyon»3e", 'x="a"b', "'a''b'"])
def test_text_glued_after_a_closing_quote_is_refused(line: str) -> None:
    with pytest.raises(UserError) as caught:
        tokenize(line)
    assert caught.value.usage
    assert english(caught.value) == "Put a space after a closing quote."


def test_closing_quote_at_end_of_line_is_fine() -> None:
    assert values('say "a b"') == ["say", "a b"]


# --- clean_line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/committee list", "committee list"),
        ("!committee list", "committee list"),
        ("  / committee list  ", "committee list"),
        ("committee list", "committee list"),
        ("\ufeff!help", "help"),
        ("\u200bhelp\u200b", "help"),
        ("", ""),
        ("/", ""),
    ],
)
def test_clean_line_strips_the_prefix_and_edges(line: str, expected: str) -> None:
    assert clean_line(line) == expected


def test_clean_line_strips_only_one_prefix() -> None:
    assert clean_line("//help") == "/help"


def test_clean_line_normalises_to_nfc() -> None:
    decomposed = "e\u0301cole"  # "école" typed as e + combining accent
    assert clean_line(decomposed) == "\u00e9cole"


def test_clean_line_refuses_a_very_long_line() -> None:
    assert clean_line("a" * MAX_LINE) == "a" * MAX_LINE
    with pytest.raises(UserError):
        clean_line("a" * (MAX_LINE + 1))


# --- find_command -----------------------------------------------------------------------


def test_find_command_takes_the_longest_path() -> None:
    found, used = find_command(REG, tokenize("party guest add Ines"))
    assert found is spec_of(guest_add)
    assert used == 3


def test_find_command_two_words() -> None:
    found, used = find_command(REG, tokenize("party plan Lyon rue"))
    assert found is spec_of(plan)
    assert used == 2


def test_find_command_one_word() -> None:
    found, used = find_command(REG, tokenize("ping"))
    assert found is spec_of(ping)
    assert used == 1


def test_find_command_is_case_insensitive() -> None:
    found, used = find_command(REG, tokenize("PARTY Guest ADD x"))
    assert found is spec_of(guest_add)
    assert used == 3


def test_group_only_words_answer_the_group() -> None:
    found, used = find_command(REG, tokenize("party"))
    assert found == GroupOnly(("party",))
    assert used == 1
    found, _ = find_command(REG, tokenize("party nonsense"))
    assert found == GroupOnly(("party",))


def test_unknown_words_find_nothing() -> None:
    assert find_command(REG, tokenize("nonsense here")) == (None, 0)
    assert find_command(REG, []) == (None, 0)


def test_command_words_stop_at_a_quote_or_a_name() -> None:
    assert find_command(REG, tokenize('"party" plan')) == (None, 0)
    assert find_command(REG, tokenize("party=plan")) == (None, 0)
    found, used = find_command(REG, tokenize('party "plan" x'))
    assert found == GroupOnly(("party",))
    assert used == 1


def test_parse_unknown_command_is_a_user_error_naming_the_word() -> None:
    with pytest.raises(UserError) as caught:
        parse(REG, "nonsense here")
    assert "nonsense" in english(caught.value)
    assert not caught.value.usage


def test_parse_empty_line_is_a_user_error() -> None:
    with pytest.raises(UserError) as caught:
        parse(REG, "")
    assert "help" in english(caught.value)


def test_parse_returns_the_spec_and_raw_options() -> None:
    parsed = parse(REG, "party plan Lyon 'rue de la Paix' size=3")
    assert isinstance(parsed, Parsed)
    assert parsed.spec is spec_of(plan)
    assert parsed.raw == {"town": "Lyon", "street": "rue de la Paix", "size": "3"}


def test_parse_group_only() -> None:
    assert parse(REG, "PARTY") == GroupOnly(("party",))


def test_parse_real_registry() -> None:
    parsed = parse(REGISTRY, clean_line('/committee create "Lyon 3e" Lyon 69003 description=x'))
    assert isinstance(parsed, Parsed)
    assert parsed.spec.path == ("committee", "create")
    assert parsed.raw == {"name": "Lyon 3e", "place": "Lyon", "postal_code": "69003",
                          "description": "x"}


# --- bind -------------------------------------------------------------------------------


def test_positionals_fill_in_order() -> None:
    assert bound(plan, "Lyon Paix ici") == {"town": "Lyon", "street": "Paix", "note": "ici"}


def test_missing_positionals_are_simply_absent() -> None:
    # The dispatcher reports what is missing, with the usage.
    assert bound(plan, "Lyon") == {"town": "Lyon"}
    assert bound(plan, "") == {}


@pytest.mark.parametrize(
    "args",
    ["size=3 Lyon Paix", "Lyon size=3 Paix", "Lyon Paix size=3", "SIZE=3 Lyon Paix"],
)
def test_name_value_anywhere(args: str) -> None:
    assert bound(plan, args) == {"town": "Lyon", "street": "Paix", "size": "3"}


def test_a_positional_given_by_name_is_skipped_in_order() -> None:
    assert bound(plan, "town=Lyon Paix ici") == {"town": "Lyon", "street": "Paix", "note": "ici"}
    assert bound(plan, "street=Paix Lyon") == {"street": "Paix", "town": "Lyon"}


def test_unknown_option_name_is_refused_with_usage() -> None:
    with pytest.raises(UserError) as caught:
        bound(plan, "Lyon Paix colour=red")
    assert caught.value.usage
    assert english(caught.value) == "This command has no option called colour."


def test_option_given_twice_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        bound(plan, "Lyon Paix size=1 size=2")
    assert caught.value.usage
    assert english(caught.value) == "The option size is given twice."


def test_option_given_by_position_and_by_name_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        bound(plan, "Lyon Paix town=Paris")
    assert "town" in english(caught.value)


def test_too_many_words_is_refused_naming_the_word() -> None:
    with pytest.raises(UserError) as caught:
        bound(plan, "Lyon Paix ici là")
    assert caught.value.usage
    assert "“là”" in english(caught.value)


def test_a_command_without_options_refuses_any_word() -> None:
    with pytest.raises(UserError):
        bound(ping, "extra")
    assert bound(ping, "") == {}


def test_rest_takes_the_rest_of_the_line_as_typed() -> None:
    args = "ines   c'est  l'heure d'y aller,   vraiment !"
    assert bound(say, args) == {"who": "ines", "message": "c'est  l'heure d'y aller,   vraiment !"}


def test_rest_keeps_quotes_as_typed_when_several_words() -> None:
    args = "ines elle a dit \"oui\" puis « non »"
    assert bound(say, args)["message"] == "elle a dit \"oui\" puis « non »"


def test_rest_of_a_single_quoted_word_drops_the_quotes() -> None:
    assert bound(say, 'ines "à demain"')["message"] == "à demain"


def test_rest_stops_at_a_name_value() -> None:
    assert bound(say, "ines à  demain loud=yes") == {
        "who": "ines",
        "message": "à  demain",
        "loud": "yes",
    }
    assert bound(say, "loud=yes ines à  demain") == {
        "who": "ines",
        "message": "à  demain",
        "loud": "yes",
    }


def test_rest_followed_by_a_name_then_more_words_is_refused() -> None:
    with pytest.raises(UserError):
        bound(say, "ines bonjour loud=yes encore")


def test_rest_given_by_name_leaves_no_room_for_more_words() -> None:
    assert bound(say, 'ines message="à demain"') == {"who": "ines", "message": "à demain"}
    with pytest.raises(UserError):
        bound(say, 'message="à demain" ines encore')


def test_real_rest_option_with_a_page_after_the_query() -> None:
    parsed = parse(REGISTRY, "committee list croix rousse page=2")
    assert isinstance(parsed, Parsed)
    assert parsed.raw == {"query": "croix rousse", "page": "2"}


def test_token_is_a_frozen_value() -> None:
    token = Token("a", 0)
    with pytest.raises(AttributeError):
        token.value = "b"  # type: ignore[misc]


# --- properties -------------------------------------------------------------------------

COMMAND_WORDS = sorted({" ".join(spec.path) for spec in REGISTRY} | {"committee", "staff"})

lines_of_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    # Lines that start like a real command, so binding and quotes get exercised too.
    st.builds(
        lambda prefix, head, tail: f"{prefix}{head} {tail}",
        st.sampled_from(["", "/", "!", " ! "]),
        st.sampled_from(COMMAND_WORDS),
        st.text(alphabet=st.sampled_from(list("ab '\"“”«»=xé 12\t\u00a0\n")), max_size=40),
    ),
    # Very long lines, around the limit.
    st.builds(lambda chunk, count: chunk * count, st.text(min_size=1, max_size=4),
              st.integers(min_value=900, max_value=4200)),
)


def parse_or_refuse(text: str) -> Parsed | GroupOnly | UserError:
    """Anything but a UserError escapes, and fails the property."""
    try:
        return parse(REGISTRY, clean_line(text))
    except UserError as error:
        return error


@settings(max_examples=200, deadline=None)
@given(lines_of_text)
def test_any_text_parses_or_is_a_user_error(text: str) -> None:
    result = parse_or_refuse(text)
    if isinstance(result, UserError):
        assert render(result.message, RenderContext("en"))
        return
    assert isinstance(result, Parsed | GroupOnly)
    if isinstance(result, Parsed):
        assert set(result.raw) <= {option.name for option in result.spec.options}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Zs", "Cc", "Zl", "Zp"),
                                                exclude_characters="\"'“„«‘”=\u1680\u180e"),
                                min_size=1, max_size=8), max_size=6))
def test_plain_words_round_trip(words: list[str]) -> None:
    words = [word for word in words if word.split() == [word]]
    assert values(" ".join(words)) == words


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters='"'), max_size=60))
def test_any_double_quoted_text_is_one_word(inner: str) -> None:
    assert values(f'say "{inner}" end') == ["say", inner, "end"]
