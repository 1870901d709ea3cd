"""Autocomplete for committee and action ids: the person's own first, then the rest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from babel.dates import format_datetime

from bot.platforms.discord.users import NAME
from commands.committees.naming import fold
from commands.i18n import LOCALES, normalise_locale
from commands.services import Services
from storage.actions import Action, ActionStatus
from storage.committees import Committee

LIMIT = 25


class Suggestions:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def committees(
        self, interaction: discord.Interaction, current: str
    ) -> list[tuple[str, str]]:
        wanted = fold(current.lstrip("#"))
        found: dict[int, Committee] = {
            committee.id: committee for committee in await self._own(interaction)
            if not wanted or wanted in committee.search_key or wanted in committee.slug
        }
        page = await self.services.repos.committees.search(
            postal_code=None, departement=None, query_key=wanted or None, limit=LIMIT, offset=0)
        for listing in page.listings:
            found.setdefault(listing.committee.id, listing.committee)
        return [(f"{c.name} — {c.place} ({c.postal_code})", c.slug)
                for c in list(found.values())[:LIMIT]]

    async def actions(
        self, interaction: discord.Interaction, current: str
    ) -> list[tuple[str, str]]:
        """Coming actions of the committee typed in, and of the person's committees."""
        repos = self.services.repos
        now = self.services.clock.now()
        wanted = fold(current.lstrip("#"))
        actions: list[tuple[Action, Committee]] = []
        for committee in await self._own(interaction):
            for action in await repos.actions.of_committee(committee.id, upcoming=True, now=now,
                                                            limit=LIMIT):
                if action.status is ActionStatus.SCHEDULED and (
                        not wanted or str(action.id).startswith(wanted)
                        or wanted in fold(action.title)):
                    actions.append((action, committee))
        actions.sort(key=lambda pair: (pair[0].starts_at, pair[0].id))
        locale = self._locale(interaction)
        return [(f"{action.id} · {action.title} · {_when(action.starts_at, committee, locale)}",
                 str(action.id)) for action, committee in actions[:LIMIT]]

    async def _own(self, interaction: discord.Interaction) -> list[Committee]:
        """The committee whose channel this is, then those the person belongs to."""
        repos = self.services.repos
        found: dict[int, Committee] = {}
        if interaction.channel_id is not None:
            here = await repos.committees.by_space(NAME, str(interaction.channel_id))
            if here is not None:
                found[here.id] = here
        user = await repos.users.find(NAME, str(interaction.user.id))
        if user is not None:
            for membership in await repos.memberships.of_user(user.id):
                if membership.committee_id not in found:
                    committee = await repos.committees.get(membership.committee_id)
                    if committee is not None:
                        found[committee.id] = committee
        return list(found.values())

    def _locale(self, interaction: discord.Interaction) -> str:
        locale = normalise_locale(interaction.locale.value)
        return locale if locale in LOCALES else self.services.settings.organisation.locale


def _when(moment: datetime, committee: Committee, locale: str) -> str:
    return format_datetime(moment, "EEE d MMM HH:mm", tzinfo=ZoneInfo(committee.timezone),
                           locale=locale)
