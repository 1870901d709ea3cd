"""What a handler answers: text, buttons that are pre-filled commands, a file, a visibility."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from commands.i18n import Renderable


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A button is a command, written out in full: `action rsvp 42 going`."""

    label: Renderable
    command: str
    style: ButtonStyle = ButtonStyle.SECONDARY


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Reply:
    text: Renderable
    buttons: tuple[Button, ...] = ()
    file: Attachment | None = None
    private: bool = False
    # Set on refusals and failures, so a platform can style them apart.
    error: bool = False


def reply(
    text: Renderable,
    *buttons: Button,
    private: bool = False,
    file: Attachment | None = None,
) -> Reply:
    return Reply(text=text, buttons=tuple(buttons), private=private, file=file)
