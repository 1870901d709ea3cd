"""French postal codes and the départements they belong to."""

from __future__ import annotations

from commands.errors import UserError
from commands.i18n import _

OVERSEAS = frozenset({"971", "972", "973", "974", "975", "976"})


def departement_of(postal_code: str) -> str | None:
    """'69004' → '69'; Corsica '20000' → '2A', '20200' → '2B'; '97400' → '974'."""
    if len(postal_code) != 5 or not postal_code.isascii() or not postal_code.isdigit():
        return None
    prefix = postal_code[:2]
    if prefix == "20":
        third = int(postal_code[2])
        if third <= 1:
            return "2A"
        if third <= 6:
            return "2B"
        return None
    if prefix == "97":
        code = postal_code[:3]
        return code if code in OVERSEAS else None
    if prefix == "00" or int(prefix) > 95:
        return None
    return prefix


def parse_postal_code(value: str) -> tuple[str, str]:
    """A postal code and its département, or a clear refusal."""
    code = value.strip().replace(" ", "")
    departement = departement_of(code)
    if departement is None:
        raise UserError(
            _("“{value}” is not a French postal code: five digits, like 69004.").format(
                value=value[:20]
            )
        )
    return code, departement


def parse_area(value: str) -> tuple[str | None, str]:
    """`near=`: a postal code, or a département alone ('69', '2A', '974')."""
    area = value.strip().upper().replace(" ", "")
    if len(area) == 5:
        postal_code, departement = parse_postal_code(area)
        return postal_code, departement
    if area in ("2A", "2B") or area in OVERSEAS:
        return None, area
    if len(area) == 2 and area.isdigit() and area != "00" and (int(area) <= 95) and area != "20":
        return None, area
    raise UserError(
        _("“{value}” is neither a postal code (69004) nor a département (69, 2A, 974).").format(
            value=value[:20]
        )
    )
