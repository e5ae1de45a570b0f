"""The API (treasurer: donations and receipts; a member: 403) and the pages: a
treasurer records a gift through the form, a member is refused, the public campaign
page shows the progress of a public campaign only."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.funding.campaigns.services import campaign_create
from maillon.funding.models import Donation
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

from .factories import DonationFactory, DonorFactory, eligible

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.date.today().year - 1


def api(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_the_treasurer_records_and_receipts_a_gift_through_the_api(association, treasurer):
    eligible(association)
    donor = DonorFactory(association=association)
    client, headers = Client(), api(treasurer)
    base = f"/api/v1/associations/{association.slug}"
    created = client.post(
        f"{base}/donations",
        {"donor": donor.pk, "date": f"{LAST_YEAR}-05-01", "amount": "80.00", "method": "card"},
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "k1"},
    )
    assert created.status_code == 201, created.content
    again = client.post(
        f"{base}/donations",
        {"donor": donor.pk, "date": f"{LAST_YEAR}-05-01", "amount": "80.00", "method": "card"},
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "k1"},
    )
    assert again.json()["id"] == created.json()["id"]
    with scopes_disabled():
        assert Donation.objects.count() == 1
    receipt = client.post(f"{base}/donations/{created.json()['id']}/receipt", headers=headers)
    assert receipt.status_code == 201 and receipt.json()["cerfa"] == "11580"
    listed = client.get(f"{base}/receipts", headers=headers).json()
    assert [r["number"] for r in listed["items"]] == [receipt.json()["number"]]
    assert client.get(f"{base}/donations", headers=headers).json()["items"][0]["receipt"]


def test_a_member_gets_403_from_the_api_and_the_pages(association, client):
    member = member_with_account(association, [Role.MEMBER])
    base = f"/api/v1/associations/{association.slug}"
    assert Client().get(f"{base}/donations", headers=api(member)).status_code == 403
    client.force_login(member)
    assert (
        client.get(
            reverse("funding:donations", kwargs={"association_slug": association.slug})
        ).status_code
        == 403
    )


def test_the_treasurer_records_a_gift_in_kind_through_the_page(association, treasurer_client):
    donor = DonorFactory(association=association)
    url = reverse("funding:donation_create", kwargs={"association_slug": association.slug})
    response = treasurer_client.post(
        url,
        {
            "donor": donor.pk,
            "date": f"{LAST_YEAR}-02-02",
            "nature": "in_kind",
            "amount": "150",
            "method": "cash",
            "description": "Livres",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        gift = Donation.objects.get()
    assert (gift.nature, gift.method, gift.description) == ("in_kind", "none", "Livres")
    page = treasurer_client.get(
        reverse("funding:donations", kwargs={"association_slug": association.slug})
        + f"?year={LAST_YEAR}"
    )
    assert "150,00" in page.content.decode()


def test_the_public_campaign_page_shows_its_progress(association, treasurer, client):
    public = campaign_create(
        association=association,
        actor=treasurer,
        title="Un toit pour l’atelier",
        goal=Decimal("2000"),
        is_public=True,
    )
    hidden = campaign_create(
        association=association, actor=treasurer, title="Secret", goal=Decimal("10")
    )
    donor = DonorFactory(association=association)
    DonationFactory(donor=donor, campaign=public, amount=Decimal("500"))
    DonationFactory(donor=donor, campaign=public, amount=Decimal("999"), status="cancelled")
    page = client.get(
        reverse(
            "funding_public:campaign",
            kwargs={"slug": association.slug, "campaign_slug": public.slug},
        )
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "500,00 € collectés sur 2 000,00 € (25" in text.replace("\u202f", " ").replace(
        "\xa0", " "
    )
    assert 'value="25"' in text and donor.last_name not in text
    assert (
        client.get(
            reverse(
                "funding_public:campaign",
                kwargs={"slug": association.slug, "campaign_slug": hidden.slug},
            )
        ).status_code
        == 404
    )
