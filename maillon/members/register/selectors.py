"""Reads of the member register: the filtered, paginated list and one person."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page, Paginator
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


def person_slice(
    *,
    association: Association,
    offset: int,
    limit: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> tuple[int, list[Person]]:
    """(count, people) for rows offset..offset+limit of the filtered register, in two
    steps like :func:`person_page` (for the API's page/page_size paging)."""
    at = at or timezone.localdate()
    register = _register(association=association, at=at, **filters)
    ids = list(register.values_list("pk", flat=True)[offset : offset + limit])
    people = _with_row_data(Person.objects.filter(association=association, pk__in=ids), at=at)
    by_id = {person.pk: person for person in people}
    return register.count(), [by_id[pk] for pk in ids if pk in by_id]


def person_page(
    *,
    association: Association,
    page_number: Any,
    per_page: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> Page:
    """One page of the register in two steps: the page's ids from the filtered,
    ordered register (an index walk, even deep in a large register), then only those
    people with their fee status and roles. See docs/benchmarks.md."""
    at = at or timezone.localdate()
    ids = _register(association=association, at=at, **filters).values_list("pk", flat=True)
    paginator: Paginator[Any] = Paginator(ids, per_page)
    page = paginator.get_page(page_number)
    page_ids = list(page.object_list)
    people = _with_row_data(Person.objects.filter(association=association, pk__in=page_ids), at=at)
    by_id = {person.pk: person for person in people}
    page.object_list = [by_id[pk] for pk in page_ids if pk in by_id]
    return page


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
