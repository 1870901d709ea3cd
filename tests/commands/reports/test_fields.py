"""The fields table itself: every kind covered, the command declares every field, examples
that pass the checks."""

from __future__ import annotations

import pytest

from commands.actions.kinds import ActionKind
from commands.errors import UserError
from commands.i18n import RenderContext, render
from commands.reports.fields import AT_MOST, FIELDS, KIND_FIELDS, fields_of, names_of, validate
from commands.spec import REGISTRY, Kind
from storage.reports import COUNTS


def test_every_kind_has_its_fields_and_attendees_first() -> None:
    assert set(KIND_FIELDS) == set(ActionKind)
    for kind in ActionKind:
        assert names_of(kind)[0] == "attendees"
        assert set(names_of(kind)) <= set(FIELDS)
        for smaller, larger in AT_MOST.get(kind, ()):
            assert {smaller, larger} <= set(names_of(kind)), (kind, smaller, larger)


def test_the_fields_are_the_reports_columns() -> None:
    assert tuple(FIELDS) == COUNTS


def test_the_command_declares_every_field_as_a_bounded_whole_number() -> None:
    spec = REGISTRY.get(("report",))
    assert spec is not None
    assert [option.name for option in spec.options] == ["action", *FIELDS, "notes"]
    for option in spec.options[1:-1]:
        assert option.kind is Kind.INTEGER
        assert not option.required
        assert (option.min, option.max) == (0, FIELDS[option.name].maximum)
    notes = spec.options[-1]
    assert (notes.kind, notes.max_length) == (Kind.TEXT, 2_000)


def test_the_bounds() -> None:
    assert {name: field.maximum for name, field in FIELDS.items()} == {
        "attendees": 2_000, "doors_knocked": 5_000, "doors_opened": 5_000,
        "conversations": 5_000, "contacts": 5_000, "leaflets": 50_000, "calls_made": 5_000,
        "calls_answered": 5_000, "posters": 5_000, "new_members": 2_000,
    }


@pytest.mark.parametrize("kind", list(ActionKind))
def test_each_kinds_example_is_valid(kind: ActionKind) -> None:
    validate(kind, {field.name: field.example for field in fields_of(kind)})


def test_a_figure_past_its_bound_is_refused_even_without_the_dispatcher() -> None:
    with pytest.raises(UserError) as refused:
        validate(ActionKind.LEAFLETING, {"attendees": 6, "leaflets": 50_001})
    text = render(refused.value.message, RenderContext("en"))
    assert "leaflets handed out (50,001) is more than one action can plausibly count" in text
