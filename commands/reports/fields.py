"""What a report counts for each kind of action, how each count reads, and what is plausible.

Every report has attendees and notes; the rest depends on the kind (door-to-door counts
doors, leafleting counts leaflets...). The bounds are what one local action can plausibly
reach: a figure past them is a typo (an extra zero) far more often than a feat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from commands.actions.kinds import ActionKind, kind_label
from commands.errors import UserError
from commands.i18n import Number, Plural, Renderable, Text, _, join, lines, plural
from commands.spec import Param

NOTES_MAX = 2_000


@dataclass(frozen=True)
class Field:
    name: str
    # In sentences and lists: "leaflets handed out".
    label: Text
    # In a summary: "1,200 leaflets".
    one: Text
    other: Text
    maximum: int
    # The value the examples show (`report 12 leaflets=1200 ...`).
    example: int
    # The option's help (Discord shows it under the option; `help report` lists it).
    description: Text

    def count(self, value: int) -> Plural:
        return plural(value, self.one, self.other)

    @property
    def param(self) -> Param:
        return Param(self.description, min=0, max=self.maximum)


FIELDS: dict[str, Field] = {field.name: field for field in (
    Field("attendees", _("people who came"), _("{count} person"), _("{count} people"),
          2_000, 6,
          _("how many people came (on a first report, those who checked in if not said)")),
    Field("doors_knocked", _("doors knocked"), _("{count} door knocked"),
          _("{count} doors knocked"), 5_000, 120, _("door-to-door: doors knocked")),
    Field("doors_opened", _("doors opened"), _("{count} door opened"),
          _("{count} doors opened"), 5_000, 45, _("door-to-door: doors opened")),
    Field("conversations", _("conversations"), _("{count} conversation"),
          _("{count} conversations"), 5_000, 30,
          _("door-to-door, leafleting, phone bank: conversations held")),
    Field("contacts", _("contacts collected"), _("{count} contact collected"),
          _("{count} contacts collected"), 5_000, 8, _("door-to-door: contacts collected")),
    Field("leaflets", _("leaflets handed out"), _("{count} leaflet"), _("{count} leaflets"),
          50_000, 1_200, _("leafleting: leaflets handed out")),
    Field("calls_made", _("calls made"), _("{count} call made"), _("{count} calls made"),
          5_000, 150, _("phone bank: calls made")),
    Field("calls_answered", _("calls answered"), _("{count} call answered"),
          _("{count} calls answered"), 5_000, 60, _("phone bank: calls answered")),
    Field("posters", _("posters put up"), _("{count} poster"), _("{count} posters"),
          5_000, 40, _("postering: posters put up")),
    Field("new_members", _("new members"), _("{count} new member"), _("{count} new members"),
          2_000, 2, _("meeting: new members")),
)}

# Besides attendees, which every kind counts.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ActionKind.DOOR_TO_DOOR: ("doors_knocked", "doors_opened", "conversations", "contacts"),
    ActionKind.LEAFLETING: ("leaflets", "conversations"),
    ActionKind.PHONE_BANK: ("calls_made", "calls_answered", "conversations"),
    ActionKind.POSTERING: ("posters",),
    ActionKind.MEETING: ("new_members",),
    ActionKind.ONLINE: (),
    ActionKind.OTHER: (),
}

# (smaller, larger): one cannot exceed the other, for that kind of action.
AT_MOST: dict[str, tuple[tuple[str, str], ...]] = {
    ActionKind.DOOR_TO_DOOR: (("doors_opened", "doors_knocked"),
                              ("conversations", "doors_opened")),
    ActionKind.PHONE_BANK: (("calls_answered", "calls_made"),
                            ("conversations", "calls_answered")),
    ActionKind.MEETING: (("new_members", "attendees"),),
}


def fields_of(kind: str) -> tuple[Field, ...]:
    """What a report on this kind of action counts, attendees first."""
    return tuple(FIELDS[name] for name in ("attendees", *KIND_FIELDS.get(kind, ())))


def names_of(kind: str) -> tuple[str, ...]:
    return tuple(field.name for field in fields_of(kind))


def example(action_id: int, kind: str) -> str:
    """A report line to copy: `report 12 attendees=6 leaflets=1200 conversations=40`."""
    values = " ".join(f"{field.name}={field.example}" for field in fields_of(kind))
    return f"report {action_id} {values}"


def guide(action_id: int, kind: str) -> Renderable:
    """What this report takes, and a line to start from."""
    return lines(
        _("Report fields for {kind}: {names}, and notes=\"…\" for the rest.").format(
            kind=kind_label(kind), names=", ".join(names_of(kind))),
        _("For example: {example}").format(example=example(action_id, kind)),
    )


def refuse_foreign(action_id: int, kind: str, given: Mapping[str, int]) -> None:
    """Refuse counts that this kind of action does not take, saying which it does."""
    foreign = [name for name in given if name not in names_of(kind)]
    if foreign:
        raise UserError(lines(
            _("Reports for {kind} do not count {names}.").format(
                kind=kind_label(kind), names=", ".join(foreign)),
            guide(action_id, kind),
        ))


def validate(kind: str, figures: Mapping[str, int]) -> None:
    """Whole, plausible and consistent figures (all of the report's, after an edit)."""
    for name, value in figures.items():
        field = FIELDS[name]
        if value > field.maximum:  # below 0 is refused when the option is read
            raise UserError(lines(
                _("Check the figures: {label} ({value}) is more than one action can"
                  " plausibly count (at most {limit}).").format(
                    label=field.label, value=Number(value), limit=Number(field.maximum)),
                _("Nothing was recorded."),
            ))
    for smaller, larger in AT_MOST.get(kind, ()):
        low, high = figures.get(smaller), figures.get(larger)
        if low is not None and high is not None and low > high:
            raise UserError(lines(
                _("Check the figures: {smaller} ({low}) cannot be more than {larger}"
                  " ({high}).").format(
                    smaller=FIELDS[smaller].label, low=Number(low),
                    larger=FIELDS[larger].label, high=Number(high)),
                _("Nothing was recorded."),
            ))


def summary(kind: str, figures: Mapping[str, int]) -> Renderable:
    """"6 people, 1,200 leaflets, 40 conversations", in the order the kind lists them."""
    order = [*names_of(kind), *FIELDS]
    return join([FIELDS[name].count(figures[name]) for name in dict.fromkeys(order)
                 if name in figures], separator=", ")
