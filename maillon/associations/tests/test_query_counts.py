"""Query counts of the back-office dashboard, the audit log and the public directory
(STYLE.md §5): the number of queries must not grow with the number of rows. Each page
is measured with N rows, then with 2N rows; the counts must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.audit import audit_log
from maillon.members.models import Role
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.taxonomy.models import Department, Sector

pytestmark = pytest.mark.django_db

N = 10


def add_people(association, count: int) -> None:
    """People with two roles each and a paid membership period."""
    today = timezone.localdate()
    for n in range(count):
        person = PersonFactory(association=association, roles=[Role.MEMBER, Role.VOLUNTEER])
        MembershipPeriodFactory(person=person, start=today, end=today, fee_paid=n % 2 == 0)


def add_audit_entries(association, count: int) -> None:
    for _n in range(count):
        audit_log(association=association, actor=None, action="test.entry")


def add_listed_associations(_association, count: int) -> None:
    sector = Sector.objects.first()
    department = Department.objects.select_related("region").first()
    AssociationFactory.create_batch(count, sector=sector, department=department)


def count_queries(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)  # the CSV is read while streaming
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "audit log": (
        add_audit_entries,
        lambda a: reverse("backoffice:audit", kwargs={"association_slug": a.slug}),
        {},
    ),
    "directory": (add_listed_associations, lambda a: reverse("associations:directory"), {}),
    "dashboard": (
        add_people,
        lambda a: reverse("backoffice:dashboard", kwargs={"association_slug": a.slug}),
        {},
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_rows(page, admin_client, association, other_association):
    add_rows, url_of, kwargs = PAGES[page]
    url = url_of(association)
    add_rows(association, N)
    admin_client.get(url, **kwargs)  # warm caches (content types, sites...)

    with_n = count_queries(admin_client, url, **kwargs)
    add_rows(association, N)
    with_2n = count_queries(admin_client, url, **kwargs)

    assert with_n == with_2n, f"{page}: {with_n} queries with {N} rows, {with_2n} with {2 * N}"
