"""Query counts of the sponsorship pages (STYLE.md §5): the same with N and 2N
agreements, employees and time sheet entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.network.help.sponsorship.selectors import agreements

from .factories import SIRENS, agreement_for, company_with_coordinator, employee, entry

pytestmark = pytest.mark.django_db
N = 3


def add(association, company, start: int, count: int) -> None:
    for n in range(start, start + count):
        people = [employee(company, f"Salarié {n}-{k}") for k in range(2)]
        agreement = agreement_for(
            association,
            company,
            rows=[(p, "50", "100") for p in people],
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
        for day, person in enumerate(people):
            entry(agreement, person, date=datetime.date(2026, 3, 1 + day), hours="2")
            entry(
                agreement,
                person,
                date=datetime.date(2026, 4, 1 + day),
                hours="2",
                status="submitted",
            )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overviews_and_the_detail_do_not_grow_with_the_rows(client, association, admin_user):
    company, coordinator = company_with_coordinator("Numérique Solidaire", SIRENS[2])
    add(association, company, 0, N)
    a_url = reverse("sponsorship:overview", kwargs={"association_slug": association.slug})
    c_url = reverse("company_sponsorship:overview", kwargs={"company_slug": company.slug})
    association_agreement = agreements(association=association)[-1]
    d_url = reverse(
        "sponsorship:detail",
        kwargs={"association_slug": association.slug, "agreement_id": association_agreement.pk},
    )
    client.force_login(admin_user)
    before = (count(client, a_url + "?year=2026"), count(client, d_url))
    client.force_login(coordinator)
    before_company = count(client, c_url + "?year=2026")
    add(association, company, N, N)
    client.force_login(admin_user)
    assert (count(client, a_url + "?year=2026"), count(client, d_url)) == before
    client.force_login(coordinator)
    assert count(client, c_url + "?year=2026") == before_company
