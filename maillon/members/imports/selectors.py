"""Reads for the member import: access helpers (404 outside the association) and
the lookups the checks need."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Lower
from django.http import Http404

from maillon.associations.models import Association

from ..models import MemberImport, Person
from .parsing import identity_key

# The decoded file can weigh megabytes: pages that only show the status skip it.
_HEAVY_FIELDS = ("rows", "errors")
_LOOKUP_CHUNK = 500


def member_import_get(
    *, association: Association, import_id: Any, with_data: bool = True
) -> MemberImport:
    """Access helper: an import of ``association`` or 404, whatever exists elsewhere."""
    try:
        import_id = int(import_id)
    except (TypeError, ValueError):
        raise Http404 from None
    queryset = MemberImport.objects.filter(association=association, pk=import_id)
    if not with_data:
        queryset = queryset.defer(*_HEAVY_FIELDS)
    member_import = queryset.first()
    if member_import is None:
        raise Http404
    return member_import


def member_import_recent(*, association: Association, limit: int = 10) -> list[MemberImport]:
    return list(
        MemberImport.objects.filter(association=association)
        .defer(*_HEAVY_FIELDS)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def existing_emails(*, association: Association, emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` (lower-cased) already belong to a person of the register,
    former members included."""
    emails = sorted({e.lower() for e in emails if e})
    found: set[str] = set()
    for start in range(0, len(emails), _LOOKUP_CHUNK):
        chunk = emails[start : start + _LOOKUP_CHUNK]
        found.update(
            Person.objects.filter(association=association)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", flat=True)
        )
    return found


def existing_people_by_identity(
    *, association: Association, birth_dates: Iterable[datetime.date]
) -> dict[tuple, str]:
    """The people of the register (former members included) born on one of
    ``birth_dates``, by ``parsing.identity_key``: the duplicate check of rows without
    an email address."""
    dates = sorted(set(birth_dates))
    found: dict[tuple, str] = {}
    for start in range(0, len(dates), _LOOKUP_CHUNK):
        people = Person.objects.filter(
            association=association, birth_date__in=dates[start : start + _LOOKUP_CHUNK]
        ).values_list("first_name", "last_name", "birth_date")
        for first_name, last_name, birth_date in people:
            if birth_date is None:  # the filter leaves none; for the type checker
                continue
            key = identity_key(first_name, last_name, birth_date)
            found.setdefault(key, f"{first_name} {last_name}".strip())
    return found
