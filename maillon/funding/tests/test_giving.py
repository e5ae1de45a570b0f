"""Giving online on the fake HelloAsso: the public campaign page's form → HelloAsso's
checkout → notifications replayed → one gift in the campaign, its progress updated;
the association-level page; no button without a HelloAsso connection; rate limit."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.associations.models import Module
from maillon.funding.campaigns.services import campaign_create
from maillon.funding.models import Donation, Donor, DonorKind, Method
from maillon.payments.models import CheckoutIntent, Payment, ProviderAccount
from maillon.payments.tests.factories import connected_account

pytestmark = pytest.mark.django_db

DONOR = {
    "amount": "40",
    "first_name": "Léa",
    "last_name": "Martin",
    "email": "lea.martin@example.org",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(association, treasurer):
    return campaign_create(
        association=association,
        actor=treasurer,
        title="Un toit pour l’atelier",
        goal=Decimal("200"),
        is_public=True,
    )


def campaign_url(association, campaign, name="funding_public:campaign"):
    return reverse(name, kwargs={"slug": association.slug, "campaign_slug": campaign.slug})


def notify(client, association, body):
    with scopes_disabled():
        token = ProviderAccount.objects.get(association=association).webhook_token
    return client.post(
        reverse("payment_notifications:helloasso", args=[token]),
        json.dumps(body),
        content_type="application/json",
    )


def plain(response):
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_give_on_a_campaign_replayed_notifications_record_one_gift(
    client, association, campaign, fake_helloasso
):
    connected_account(association)
    page = client.get(campaign_url(association, campaign))
    assert 'name="amount"' in page.content.decode()
    assert fake_helloasso.url in page["Content-Security-Policy"]  # form-action

    response = client.post(
        campaign_url(association, campaign, "funding_public:give_to_campaign"), DONOR
    )
    assert response.status_code == 302
    assert response["Location"].startswith(fake_helloasso.url + "/pay/")
    provider_intent = int(response["Location"].rsplit("/", 1)[1])
    with scopes_disabled():
        intent = CheckoutIntent.objects.get(provider_intent_id=str(provider_intent))
    assert (intent.purpose, intent.target_id, intent.amount_cents) == (
        "donation",
        campaign.pk,
        4000,
    )
    sent = fake_helloasso.intents[provider_intent]
    assert sent["payer"]["email"] == DONOR["email"] and sent["containsDonation"] is True
    back = sent["returnUrl"]
    thanks = back.split("://", 1)[1].split("/", 1)[1]
    thanks = "/" + thanks

    # Back before paying: the gift is being confirmed.
    assert "gift-pending" in client.get(thanks).content.decode()

    order_id = fake_helloasso.pay(provider_intent)
    for _ in range(3):
        assert (
            notify(client, association, fake_helloasso.notification("Order", order_id)).status_code
            == 200
        )

    with scopes_disabled():
        assert Payment.objects.count() == 1
        gift = Donation.objects.get()
    assert (gift.campaign_id, gift.amount, gift.method) == (
        campaign.pk,
        Decimal("40.00"),
        Method.HELLOASSO,
    )
    assert "40,00 € collectés sur 200,00 € (20" in plain(
        client.get(campaign_url(association, campaign))
    )
    shown = plain(client.get(thanks))
    assert "gift-recorded" in shown and "40,00 €" in shown
    # A link not signed by Maillon shows nothing.
    forged = reverse("funding_public:give_thanks", kwargs={"slug": association.slug, "token": "x"})
    assert client.get(forged).status_code == 404


def test_the_return_alone_records_the_gift_once(client, association, campaign, fake_helloasso):
    connected_account(association)
    response = client.post(
        reverse("funding_public:give", kwargs={"slug": association.slug}),
        {**DONOR, "company": "Boulangerie Épi d’or"},
    )
    provider_intent = int(response["Location"].rsplit("/", 1)[1])
    sent = fake_helloasso.intents[provider_intent]
    assert sent["payer"]["companyName"] == "Boulangerie Épi d’or"
    fake_helloasso.pay(provider_intent)
    thanks = "/" + sent["returnUrl"].split("://", 1)[1].split("/", 1)[1]
    assert "gift-recorded" in client.get(thanks).content.decode()
    client.get(thanks)
    with scopes_disabled():
        gift = Donation.objects.get()
        donor = Donor.objects.get()
        intent = CheckoutIntent.objects.get()
    assert gift.campaign_id is None and intent.target_id == 0
    assert (donor.kind, donor.company_name) == (DonorKind.COMPANY, "Boulangerie Épi d’or")


def test_the_form_asks_at_least_one_euro(client, association, campaign, fake_helloasso):
    connected_account(association)
    response = client.post(
        campaign_url(association, campaign, "funding_public:give_to_campaign"),
        {**DONOR, "amount": "0.50"},
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not CheckoutIntent.objects.exists()


def test_without_helloasso_no_give_button_and_the_back_office_says_to_connect(
    client, treasurer_client, association, campaign
):
    page = client.get(campaign_url(association, campaign)).content.decode()
    assert 'name="amount"' not in page
    assert (
        client.get(reverse("funding_public:give", kwargs={"slug": association.slug})).status_code
        == 404
    )
    posted = client.post(
        campaign_url(association, campaign, "funding_public:give_to_campaign"), DONOR
    )
    assert posted.status_code == 404
    back_office = treasurer_client.get(
        reverse("funding:campaigns", kwargs={"association_slug": association.slug})
    ).content.decode()
    assert reverse("payments:account", kwargs={"association_slug": association.slug}) in back_office


def test_the_give_page_needs_the_funding_module(client, association, fake_helloasso):
    connected_account(association)
    url = reverse("funding_public:give", kwargs={"slug": association.slug})
    assert client.get(url).status_code == 200
    association.enabled_modules = [m for m in association.enabled_modules if m != Module.FUNDING]
    association.save()
    assert client.get(url).status_code == 404


def test_giving_is_rate_limited_per_email(client, association, campaign, fake_helloasso):
    connected_account(association)
    url = campaign_url(association, campaign, "funding_public:give_to_campaign")
    for _ in range(5):
        assert client.post(url, DONOR).status_code == 302
    refused = client.post(url, DONOR)
    assert refused.status_code == 429 and refused["Retry-After"]
    with scopes_disabled():
        assert CheckoutIntent.objects.count() == 5


def test_the_back_office_links_the_give_page_once_connected(
    treasurer_client, association, campaign, fake_helloasso
):
    connected_account(association)
    page = treasurer_client.get(
        reverse("funding:campaigns", kwargs={"association_slug": association.slug})
    ).content.decode()
    assert reverse("funding_public:give", kwargs={"slug": association.slug}) in page
    assert reverse("payments:account", kwargs={"association_slug": association.slug}) not in page
