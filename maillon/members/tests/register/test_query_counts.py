"""Query counts of the register's list and exports (STYLE.md §5): the number of
queries must not grow with the number of rows. Each page is measured with N rows,
then with 2N rows; the counts must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillon.members.models import Role
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db

N = 10


def add_people(association, count: int) -> None:
    """People with two roles each and a paid membership period."""
    today = timezone.localdate()
    for n in range(count):
        person = PersonFactory(association=association, roles=[Role.MEMBER, Role.VOLUNTEER])
        MembershipPeriodFactory(person=person, start=today, end=today, fee_paid=n % 2 == 0)


def count_queries(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)  # the CSV is read while streaming
    assert response.status_code == 200
    return len(queries)


def members_url(association, name="list", **kwargs):
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


PAGES = {
    "member list": (add_people, lambda a: members_url(a), {}),
    "member list, htmx": (
        add_people,
        lambda a: members_url(a),
        {"headers": {"HX-Request": "true"}},
    ),
    "member list, filtered": (
        add_people,
        lambda a: members_url(a) + "?role=volunteer&up_to_date=yes&q=example",
        {},
    ),
    "csv export": (add_people, lambda a: members_url(a, "export", file_format="csv"), {}),
    "xlsx export": (add_people, lambda a: members_url(a, "export", file_format="xlsx"), {}),
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
