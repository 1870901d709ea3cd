"""The kinds of field action, their names in French and English."""

from __future__ import annotations

from enum import StrEnum

from commands.i18n import Choice, Text, _


class ActionKind(StrEnum):
    DOOR_TO_DOOR = "door_to_door"
    LEAFLETING = "leafleting"
    PHONE_BANK = "phone_bank"
    POSTERING = "postering"
    MEETING = "meeting"
    ONLINE = "online"
    OTHER = "other"

    @property
    def label(self) -> Text:
        """The kind as people call it: "leafleting", "tractage"."""
        return LABELS[self]

    @classmethod
    def _missing_(cls, value: object) -> ActionKind | None:
        key = str(value).lower().replace("’", "'").strip()
        code = ALIASES.get(key) or ALIASES.get(key.replace("-", " ").replace("_", " "))
        return None if code is None else cls(code)


ALIASES = {
    "porte à porte": "door_to_door", "porte a porte": "door_to_door", "pap": "door_to_door",
    "door to door": "door_to_door", "canvassing": "door_to_door", "porte-à-porte": "door_to_door",
    "tractage": "leafleting", "tract": "leafleting", "leaflet": "leafleting",
    "leaflets": "leafleting", "distribution": "leafleting",
    "phoning": "phone_bank", "phone bank": "phone_bank", "phonebank": "phone_bank",
    "appels": "phone_bank", "calls": "phone_bank",
    "collage": "postering", "affichage": "postering", "posters": "postering",
    "réunion": "meeting", "reunion": "meeting", "assemblée": "meeting",
    "en ligne": "online", "visio": "online", "webinaire": "online", "webinar": "online",
    "autre": "other",
}

LABELS: dict[str, Text] = {
    ActionKind.DOOR_TO_DOOR: _("door-to-door"),
    ActionKind.LEAFLETING: _("leafleting"),
    ActionKind.PHONE_BANK: _("phone bank"),
    ActionKind.POSTERING: _("postering"),
    ActionKind.MEETING: _("meeting"),
    ActionKind.ONLINE: _("online"),
    ActionKind.OTHER: _("other"),
}

# Campaigning in public places: forbidden during an electoral silence period.
PUBLIC_FIELD_WORK = frozenset({ActionKind.DOOR_TO_DOOR, ActionKind.LEAFLETING,
                               ActionKind.POSTERING})


def kind_label(kind: str) -> Choice:
    return Choice(kind, LABELS)
