"""French names of the slash commands' groups, subcommands and options.

Commands are declared in English (`commands/`); Discord shows these names to people whose
client is in French, through the tree's translator. Discord still sends the English names
back (`data.options[].name`), so nothing else depends on this table. A word is translated the
same wherever it appears (`committee` the group and `committee` the option). Every word of
the registry needs one: a test fails on a new command until its words are here.
"""

from __future__ import annotations

import re

# Words of the commands' paths (groups and subcommands).
COMMANDS = {
    "action": "action",
    "announce": "annoncer",
    "archive": "archiver",
    "audit": "journal",
    "calendar": "calendrier",
    "campaign": "campagne",
    "cancel": "annuler",
    "checkin": "présence",
    "committee": "comité",
    "create": "créer",
    "demote": "rétrograder",
    "digest": "bilan",
    "edit": "modifier",
    "export": "exporter",
    "flag": "signaler",
    "flags": "signalements",
    "forget": "oublier",
    "get": "obtenir",
    "handover": "passer-la-main",
    "help": "aide",
    "info": "infos",
    "join": "rejoindre",
    "keep": "garder",
    "lang": "langue",
    "leave": "quitter",
    "list": "liste",
    "material": "document",
    "privacy": "vie-privée",
    "promote": "promouvoir",
    "remove": "retirer",
    "report": "compte-rendu",
    "restore": "rétablir",
    "rsvp": "répondre",
    "schedule": "programmer",
    "share": "partager",
    "staff": "équipe",
    "suspend": "suspendre",
}

# Option names (and the file options the tree adds: `attachment`, `attachment2`…).
OPTIONS = {
    "action": "action",
    "actions": "actions",
    "answer": "réponse",
    "attachment": "pièce_jointe",
    "attendees": "participants",
    "calls": "appels",
    "calls_answered": "appels_décrochés",
    "calls_made": "appels_passés",
    "campaign": "campagne",
    "capacity": "places",
    "committee": "comité",
    "confirm": "confirmer",
    "contacts": "contacts",
    "conversations": "conversations",
    "date": "date",
    "departement": "département",
    "description": "description",
    "details": "détails",
    "doors": "portes",
    "doors_knocked": "portes_frappées",
    "doors_opened": "portes_ouvertes",
    "duration": "durée",
    "end": "fin",
    "id": "id",
    "item": "élément",
    "kind": "type",
    "language": "langue",
    "leaflets": "tracts",
    "locale": "langue",
    "member": "membre",
    "members": "membres",
    "name": "nom",
    "national": "national",
    "near": "près_de",
    "new_members": "nouveaux_membres",
    "notes": "notes",
    "page": "page",
    "period": "période",
    "place": "lieu",
    "postal_code": "code_postal",
    "posters": "affiches",
    "query": "recherche",
    "reason": "raison",
    "repeat": "répétition",
    "scope": "portée",
    "start": "début",
    "tag": "étiquette",
    "tags": "étiquettes",
    "target": "cible",
    "text": "texte",
    "title": "titre",
    "topic": "sujet",
    "until": "jusqu_au",
    "url": "url",
    "when": "quand",
    "where": "où",
}

# `attachment2` is `pièce_jointe2`: a numbered option keeps its number.
_NUMBERED = re.compile(r"^(?P<word>.*?)(?P<number>\d+)$")


def french_command(word: str) -> str | None:
    """The French name of a group or subcommand, None when it has none."""
    return COMMANDS.get(word)


def french_option(name: str) -> str | None:
    """The French name of an option, None when it has none."""
    if name in OPTIONS:
        return OPTIONS[name]
    numbered = _NUMBERED.match(name)
    if numbered is not None and numbered["word"] in OPTIONS:
        return OPTIONS[numbered["word"]] + numbered["number"]
    return None
