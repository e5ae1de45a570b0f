"""Pulling HelloAsso form orders and reconciling payers with the register."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.members.fees.services import fee_schedule_update
from maillon.members.models import MemberImport, MembershipPeriod, PayerAlias, Role
from maillon.members.tests.factories import PersonFactory
from maillon.payments.imports.services import helloasso_orders_pull
from maillon.payments.models import ImportedOrder, ImportStatus

from .factories import connected_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(association, admin_user, fake_helloasso):
    with scope(association=association):
        fee_schedule_update(
            association=association,
            actor=admin_user,
            period_rule="season",
            season_start_month=9,
            season_start_day=1,
        )
    account = connected_account(association)
    with scopes_disabled():
        account.membership_form_slug = "adhesion-2026"
        account.donation_form_slug = "dons"
        account.save()
    return association


def membership(fake, **payer):
    return fake.add_form_order(
        "Membership",
        "adhesion-2026",
        date="2026-10-02T10:00:00+02:00",
        amount={"total": 3000},
        payer=payer,
    )


def pull(association):
    return helloasso_orders_pull(association=association)


def test_payers_found_by_email_or_by_name_and_postal_code(club, fake_helloasso):
    lea = PersonFactory(association=club, email="lea@example.org")
    PersonFactory(association=club, first_name="Éric", last_name="Dupré", postal_code="69004")
    membership(fake_helloasso, email="LEA@example.org", firstName="Léa", lastName="X")
    membership(
        fake_helloasso,
        email="papa@example.net",
        firstName="Eric",
        lastName="Dupré",
        zipCode="69004",
    )
    membership(fake_helloasso, email="inconnu@example.net", firstName="Ana", lastName="Nobody")
    membership(fake_helloasso, payer="not an object")
    fake_helloasso.add_form_order(
        "Donation", "dons", amount={"total": 5000}, payer={"email": "don@example.org"}
    )
    counts = pull(club)
    assert counts == {"new": 5, "matched": 2, "errors": 1}
    with scopes_disabled():
        period = MembershipPeriod.objects.get(person=lea)
        statuses = sorted(ImportedOrder.objects.values_list("status", flat=True))
    assert (str(period.start), str(period.end), period.method) == (
        "2026-09-01",
        "2027-08-31",
        "online",
    )
    assert statuses == ["error", "kept", "matched", "matched", "unmatched"]
    # Pulled again: nothing new, nothing twice.
    assert pull(club)["new"] == 0
    with scopes_disabled():
        assert MembershipPeriod.objects.count() == 2


def test_many_pages_and_a_token_expiring_in_the_middle(club, fake_helloasso):
    for n in range(230):
        membership(fake_helloasso, email=f"p{n}@example.net", firstName="P", lastName=f"N{n}")
    fake_helloasso.expire_tokens_after_pages = 1
    assert pull(club)["new"] == 230
    assert fake_helloasso.token_requests == 2


def test_reconciling_by_hand_remembers_the_payer_email(club, admin_client, fake_helloasso):
    lea = PersonFactory(association=club, first_name="Léa", last_name="Martin", roles=[Role.MEMBER])
    membership(fake_helloasso, email="parent@example.net", firstName="Paul", lastName="Martin")
    pull(club)
    page = reverse("payments:reconcile", kwargs={"association_slug": club.slug})
    assert "parent@example.net" in admin_client.get(page).content.decode()
    with scopes_disabled():
        order = ImportedOrder.objects.get()
    response = admin_client.post(
        reverse(
            "payments:reconcile_match",
            kwargs={"association_slug": club.slug, "order_id": order.pk},
        ),
        {"person": lea.pk},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert PayerAlias.objects.get().person == lea
        assert MembershipPeriod.objects.filter(person=lea).count() == 1
    # Next season the same payer is recognised at once.
    membership(fake_helloasso, email="parent@example.net", firstName="Paul", lastName="Martin")
    assert pull(club)["matched"] == 1


def test_payers_not_found_go_to_the_member_import_preview(club, admin_client, fake_helloasso):
    membership(
        fake_helloasso,
        email="ana@example.net",
        firstName="Ana",
        lastName="Nouvelle",
        zipCode="69001",
        city="Lyon",
    )
    membership(fake_helloasso, email="sans-nom@example.net")  # no name: the preview says so
    pull(club)
    response = admin_client.post(
        reverse("payments:reconcile_import", kwargs={"association_slug": club.slug})
    )
    assert response.status_code == 302
    with scopes_disabled():
        member_import = MemberImport.objects.get()
        assert ImportedOrder.objects.filter(status=ImportStatus.TO_IMPORT).count() == 2
    assert member_import.total_rows == 2
    assert member_import.valid_rows == 1  # the bad email is reported, not a stop
    assert str(member_import.pk) in response["Location"]


def test_the_daily_command(club, fake_helloasso):
    membership(fake_helloasso, email="x@example.net", firstName="X", lastName="Y")
    call_command("import_helloasso_orders", verbosity=0)
    with scopes_disabled():
        assert ImportedOrder.objects.count() == 1
