"""Renewing a fee on the fake HelloAsso: the return and the notifications are hints,
the order is read from the API, each payment is recorded once, a refund cancels the
fee period."""

import datetime
import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.fees.selectors import is_up_to_date
from maillon.members.fees.services import fee_schedule_update, fee_type_save
from maillon.members.models import MembershipPeriod, Person, Role
from maillon.members.tests.factories import member_with_account
from maillon.payments import crypto
from maillon.payments.models import CheckoutIntent, Payment, ProviderAccount

from .factories import connected_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(association, admin_user, fake_helloasso):
    with scopes_disabled():
        fee_schedule_update(
            association=association,
            actor=admin_user,
            period_rule="season",
            season_start_month=9,
            season_start_day=1,
        )
        fee_type_save(
            association=association, actor=admin_user, name="Adhésion", kind="full", amount=25
        )
    connected_account(association)
    return association


@pytest.fixture
def member(club):
    return member_with_account(club, [Role.MEMBER], first_name="Léa", last_name="Martin")


def person_of(user, association):
    with scopes_disabled():
        return Person.objects.get(user=user, association=association)


def fee_type_id(association):
    with scopes_disabled():
        from maillon.members.models import FeeType

        return FeeType.objects.get(association=association).pk


def renew(client, association):
    return client.post(
        reverse("my_payments:renew", kwargs={"association_slug": association.slug}),
        {"fee_type": fee_type_id(association)},
    )


def notify(client, association, body):
    with scopes_disabled():
        token = ProviderAccount.objects.get(association=association).webhook_token
    return client.post(
        reverse("payment_notifications:helloasso", args=[token]),
        json.dumps(body),
        content_type="application/json",
    )


def test_renewal_replayed_and_out_of_order_notifications_give_one_period(
    client, club, member, fake_helloasso
):
    client.force_login(member)
    response = renew(client, club)
    assert response.status_code == 302
    assert response["Location"].startswith(fake_helloasso.url + "/pay/")
    intent_id = int(response["Location"].rsplit("/", 1)[1])
    # The payer pays with another email address than the member's.
    order_id = fake_helloasso.pay(intent_id, payer_email="parent.de.lea@example.net")

    # Notifications: a payment event first, then the order event three times.
    for event in ("Payment", "Order", "Order", "Order"):
        assert notify(client, club, fake_helloasso.notification(event, order_id)).status_code == 200
    # The return from HelloAsso comes last.
    with scopes_disabled():
        intent = CheckoutIntent.objects.get(provider_intent_id=str(intent_id))
    back = client.get(
        reverse(
            "my_payments:return", kwargs={"association_slug": club.slug, "intent_id": intent.pk}
        ),
        follow=True,
    )
    assert "31/08/" in back.content.decode()

    with scopes_disabled():
        payment = Payment.objects.get()
        periods = list(MembershipPeriod.objects.filter(person__user=member))
        assert payment.payer_email == "parent.de.lea@example.net"
        assert payment.amount_cents == 2500
    assert len(periods) == 1
    assert periods[0].method == "online"
    assert periods[0].receipt_url.startswith("https://www.helloasso.com/recu/")
    assert periods[0].end.month == 8 and periods[0].end.day == 31
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="payments.payment_recorded").count() == 1

    # Refund: the fee period is cancelled, once.
    fake_helloasso.refund(order_id)
    for _ in range(2):
        notify(client, club, fake_helloasso.notification("Order", order_id))
    with scopes_disabled():
        period = MembershipPeriod.objects.get(person__user=member)
        assert period.cancelled_at is not None and not period.fee_paid
        assert Payment.objects.get().refunded_at is not None
        assert not is_up_to_date(person=person_of(member, club), at=datetime.date.today())
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="members.fee_cancelled").count() == 1


def test_an_unpaid_return_records_nothing(client, club, member, fake_helloasso):
    client.force_login(member)
    renew(client, club)
    with scopes_disabled():
        intent = CheckoutIntent.objects.get()
    client.get(
        reverse(
            "my_payments:return", kwargs={"association_slug": club.slug, "intent_id": intent.pk}
        )
    )
    with scopes_disabled():
        assert not Payment.objects.exists()
        assert not MembershipPeriod.objects.exists()


def test_a_forged_notification_changes_nothing(client, club, member, fake_helloasso):
    """The notification's content is not trusted: an order the API does not know
    records nothing; an unknown notification URL is not found."""
    forged = {"eventType": "Order", "data": {"id": 999999, "checkoutIntentId": 1}}
    assert notify(client, club, forged).status_code == 200
    assert notify(client, club, {"eventType": "Form"}).status_code == 200
    with scopes_disabled():
        assert not Payment.objects.exists()
    url = reverse("payment_notifications:helloasso", args=["unknown"])
    assert client.post(url, "{}", content_type="application/json").status_code == 404


def test_another_members_return_url_is_not_found(client, club, member, fake_helloasso):
    client.force_login(member)
    renew(client, club)
    with scopes_disabled():
        intent = CheckoutIntent.objects.get()
    other = member_with_account(club, [Role.MEMBER])
    client.force_login(other)
    url = reverse(
        "my_payments:return", kwargs={"association_slug": club.slug, "intent_id": intent.pk}
    )
    assert client.get(url).status_code == 404


def test_connecting_the_account_stores_the_secret_encrypted(
    admin_client, association, fake_helloasso
):
    url = reverse("payments:account", kwargs={"association_slug": association.slug})
    refused = admin_client.post(
        url, {"organization_slug": "club", "client_id": "maillon-client", "client_secret": "no"}
    )
    assert refused.status_code == 200
    with scopes_disabled():
        assert not ProviderAccount.objects.exists()
    response = admin_client.post(
        url, {"organization_slug": "club", "client_id": "maillon-client", "client_secret": "s3cret"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        account = ProviderAccount.objects.get()
    assert "s3cret" not in account.client_secret_encrypted
    assert crypto.decrypt(account.client_secret_encrypted) == "s3cret"
    assert account.access_token_encrypted and "tok-" not in account.access_token_encrypted
    assert "/payments/helloasso/" in admin_client.get(url).content.decode()


def test_a_member_without_online_payment_sees_the_treasurer_note(client, association):
    user = member_with_account(association, [Role.MEMBER])
    client.force_login(user)
    page = client.get(reverse("my:membership", kwargs={"association_slug": association.slug}))
    assert 'action="/me/a/' not in page.content.decode()


def test_a_fixed_fee_is_paid_at_its_amount_whatever_amount_is_posted(
    client, club, member, fake_helloasso
):
    """The renewal form shows an amount field for free fees; posted with a fixed fee,
    it used to become the checkout's amount (1 € for a 25 € fee, recorded as a full
    period)."""
    client.force_login(member)
    response = client.post(
        reverse("my_payments:renew", kwargs={"association_slug": club.slug}),
        {"fee_type": fee_type_id(club), "amount": "1"},
    )
    assert response.status_code == 302
    intent_id = int(response["Location"].rsplit("/", 1)[1])
    assert fake_helloasso.intents[intent_id]["totalAmount"] == 2500
    with scopes_disabled():
        assert CheckoutIntent.objects.get().amount_cents == 2500
    order_id = fake_helloasso.pay(intent_id)
    notify(client, club, fake_helloasso.notification("Order", order_id))
    with scopes_disabled():
        period = MembershipPeriod.objects.get(person__user=member)
    assert period.amount == 25
