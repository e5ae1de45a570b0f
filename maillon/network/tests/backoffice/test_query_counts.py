"""Query counts of the network's member table and its exports (STYLE.md §5): the
number of queries must not grow with the number of member associations. Measured
with N then 2N members (500 in all), every indicator shared, figures in every family."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.members.models import Person
from maillon.network.models import DataFamily, MembershipStatus, NetworkMembership, NetworkRoleKind
from maillon.network.tests.factories import NetworkFactory, network_staff
from maillon.strategy.models import Action, Diagnostic

pytestmark = pytest.mark.django_db

N = 250


def add_members(network, count: int, start: int) -> None:
    """``count`` member associations sharing everything, each with people, a
    completed diagnostic and plan actions (bulk rows: the table's cost is the point)."""
    now = timezone.now()
    associations = Association.objects.bulk_create(
        Association(name=f"Membre {start + n:04d}", slug=f"membre-{start + n}", city="Lyon")
        for n in range(count)
    )
    with scopes_disabled():
        NetworkMembership.objects.bulk_create(
            NetworkMembership(
                association=a,
                network=network,
                status=MembershipStatus.ACTIVE,
                shared_families=list(DataFamily.values),
                joined_at=now,
            )
            for a in associations
        )
        Person.objects.bulk_create(
            Person(
                association=a, first_name="A", last_name=str(i), joined_on=datetime.date(2020, 1, 1)
            )
            for a in associations
            for i in range(2)
        )
        Diagnostic.objects.bulk_create(
            Diagnostic(
                association=a,
                questionnaire_version=1,
                status="completed",
                completed_at=now - datetime.timedelta(days=30 * (i % 20)),
                scores={"overall": 20 + i % 70},
            )
            for i, a in enumerate(associations)
        )
        Action.objects.bulk_create(
            Action(association=a, title="Action", status="done" if i % 2 else "planned")
            for i, a in enumerate(associations)
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


URLS = {
    "table": "/n/{slug}/",
    "table, filtered by level and stale diagnostic": (
        "/n/{slug}/?level=en_progres&stale_diagnostic=on"
    ),
    "table, page 2": "/n/{slug}/?page=2",
    "export csv": "/n/{slug}/members/export.csv",
    "export xlsx": "/n/{slug}/members/export.xlsx",
}


@pytest.mark.parametrize("name", URLS)
def test_member_table_query_count_does_not_grow(name):
    network = NetworkFactory()
    client = Client()
    client.force_login(network_staff(network, NetworkRoleKind.HEAD))
    url = URLS[name].format(slug=network.slug)
    add_members(network, N, 0)
    at_n = count_queries(client, url)
    add_members(network, N, N)
    at_2n = count_queries(client, url)
    assert at_n == at_2n, f"{name}: {at_n} queries with {N} members, {at_2n} with {2 * N}"
    assert at_2n < 25
