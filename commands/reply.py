"""What a handler answers: text, buttons that are pre-filled commands, a file, a visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from commands.i18n import Lines, Renderable, RenderContext, lines

# The most questions one form asks (Discord's modals hold five inputs).
MAX_FORM_FIELDS = 5


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(slots=True)
class Button:
    """A button is a command, written out in full: `action rsvp 42 going`."""

    label: Renderable
    command: str
    style: ButtonStyle = ButtonStyle.SECONDARY
    # A form: options of the command to ask for before running it (`report 12` with
    # ("attendees", "leaflets", "notes")). Platforms with forms ask for these (a Discord
    # modal, five at most); the others show the command, to complete with name=value.
    form: tuple[str, ...] = ()


@dataclass(slots=True)
class Attachment:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(slots=True)
class ActionCard:
    """An action as a card, for platforms that draw one (a Discord embed); elsewhere, text.

    A card sits in a reply's text like any other piece (`lines(headline, card)`) and renders
    as its lines, so text platforms need nothing; `Reply.card` finds it for the others.
    """

    action_id: int
    title: Renderable
    starts_at: datetime
    ends_at: datetime
    location: str
    going: int
    maybe: int
    waitlist: int
    capacity: int | None
    cancelled: bool
    # The time, as text; a platform that shows times in each reader's zone draws its own.
    when: Renderable
    # The lines after the time: place, counts, details, who answered...
    body: tuple[Renderable, ...]
    footer: Renderable

    def render(self, ctx: RenderContext) -> str:
        return lines(self.title, self.when, *self.body, self.footer).render(ctx)


def split_card(text: Renderable) -> tuple[ActionCard | None, Renderable]:
    """The first card in a reply's text, and the text around it (the card taken out)."""
    if isinstance(text, ActionCard):
        return text, ""
    if isinstance(text, Lines):
        for index, part in enumerate(text.parts):
            found, rest = split_card(part)
            if found is not None:
                parts = (*text.parts[:index], rest, *text.parts[index + 1:])
                return found, Lines(parts, text.separator)
    return None, text


@dataclass(slots=True)
class Reply:
    text: Renderable
    buttons: tuple[Button, ...] = ()
    file: Attachment | None = None
    private: bool = False
    # Set on refusals and failures, so a platform can style them apart.
    error: bool = False

    @property
    def card(self) -> ActionCard | None:
        """The action card in the text, for platforms that draw cards."""
        return split_card(self.text)[0]


def reply(
    text: Renderable,
    *buttons: Button,
    private: bool = False,
    file: Attachment | None = None,
) -> Reply:
    return Reply(text=text, buttons=tuple(buttons), private=private, file=file)
