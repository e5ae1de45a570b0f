"""Query counts of the new lists (STYLE.md §5): the same with N and 2N rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.members.models import FeeReminder
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.payments.models import ImportedOrder

pytestmark = pytest.mark.django_db
N = 5


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_rows(association, start, stop):
    with scopes_disabled():
        for n in range(start, stop):
            person = PersonFactory(association=association, last_name=f"Nom{n}", email="")
            MembershipPeriodFactory(person=person)
            ImportedOrder.objects.create(
                association=association,
                provider_order_id=str(n),
                form_kind="membership",
                status="unmatched",
                payer_last_name=f"Nom{n}",
                payer_email=f"p{n}@example.net",
            )
            FeeReminder.objects.create(
                association=association,
                person=person,
                period_end=datetime.date(2027, 8, 31),
                stage="before",
                channel="letter",
            )


@pytest.mark.parametrize("name", ["payments:reconcile", "members:fee_reminder_letters"])
def test_lists_do_not_grow_with_their_rows(admin_client, association, name):
    url = reverse(name, kwargs={"association_slug": association.slug})
    add_rows(association, 0, N)
    first = count(admin_client, url)
    add_rows(association, N, 2 * N)
    assert count(admin_client, url) == first


def test_my_membership_page_does_not_grow_with_my_fees(admin_client, association, admin_user):
    with scopes_disabled():
        person = admin_user.people.get()
    url = reverse("my:membership", kwargs={"association_slug": association.slug})
    for _ in range(N):
        MembershipPeriodFactory(person=person)
    first = count(admin_client, url)
    for _ in range(N):
        MembershipPeriodFactory(person=person)
    assert count(admin_client, url) == first
