"""Made-up towns on real French postal codes, so `near=` finds neighbours as it would."""

from __future__ import annotations

import random
from dataclasses import dataclass

from commands.places import OVERSEAS, departement_of

START = ("Saint-", "Sainte-", "Le ", "La ", "Les ", "", "", "", "", "")
ROOTS = ("Mar", "Bel", "Vil", "Mont", "Roche", "Font", "Beau", "Cham", "Val", "Ville", "Bourg",
         "Châtel", "Pont", "Cler", "Ber", "Lan", "Sauve", "Mir", "Gré", "Aube", "Cor", "Ros")
ENDS = ("ville", "mont", "court", "vaux", "ac", "an", "ay", "ières", "eux", "igny", "ans",
        "ange", "el", "ois", "on", "oux", "ières-sur-Loire", "y-le-Haut", "ès", "ain")
QUARTERS = ("Centre", "Nord", "Sud", "Est", "Ouest", "Gare", "Vieille-Ville", "Les Halles",
            "Croix-Rousse", "Bellevue", "Les Pentes", "Saint-Jean", "La Plaine", "Le Port",
            "Les Coteaux", "Le Marché", "Quartier Neuf", "Les Tilleuls")
# Cities counted by arrondissement: more committees there, as in life.
CITIES = {"75": ("Paris", 20), "69": ("Lyon", 9), "13": ("Marseille", 16)}


@dataclass(frozen=True)
class Town:
    postal_code: str
    departement: str
    name: str
    weight: float


def _town_name(rng: random.Random) -> str:
    return f"{rng.choice(START)}{rng.choice(ROOTS)}{rng.choice(ENDS)}"


def _departements() -> list[str]:
    codes = [f"{n:02d}" for n in range(1, 96) if n != 20]
    return [*codes, "2A", "2B", *sorted(OVERSEAS - {"975"})]


def _codes_of(departement: str, rng: random.Random) -> list[str]:
    if departement == "2A":
        return [f"20{n:03d}" for n in (0, 90, 100, 110, 117, 128, 137, 140, 160, 167, 170)]
    if departement == "2B":
        return [f"20{n:03d}" for n in (200, 213, 214, 220, 230, 240, 250, 260, 270, 290, 600)]
    if departement in OVERSEAS:
        return [f"{departement}{n:02d}" for n in rng.sample(range(0, 100, 10), 8)]
    return [f"{departement}{n:03d}" for n in rng.sample(range(10, 1000, 10), 40)]


def towns(rng: random.Random) -> list[Town]:
    """Every postal code committees may use, with a weight for how many live there."""
    found: list[Town] = []
    for departement in _departements():
        city = CITIES.get(departement)
        if city is not None:
            name, arrondissements = city
            for n in range(1, arrondissements + 1):
                code = f"{departement}{n:03d}"
                found.append(Town(code, departement, f"{name} {n}e", 6.0))
        taken = {town.postal_code for town in found}
        for code in _codes_of(departement, rng):
            if code in taken:
                continue
            assert departement_of(code) == departement, code
            found.append(Town(code, departement, _town_name(rng), rng.uniform(0.3, 1.5)))
    return found


def quarter(rng: random.Random) -> str:
    return rng.choice(QUARTERS)
