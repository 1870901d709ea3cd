"""The Matrix side of the commands: a committee is a room in the organisation's space.

The room is named after the committee, its topic is the description; leads and co-leads are
moderators (power level 50); joining invites the person; archiving makes the room read-only
and takes it out of the space. Everything the commands send goes through the messenger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

from nio import (
    AsyncClient,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomInviteResponse,
    RoomKickResponse,
    RoomPreset,
    RoomPutStateResponse,
)

from bot.config import MatrixConfig
from bot.platforms.matrix.api import MatrixError, call
from bot.platforms.matrix.messages import Messenger
from bot.platforms.matrix.render import NAME
from bot.platforms.matrix.rooms import Rooms
from commands.errors import PlatformError
from commands.i18n import _
from commands.ports import Outgoing
from storage.committees import Committee
from storage.users import User

log = logging.getLogger(__name__)

LEAD_LEVEL = 50
# Above every person: in an archived room nobody but the bot (its creator) may write.
READ_ONLY_LEVEL = 100
_USER_ID = re.compile(r"@[^:\s/]+:[A-Za-z0-9.\-\[\]:]+")
_LOCALPART = re.compile(r"@?([a-z0-9._=\-/+]+)")


class MatrixPort:
    name = NAME

    def __init__(self, client: AsyncClient, config: MatrixConfig, rooms: Rooms,
                 messenger: Messenger) -> None:
        self._client = client
        self._config = config
        self._rooms = rooms
        self._messenger = messenger

    def parse_user(self, token: str) -> str | None:
        """`@marc:example.org`, a matrix.to link, or `@marc` (on the bot's own server)."""
        text = unquote(token.strip().strip("<>"))
        text = text.removeprefix("https://matrix.to/#/")
        if _USER_ID.fullmatch(text):
            return text
        local = _LOCALPART.fullmatch(text.lower()) if text.startswith("@") else None
        return f"@{local[1]}:{self._rooms.server}" if local else None

    async def create_space(self, committee: Committee, founder: User) -> str:
        space_id = self._rooms.space_id
        via = [self._rooms.server]
        invite = [founder.platform_user_id] if founder.platform == NAME else []
        try:
            created = await call(f"create the room of {committee.slug}",
                                 lambda: self._client.room_create(
                                     name=committee.name,
                                     topic=committee.description or None,
                                     preset=RoomPreset.private_chat,
                                     invite=invite,
                                     initial_state=[
                                         {"type": "m.space.parent", "state_key": space_id,
                                          "content": {"via": via, "canonical": True}},
                                         {"type": "m.room.guest_access", "state_key": "",
                                          "content": {"guest_access": "forbidden"}},
                                     ],
                                 ), RoomCreateResponse)
            room_id = str(created.room_id)
            await self._put_state(space_id, "m.space.child", {"via": via}, room_id)
        except MatrixError as error:
            log.error("committee room for %s: %s", committee.slug, error)
            raise PlatformError(
                _("The Matrix room could not be created; try again in a moment.")
            ) from error
        return room_id

    async def update_space(self, space_id: str, committee: Committee) -> None:
        with _refused_as_platform_error():
            await self._put_state(space_id, "m.room.name", {"name": committee.name})
            await self._put_state(space_id, "m.room.topic", {"topic": committee.description})

    async def archive_space(self, space_id: str) -> None:
        with _refused_as_platform_error():
            await self._make_read_only(space_id)
            await self._put_state(self._rooms.space_id, "m.space.child", {}, space_id)
            await self._put_state(space_id, "m.space.parent", {}, self._rooms.space_id)

    async def _make_read_only(self, space_id: str) -> None:
        levels = await self._power_levels(space_id)
        users = levels.get("users")
        users = users if isinstance(users, dict) else {}
        # Only the bot keeps its level (older room versions list the creator; v12 does not).
        levels["users"] = {user: level for user, level in users.items()
                           if user == self._config.user_id}
        for key in ("events_default", "state_default", "invite"):
            levels[key] = max(int(levels.get(key, 0)), READ_ONLY_LEVEL)
        await self._put_state(space_id, "m.room.power_levels", levels)

    async def add_member(self, space_id: str, user: User) -> None:
        if user.platform != NAME:
            return
        response = await self._client.room_invite(space_id, user.platform_user_id)
        if not isinstance(response, RoomInviteResponse):
            # Already in the room, or already invited: nothing to do, but say so in the log.
            log.info("invite %s to %s: %s", user.platform_user_id, space_id, response)

    async def remove_member(self, space_id: str, user: User) -> None:
        if user.platform != NAME:
            return
        response = await self._client.room_kick(space_id, user.platform_user_id)
        if not isinstance(response, RoomKickResponse):
            log.info("remove %s from %s: %s", user.platform_user_id, space_id, response)

    async def set_lead(self, space_id: str, user: User, lead: bool) -> None:
        # The bot is the rooms' creator: in room version 12 it must never be listed.
        if user.platform != NAME or user.platform_user_id == self._config.user_id:
            return
        with _refused_as_platform_error():
            levels = await self._power_levels(space_id)
            users = dict(levels.get("users") or {})
            if lead:
                users[user.platform_user_id] = LEAD_LEVEL
            else:
                users.pop(user.platform_user_id, None)
            levels["users"] = users
            await self._put_state(space_id, "m.room.power_levels", levels)

    async def post(self, space_id: str, message: Outgoing) -> None:
        self._messenger.send(space_id, message, public=True)

    async def send_direct(self, user: User, message: Outgoing) -> bool:
        if user.platform != NAME:
            return False
        room_id = await self._rooms.direct_room(user.platform_user_id)
        if room_id is None:
            return False
        self._messenger.send(room_id, message, public=False)
        return True

    async def post_staff(self, message: Outgoing) -> None:
        if self._config.staff_room_id is None:
            log.info("no [matrix] staff_room_id: a staff message is not posted on Matrix")
            return
        self._messenger.send(self._config.staff_room_id, message, public=False)

    async def _power_levels(self, room_id: str) -> dict[str, Any]:
        response = await call(f"read the power levels of {room_id}",
                              lambda: self._client.room_get_state_event(
                                  room_id, "m.room.power_levels"),
                              RoomGetStateEventResponse)
        return dict(response.content)

    async def _put_state(self, room_id: str, event_type: str, content: dict[str, Any],
                         state_key: str = "") -> None:
        await call(f"set {event_type} in {room_id}",
                   lambda: self._client.room_put_state(room_id, event_type, content,
                                                       state_key=state_key),
                   RoomPutStateResponse)


@contextmanager
def _refused_as_platform_error() -> Iterator[None]:
    try:
        yield
    except MatrixError as error:
        log.error("%s", error)
        raise PlatformError(
            _("The Matrix homeserver did not make the change; try again in a moment.")
        ) from error
