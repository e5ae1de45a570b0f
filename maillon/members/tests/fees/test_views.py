"""Recording and deleting a fee from a person's page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import MembershipPeriod, Person
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    """The administrator reads the back-office in English (the strings asserted below)
    and has a name no other person of these tests has (factories draw random names)."""
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    with scopes_disabled():
        Person.objects.filter(user=admin_user).update(first_name="Ada", last_name="Zadmin")


def members_url(association, name="list", **kwargs):
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def test_recording_and_deleting_a_fee(admin_client, association):
    person = PersonFactory(association=association)
    year = timezone.localdate().year
    form_page = admin_client.get(members_url(association, "fee_add", person_id=person.pk))
    assert form_page.status_code == 200

    response = admin_client.post(
        members_url(association, "fee_add", person_id=person.pk),
        {
            "start": f"{year}-01-01",
            "end": f"{year}-12-31",
            "fee_paid": "on",
            "amount": "15.50",
            "method": "cash",
            "paid_on": f"{year}-01-10",
        },
    )
    assert response.status_code == 302
    detail = admin_client.get(members_url(association, "detail", person_id=person.pk))
    assert "fee up to date" in detail.content.decode()

    with scope(association=association):
        period = MembershipPeriod.objects.get(person=person)
    response = admin_client.post(
        members_url(association, "fee_delete", person_id=person.pk, period_id=period.pk)
    )
    assert response.status_code == 302
    with scope(association=association):
        assert not MembershipPeriod.objects.filter(person=person).exists()
    assert {"members.fee_recorded", "members.fee_deleted"} <= set(audit_actions(association))


def test_a_fee_period_ending_before_it_starts_is_refused(admin_client, association):
    person = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "fee_add", person_id=person.pk),
        {"start": "2025-12-31", "end": "2025-01-01", "amount": "10"},
    )
    assert response.status_code == 200
    assert "The period must end after it starts." in response.content.decode()
    with scope(association=association):
        assert not MembershipPeriod.objects.exists()


def test_deleting_a_fee_through_another_persons_address_is_not_found(admin_client, association):
    period = MembershipPeriodFactory(person=PersonFactory(association=association))
    someone_else = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "fee_delete", person_id=someone_else.pk, period_id=period.pk)
    )
    assert response.status_code == 404
    with scope(association=association):
        assert MembershipPeriod.objects.filter(pk=period.pk).exists()
