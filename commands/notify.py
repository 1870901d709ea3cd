"""Sending to people and places other than the one a command came from."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from commands.i18n import _, mention
from commands.ports import Outgoing
from commands.reply import Reply
from commands.services import Services
from storage.committees import Committee
from storage.users import User

log = logging.getLogger(__name__)


def committee_locale(services: Services, committee: Committee) -> str:
    return committee.locale or services.settings.organisation.locale


def user_locale(services: Services, user: User, committee: Committee | None = None) -> str:
    if user.locale:
        return user.locale
    if committee is not None:
        return committee_locale(services, committee)
    return services.settings.organisation.locale


async def post_to_committee(
    services: Services, committee: Committee, reply: Reply, ping: tuple[User, ...] = (),
    *, spaces: Mapping[str, str] | None = None,
) -> None:
    """Post in the committee's space on every platform where it has one (`spaces`, when
    the caller has just read them)."""
    if spaces is None:
        spaces = await services.repos.committees.spaces_of(committee.id)
    message = Outgoing(reply, committee_locale(services, committee), ping)
    for platform, space_id in sorted(spaces.items()):
        port = services.port(platform)
        if port is not None:
            await port.post(space_id, message)


async def send_direct(
    services: Services,
    user: User,
    reply: Reply,
    committee: Committee | None = None,
    *,
    public: Reply | None = None,
) -> bool:
    """A private message; when the person cannot get one, a note in the committee's space.

    The note pings only them. It is `public` when given (a version safe for everyone to
    read), else a short pointer: a private message may hold a door code or a call list.
    """
    port = services.port(user.platform)
    if port is None:
        log.warning("no %s platform running to reach user %s", user.platform, user.id)
        return False
    if await port.send_direct(user, Outgoing(reply, user_locale(services, user, committee))):
        return True
    if committee is None:
        return False
    space_id = await services.repos.committees.space_of(committee.id, user.platform)
    if space_id is None:
        return False
    note = public or Reply(
        _("{who}, I could not send you a private message: please allow direct messages from"
          " me, then ask again.").format(who=mention(user))
    )
    await port.post(space_id, Outgoing(note, committee_locale(services, committee), (user,)))
    return True


async def post_staff(services: Services, reply: Reply) -> None:
    message = Outgoing(reply, services.settings.organisation.locale)
    for _name, port in sorted(services.ports.items()):
        await port.post_staff(message)
