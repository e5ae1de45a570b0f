"""Query counts of the funding lists, pages and exports (STYLE.md §5): measured with N
rows, then 2N rows; the counts must be equal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.funding.campaigns.services import campaign_create
from maillon.funding.models import Receipt
from maillon.funding.receipts.numbering import format_number

from .factories import DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db
N = 8
YEAR = datetime.date.today().year - 1


def add_rows(association, treasurer, count: int, start: int) -> None:
    campaign = campaign_create(association=association, actor=treasurer, title=f"Campagne {start}")
    for n in range(count):
        donor = DonorFactory(association=association)
        with scopes_disabled():
            receipt = Receipt.objects.create(
                association=association,
                year=YEAR,
                sequence=start + n,
                number=format_number(YEAR, start + n),
                cerfa="11580",
                gift_year=YEAR,
                donor=donor,
                total=10,
                data={},
            )
        DonationFactory(
            donor=donor, campaign=campaign, receipt=receipt, date=datetime.date(YEAR, 5, 5)
        )
        DonationFactory(donor=donor, date=datetime.date(YEAR, 6, 6))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name, query",
    [
        ("funding:donations", f"?year={YEAR}"),
        ("funding:donors", ""),
        ("funding:campaigns", ""),
        ("funding:receipts", ""),
        ("funding:journal", f"?year={YEAR}"),
    ],
)
def test_queries_do_not_grow_with_the_rows(name, query, association, treasurer, treasurer_client):
    url = reverse(name, kwargs={"association_slug": association.slug}) + query
    add_rows(association, treasurer, N, 1)
    first = count_queries(treasurer_client, url)
    add_rows(association, treasurer, N, N + 1)
    assert count_queries(treasurer_client, url) == first
