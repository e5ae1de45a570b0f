"""Reads of the member register: the filtered, paginated list and one person."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from maillon.associations.models import Association
from maillon.core.text import fold

from ..fees.selectors import up_to_date_q
from ..models import MembershipPeriod, Person, RoleAssignment


def _register(
    *,
    association: Association,
    at: datetime.date,
    search: str = "",
    role: str = "",
    up_to_date: str = "",
    joined_year: int | None = None,
    status: str = "active",
) -> QuerySet[Person]:
    """The register's filters and order, without row data (for ids and counts)."""
    qs = Person.objects.filter(association=association)
    if status == "active":
        qs = qs.filter(left_on__isnull=True)
    elif status == "left":
        qs = qs.filter(left_on__isnull=False)
    if search:
        for word in fold(search).split()[:5]:
            qs = qs.filter(search_text__contains=word)
    if role:
        qs = qs.filter(Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role=role)))
    if up_to_date == "yes":
        qs = qs.filter(up_to_date_q(at))
    elif up_to_date == "no":
        qs = qs.exclude(up_to_date_q(at))
    if joined_year:
        qs = qs.annotate(joined_year=ExtractYear("joined_on")).filter(joined_year=joined_year)
    return qs.order_by("last_name", "first_name", "id")


def _with_row_data(qs: QuerySet[Person], *, at: datetime.date) -> QuerySet[Person]:
    """What a row of the register shows: fee status at ``at`` and roles."""
    return qs.annotate(
        is_up_to_date=Exists(
            MembershipPeriod.objects.filter(
                person=OuterRef("pk"), fee_paid=True, start__lte=at, end__gte=at
            )
        )
    ).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )


def person_list(
    *, association: Association, at: datetime.date | None = None, **filters: Any
) -> QuerySet[Person]:
    """The member register, filtered, with fee status and roles (exports, API,
    counts). Filters: search, role, up_to_date ("yes", "no" or ""), joined_year,
    status ("active", "left", "all")."""
    at = at or timezone.localdate()
    return _with_row_data(_register(association=association, at=at, **filters), at=at)


# Beyond this many matching people, the register says "more than 10,000" instead of
# counting them all on every page (a full count of 100,000 people costs 10-30 ms of
# PostgreSQL per page view; a capped one reads at most this many index entries).
EXACT_COUNT_UP_TO = 10_000
# A page number beyond this is read as this one (then as the last page): an OFFSET
# past 64 bits is an error in SQLite and PostgreSQL alike.
MAX_PAGE_NUMBER = 100_000


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the exact count up to ``cap`` (default
    :data:`EXACT_COUNT_UP_TO`), else (``cap``, False), meaning "more than ``cap``"."""
    cap = EXACT_COUNT_UP_TO if cap is None else cap
    count = qs.order_by().values("pk")[: cap + 1].count()
    return (count, True) if count <= cap else (cap, False)


def _ids_and_count(
    register: QuerySet[Person], *, offset: int, limit: int
) -> tuple[list[int], bool, int, bool]:
    """The ids of rows offset..offset+limit, whether more rows follow, and the
    (capped) count. The count query is skipped when the ids already tell: a short
    page ends the register (exact), a page reaching past the cap means "more than
    the cap"."""
    ids = list(register.values_list("pk", flat=True)[offset : offset + limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    if not more and (ids or offset == 0):
        return ids, more, offset + len(ids), True
    if offset + len(ids) > EXACT_COUNT_UP_TO:
        return ids, more, EXACT_COUNT_UP_TO, False
    count, exact = capped_count(register)
    return ids, more, count, exact


def _row_data(association: Association, ids: list[int], at: datetime.date) -> list[Person]:
    people = _with_row_data(Person.objects.filter(association=association, pk__in=ids), at=at)
    by_id = {person.pk: person for person in people}
    return [by_id[pk] for pk in ids if pk in by_id]


def person_slice(
    *,
    association: Association,
    offset: int,
    limit: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> tuple[int, bool, bool, list[Person]]:
    """(count, count is exact, more rows follow, people) for rows
    offset..offset+limit of the filtered register, in two steps like
    :func:`person_page` (for the API's page/page_size paging). The count is exact
    up to :data:`EXACT_COUNT_UP_TO`, else that number with ``exact`` False ("more
    than")."""
    at = at or timezone.localdate()
    register = _register(association=association, at=at, **filters)
    ids, more, count, exact = _ids_and_count(register, offset=offset, limit=limit)
    return count, exact, more, _row_data(association, ids, at)


class RegisterPaginator:
    """What the page templates read from a paginator, with a capped count:
    ``count`` (exact, or the cap with ``count_is_capped``), ``num_pages`` (``None``
    when capped) and ``per_page``."""

    def __init__(self, count: int, exact: bool, per_page: int):
        self.count = count
        self.count_is_capped = not exact
        self.per_page = per_page
        self.num_pages = max(1, -(-count // per_page)) if exact else None


class RegisterPage(Sequence):
    """One page of the register (the part of Django's ``Page`` the templates use)."""

    def __init__(
        self, people: list[Person], number: int, has_next: bool, paginator: RegisterPaginator
    ):
        self.object_list = people
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def person_page(
    *,
    association: Association,
    page_number: Any,
    per_page: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> RegisterPage:
    """One page of the register in two steps: the page's ids from the filtered,
    ordered register (an index walk, even deep in a large register), then only those
    people with their fee status and roles. No full count: exact up to
    :data:`EXACT_COUNT_UP_TO` matching people, "more than" beyond. A page number
    past the end gives the last page, as Django's ``get_page`` does. See
    docs/benchmarks.md."""
    at = at or timezone.localdate()
    register = _register(association=association, at=at, **filters)
    try:
        number = min(max(1, int(page_number)), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    ids, more, count, exact = _ids_and_count(register, offset=offset, limit=per_page)
    if not ids and number > 1:  # past the end: the last page (this needs the real count)
        total = register.order_by().count()
        number = max(1, -(-total // per_page))
        offset = (number - 1) * per_page
        ids, more, count, exact = _ids_and_count(register, offset=offset, limit=per_page)
    return RegisterPage(
        _row_data(association, ids, at), number, more, RegisterPaginator(count, exact, per_page)
    )


def person_get(*, association: Association, person_id: Any) -> Person:
    """Access helper: a person of ``association`` or 404, whatever exists elsewhere."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = (
        Person.objects.filter(association=association, pk=person_id)
        .select_related("user")
        .prefetch_related("role_assignments", "membership_periods")
        .first()
    )
    if person is None:
        raise Http404
    return person
