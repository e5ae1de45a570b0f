"""The reference lists as form choices, per language, kept in memory.

Search forms show them on every page; they change only through a data migration or
the admin. Saving or deleting a row clears this process's copy; other processes see
the change within ``TTL`` seconds.
"""

from __future__ import annotations

import time

from django.utils import translation

TTL = 600
_cache: dict[tuple[str, str], tuple[float, object]] = {}


def clear(**_kwargs) -> None:
    _cache.clear()


def _cached(kind: str, build) -> list[tuple[str, str]]:
    key = (kind, translation.get_language() or "fr")
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    choices = build()
    _cache[key] = (now, choices)
    return choices


def department_choices() -> list[tuple[str, str]]:
    from .models import Department

    return _cached(
        "department", lambda: [(d.code, str(d)) for d in Department.objects.order_by("code")]
    )


def skill_choices() -> list[tuple[str, str]]:
    from .models import Skill

    return _cached(
        "skill", lambda: [(s.code, s.label) for s in Skill.objects.order_by("position", "code")]
    )


def cause_choices() -> list[tuple[str, str]]:
    from .models import Cause

    return _cached(
        "cause", lambda: [(c.code, c.label) for c in Cause.objects.order_by("position", "code")]
    )


def ids_by_code(kind: str) -> dict[str, int]:
    """{code: id} of a list ("department", "skill" or "cause"): filters then use the
    foreign key's own index instead of joining the list to read its code."""
    from .models import Cause, Department, Skill

    model = {"department": Department, "skill": Skill, "cause": Cause}[kind]
    key = ("ids", kind)
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    ids = dict(model.objects.values_list("code", "id"))
    _cache[key] = (now, ids)
    return ids


def skill_labels_by_id() -> dict[int, tuple[str, str, int]]:
    """{skill id: (French label, English label, sort key)}."""
    from .models import Skill

    key = ("labels", "skill")
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    labels = {
        pk: (fr, en, (position, code))
        for pk, fr, en, position, code in Skill.objects.values_list(
            "id", "label_fr", "label_en", "position", "code"
        )
    }
    _cache[key] = (now, labels)
    return labels
