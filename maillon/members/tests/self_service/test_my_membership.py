"""A member's own space in an association: their status, their fees, their details;
nobody else's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


def url(association, name="membership"):
    return reverse(f"my:{name}", kwargs={"association_slug": association.slug})


@pytest.fixture
def member_user(association):
    user = member_with_account(association, [Role.MEMBER], first_name="Léa", last_name="Martin")
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def own_person(user, association) -> Person:
    with scopes_disabled():
        return Person.objects.get(user=user, association=association)


def test_my_membership_shows_my_status_and_my_fees_only(client, association, member_user):
    end = datetime.date.today().replace(month=12, day=31)
    MembershipPeriodFactory(person=own_person(member_user, association), amount=42, end=end)
    MembershipPeriodFactory(person=PersonFactory(association=association), amount=77)
    client.force_login(member_user)
    page = client.get(url(association)).content.decode()
    assert f"À jour jusqu’au {end:%d/%m/%Y}" in page
    assert "42" in page
    assert "77" not in page


def test_not_up_to_date(client, association, member_user):
    client.force_login(member_user)
    with translation.override("fr"):
        page = client.get(url(association)).content.decode()
    assert "Pas à jour" in page


def test_an_outsider_gets_404(client, association, other_association):
    outsider = member_with_account(other_association, [Role.MEMBER])
    client.force_login(outsider)
    assert client.get(url(association)).status_code == 404
    assert client.get(url(association, "details")).status_code == 404


def test_editing_my_details_goes_through_the_audit_log(client, association, member_user):
    client.force_login(member_user)
    response = client.post(
        url(association, "details"),
        {
            "phone": "06 11 22 33 44",
            "city": "Lyon",
            "postal_code": "69004",
            "consent_newsletter": "on",
        },
    )
    assert response.status_code == 302
    person = own_person(member_user, association)
    assert (person.city, person.consent_newsletter) == ("Lyon", True)
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="members.person_updated_by_self")
    assert entry.actor == member_user
    assert "city" in entry.data["changes"]


def test_my_details_cannot_touch_other_fields(client, association, member_user):
    client.force_login(member_user)
    client.post(url(association, "details"), {"first_name": "Pirate", "notes": "x", "city": "Lyon"})
    person = own_person(member_user, association)
    assert person.first_name == "Léa"
    assert person.notes == ""


def test_links_only_to_the_modules_switched_on(client, association, member_user):
    association.enabled_modules = ["members", "governance"]
    association.save(update_fields=["enabled_modules"])
    client.force_login(member_user)
    page = client.get(url(association)).content.decode()
    assert f"/a/{association.slug}/governance/" in page
    assert f"/a/{association.slug}/volunteering/my-hours/" not in page


def test_a_period_only_in_the_future_is_not_up_to_date_as_in_the_register(
    client, association, member_user
):
    """The register counts a member up to date when a paid period contains today;
    their own page says the same, and names the period to come."""
    today = datetime.date.today()
    person = own_person(member_user, association)
    MembershipPeriodFactory(
        person=person,
        start=today - datetime.timedelta(days=400),
        end=today - datetime.timedelta(days=35),
    )
    ahead = today + datetime.timedelta(days=30)
    MembershipPeriodFactory(person=person, start=ahead, end=ahead + datetime.timedelta(days=364))
    client.force_login(member_user)
    page = client.get(url(association)).content.decode()
    assert "Pas à jour" in page
    assert f"{today - datetime.timedelta(days=35):%d/%m/%Y}" in page
    assert f"Votre prochaine période payée commence le {ahead:%d/%m/%Y}" in page
    assert "À jour jusqu’au" not in page


def test_a_fee_renewed_ahead_counts_to_the_end_of_the_next_period(client, association, member_user):
    today = datetime.date.today()
    person = own_person(member_user, association)
    current_end = today + datetime.timedelta(days=10)
    MembershipPeriodFactory(
        person=person, start=today - datetime.timedelta(days=355), end=current_end
    )
    next_end = current_end + datetime.timedelta(days=365)
    MembershipPeriodFactory(
        person=person, start=current_end + datetime.timedelta(days=1), end=next_end
    )
    client.force_login(member_user)
    page = client.get(url(association)).content.decode()
    assert f"À jour jusqu’au {next_end:%d/%m/%Y}" in page
