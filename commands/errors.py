"""The one error a user ever sees: a sentence in their language, and nothing changed."""

from __future__ import annotations

from commands.i18n import Renderable


class UserError(Exception):
    """A refusal or a mistake the user can fix. The unit of work is rolled back."""

    def __init__(self, message: Renderable, *, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        # The command whose usage to show, when known where the error is raised.
        self.command: object | None = None


class PlatformError(Exception):
    """A platform could not do what a handler asked; carries a user-facing sentence."""

    def __init__(self, message: Renderable) -> None:
        super().__init__(message)
        self.message = message
