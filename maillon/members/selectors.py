from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.text import fold

from .models import Invitation, JoinRequest, MembershipPeriod, Person, RoleAssignment
from .permissions import BUREAU_ROLES, permissions_for_roles


@dataclass(frozen=True)
class MembershipContext:
    person: Person
    roles: frozenset[str]
    permissions: frozenset[str]

    @property
    def is_bureau(self) -> bool:
        return bool(self.roles & BUREAU_ROLES)


def roles_of_user(*, association, user) -> frozenset[str]:
    with scopes_disabled():
        return frozenset(
            RoleAssignment.objects.filter(
                association=association, person__user=user, person__left_on__isnull=True
            ).values_list("role", flat=True)
        )


def membership_context(*, association, user) -> MembershipContext | None:
    """The signed-in user's person, roles and permissions in ``association``, or None
    when they hold no role there (they are then an outsider). One query: the roles
    with their person (a user has at most one person per association)."""
    with scopes_disabled():
        assignments = list(
            RoleAssignment.objects.filter(
                person__association=association, person__user=user, person__left_on__isnull=True
            ).select_related("person")
        )
    if not assignments:
        return None
    person = assignments[0].person
    # As if prefetched: ``person.role_assignments.all()`` costs no query.
    with scopes_disabled():
        prefetched = person.role_assignments.all()
    prefetched._result_cache = assignments
    prefetched._prefetch_done = True
    person._prefetched_objects_cache = {"role_assignments": prefetched}
    roles = frozenset(ra.role for ra in assignments)
    return MembershipContext(person=person, roles=roles, permissions=permissions_for_roles(roles))


def up_to_date_q(at: datetime.date) -> Q:
    """Q on Person: holds a paid membership period that contains ``at``."""
    return Q(
        Exists(
            MembershipPeriod.objects.filter(
                person=OuterRef("pk"), fee_paid=True, start__lte=at, end__gte=at
            )
        )
    )


def _register(
    *,
    association,
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


def person_list(*, association, at: datetime.date | None = None, **filters) -> QuerySet[Person]:
    """The member register, filtered, with fee status and roles (exports, API,
    counts). Filters: search, role, up_to_date ("yes", "no" or ""), joined_year,
    status ("active", "left", "all")."""
    at = at or timezone.localdate()
    return _with_row_data(_register(association=association, at=at, **filters), at=at)


def person_slice(
    *, association, offset: int, limit: int, at: datetime.date | None = None, **filters
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
    *, association, page_number, per_page: int, at: datetime.date | None = None, **filters
) -> Page:
    """One page of the register in two steps: the page's ids from the filtered,
    ordered register (an index walk, even deep in a large register), then only those
    people with their fee status and roles. See docs/benchmarks.md."""
    at = at or timezone.localdate()
    ids = _register(association=association, at=at, **filters).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(page_number)
    page_ids = list(page.object_list)
    people = _with_row_data(Person.objects.filter(association=association, pk__in=page_ids), at=at)
    by_id = {person.pk: person for person in people}
    page.object_list = [by_id[pk] for pk in page_ids if pk in by_id]
    return page


def person_get(*, association, person_id) -> Person:
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


def membership_period_get(*, association, person, period_id) -> MembershipPeriod:
    period = MembershipPeriod.objects.filter(
        association=association, person=person, pk=period_id
    ).first()
    if period is None:
        raise Http404
    return period


def is_up_to_date(*, person: Person, at: datetime.date | None = None) -> bool:
    at = at or timezone.localdate()
    return person.membership_periods.filter(fee_paid=True, start__lte=at, end__gte=at).exists()


def join_request_list(*, association, status: str = "pending") -> QuerySet[JoinRequest]:
    qs = JoinRequest.objects.filter(association=association)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("user", "person")


def join_request_get(*, association, join_request_id) -> JoinRequest:
    jr = JoinRequest.objects.filter(association=association, pk=join_request_id).first()
    if jr is None:
        raise Http404
    return jr


def invitation_list(*, association) -> QuerySet[Invitation]:
    return Invitation.objects.filter(association=association).select_related("person", "invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    """Invitations are reached from an email link, outside any association scope."""
    with scopes_disabled():
        return (
            Invitation.objects.filter(token=token).select_related("association", "person").first()
        )


def associations_of_user(*, user) -> list[tuple]:
    """(association, roles) for every association where the user holds a role."""
    with scopes_disabled():
        people = (
            Person.objects.filter(user=user, left_on__isnull=True)
            .select_related("association")
            .prefetch_related("role_assignments")
            .order_by("association__name")
        )
        return [
            (p.association, sorted(ra.role for ra in p.role_assignments.all()))
            for p in people
            if p.role_assignments.all()
        ]


def associations_where_sole_admin(*, user) -> list:
    """Associations in which ``user`` is the only active administrator while other
    people are still active: erasing the account would leave them without anyone
    able to manage them."""
    from maillon.associations.models import Association

    from .models import Role

    with scopes_disabled():
        mine = set(
            RoleAssignment.objects.filter(
                person__user=user, person__left_on__isnull=True, role=Role.ADMIN
            ).values_list("association_id", flat=True)
        )
        other_admins = set(
            RoleAssignment.objects.filter(
                association_id__in=mine, role=Role.ADMIN, person__left_on__isnull=True
            )
            .exclude(person__user=user)
            .values_list("association_id", flat=True)
        )
        others_active = set(
            Person.objects.filter(association_id__in=mine, left_on__isnull=True)
            .exclude(user=user)
            .values_list("association_id", flat=True)
        )
        blocked = (mine - other_admins) & others_active
        return list(Association.objects.filter(pk__in=blocked).order_by("name"))
