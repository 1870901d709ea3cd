"""Action cards on Matrix: a reaction under a card answers for its action, and the card is
edited (`m.replace`) to show the answers as they change."""

from __future__ import annotations

import logging

from bot.platforms.matrix import render
from bot.platforms.matrix.messages import Messenger
from bot.platforms.matrix.state import CardRef, MatrixState
from commands.actions.card import card
from commands.notify import committee_locale
from commands.permissions import Role
from commands.services import Services

log = logging.getLogger(__name__)


class Cards:
    def __init__(self, services: Services, state: MatrixState, messenger: Messenger) -> None:
        self._services = services
        self._state = state
        self._messenger = messenger

    async def command_for_reaction(self, event_id: str, key: str) -> tuple[CardRef, str] | None:
        """The `action rsvp` command a reaction stands for, when it is under a card."""
        answer = render.answer_of(key)
        if answer is None:
            return None
        found = await self._state.card(event_id)
        if found is None:
            return None
        return found, render.rsvp_command(found.action_id, answer)

    async def refresh(self, action_id: int) -> None:
        """Edit every card of the action posted for everyone to what it shows now."""
        posted = await self._state.cards_of(action_id)
        if not posted:
            return
        repos = self._services.repos
        action = await repos.actions.get(action_id)
        committee = await repos.committees.get(action.committee_id) if action else None
        if action is None or committee is None:
            return
        # The public view: no details, no attendee list, whoever's answer changed it.
        shown = await card(self._services, action, committee, viewer=None, role=Role.MEMBER,
                           is_staff=False)
        locale = committee_locale(self._services, committee)
        for posted_card in posted:
            self._messenger.edit_card(posted_card, shown, locale)
