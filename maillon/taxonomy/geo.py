"""Postal code helpers for French addresses (pure Python, no Django dependency).

A French postal code has five digits. Its first digits *usually* identify the department, which is
what :func:`department_code_for_postal_code` relies on. This is an approximation:

* a few delivery areas straddle a department border, so some communes carry a postal code that
  starts with a neighbouring department's number (e.g. 05110, 05130 and 05160 also serve communes
  of Alpes-de-Haute-Provence (04), 42620 serves communes of Allier (03), 33220 serves a commune of
  Dordogne (24)). Those communes are attributed to the department of the postal code prefix;
* CEDEX codes follow the same prefix rule and are handled like ordinary postal codes.

An exact answer requires the commune (INSEE code), not the postal code; these helpers are meant for
statistics and default values, never for legal purposes.
"""

from __future__ import annotations

import re

__all__ = [
    "department_code_for_postal_code",
    "is_valid_postal_code",
    "normalise_postal_code",
]

_POSTAL_CODE_RE = re.compile(r"[0-9]{5}")
_WHITESPACE_RE = re.compile(r"\s+")

# Metropolitan departments numbered 01..95; 20 was split into 2A and 2B (handled separately).
_METROPOLITAN_CODES = frozenset(f"{number:02d}" for number in range(1, 96) if number != 20)

# Overseas departments. 975 (Saint-Pierre-et-Miquelon), 977 (Saint-Barthélemy) and
# 978 (Saint-Martin) are overseas collectivities, not departments.
_OVERSEAS_CODES = frozenset({"971", "972", "973", "974", "976"})

# Saint-Barthélemy and Saint-Martin still use postal codes of the Guadeloupe range although they
# have not been part of that department since 2007.
_NON_DEPARTMENT_POSTAL_CODES = frozenset({"97133", "97150"})

# Corsica: 200xx and 201xx belong to Corse-du-Sud, 202xx and above to Haute-Corse.
_CORSE_DU_SUD_MAX = 20199


def normalise_postal_code(value: str | None) -> str:
    """Return ``value`` without any whitespace (``" 75 001 "`` -> ``"75001"``).

    Other characters are kept so that :func:`is_valid_postal_code` can reject them.
    """
    if not value:
        return ""
    return _WHITESPACE_RE.sub("", value)


def is_valid_postal_code(value: str | None) -> bool:
    """Tell whether ``value`` is made of exactly five ASCII digits once whitespace is removed.

    This is a format check only: a well-formed code may still map to no department
    (see :func:`department_code_for_postal_code`).
    """
    return _POSTAL_CODE_RE.fullmatch(normalise_postal_code(value)) is not None


def department_code_for_postal_code(postal_code: str | None) -> str | None:
    """Return the department code (``"75"``, ``"2A"``, ``"974"``...) for a French postal code.

    Returns ``None`` for malformed input and for codes outside the 101 departments: Monaco (980xx),
    overseas collectivities (975xx, 977xx, 978xx, 98xxx, plus 97133 Saint-Barthélemy and
    97150 Saint-Martin) and unused prefixes (00, 96...). See the module docstring for the
    limits of the prefix rule.
    """
    code = normalise_postal_code(postal_code)
    if _POSTAL_CODE_RE.fullmatch(code) is None:
        return None

    if code.startswith("97"):
        if code in _NON_DEPARTMENT_POSTAL_CODES:
            return None
        prefix = code[:3]
        return prefix if prefix in _OVERSEAS_CODES else None

    prefix = code[:2]
    if prefix == "20":
        return "2A" if int(code) <= _CORSE_DU_SUD_MAX else "2B"
    return prefix if prefix in _METROPOLITAN_CODES else None
