"""The member register through HTTP, as the association's administrator uses it:
list with search, filters and pagination (also as an htmx fragment), a person's page,
adding, editing, recording a departure."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

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


def row_names(response) -> list[str]:
    """The names shown in the register table, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def test_the_register_lists_current_members_of_this_association_only(
    admin_client, association, other_association
):
    PersonFactory(association=association, first_name="Alice", last_name="Aubert")
    PersonFactory(
        association=association, first_name="Paul", last_name="Parti", left_on=timezone.localdate()
    )
    PersonFactory(association=other_association, first_name="Vera", last_name="Voisin")

    response = admin_client.get(members_url(association))

    assert response.status_code == 200
    names = row_names(response)
    assert "Aubert Alice" in names
    assert not any("Parti" in n for n in names)
    assert not any("Voisin" in n for n in names)
    assert "<html" in response.content.decode()


def test_search_finds_people_by_name_email_or_city(admin_client, association):
    PersonFactory(association=association, first_name="Élise", last_name="Garnier", city="Bron")
    PersonFactory(association=association, first_name="Marc", last_name="Dupuis", city="Lyon")

    assert row_names(admin_client.get(members_url(association), {"q": "garn"})) == ["Garnier Élise"]
    assert row_names(admin_client.get(members_url(association), {"q": "BRON garn"})) == [
        "Garnier Élise"
    ]
    assert row_names(admin_client.get(members_url(association), {"q": "nobody"})) == []


def test_filters_by_role_fee_joined_year_and_status(admin_client, association):
    today = timezone.localdate()
    treasurer = PersonFactory(
        association=association, last_name="Trésorier", roles=[Role.MEMBER, Role.TREASURER]
    )
    MembershipPeriodFactory(person=treasurer, start=today, end=today)
    PersonFactory(association=association, last_name="Nouveau", joined_on=today.replace(day=1))
    PersonFactory(association=association, last_name="Ancien", left_on=today)

    def names(**params):
        return {n.split()[0] for n in row_names(admin_client.get(members_url(association), params))}

    assert names(role="treasurer") == {"Trésorier"}
    assert names(up_to_date="yes") == {"Trésorier"}
    assert "Trésorier" not in names(up_to_date="no")
    assert names(joined_year=today.year) == {"Nouveau"}
    assert names(status="left") == {"Ancien"}
    assert "Ancien" in names(status="all")


def test_the_register_shows_fifty_people_per_page(admin_client, association):
    PersonFactory.create_batch(54, association=association)  # 55 with the administrator

    first = admin_client.get(members_url(association))
    second = admin_client.get(members_url(association), {"page": 2})

    assert len(row_names(first)) == 50
    assert len(row_names(second)) == 5
    assert set(row_names(first)).isdisjoint(row_names(second))
    assert "55 people" in first.content.decode()


def test_an_htmx_request_gets_the_results_fragment_only(admin_client, association):
    PersonFactory(association=association, first_name="Alice", last_name="Aubert")

    response = admin_client.get(
        members_url(association), {"q": "aubert"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<form" not in content  # the filter form stays in place on the page
    assert row_names(response) == ["Aubert Alice"]


def test_invalid_filters_show_everybody_rather_than_an_error(admin_client, association):
    response = admin_client.get(members_url(association), {"joined_year": "abc", "role": "king"})
    assert response.status_code == 200
    assert len(row_names(response)) == 1


def test_a_person_page_shows_their_record_roles_and_fees(admin_client, association):
    person = PersonFactory(
        association=association,
        first_name="Lina",
        last_name="Moreau",
        email="lina@example.org",
        roles=[Role.MEMBER, Role.SECRETARY],
    )
    today = timezone.localdate()
    MembershipPeriodFactory(person=person, start=today, end=today, amount=30)

    response = admin_client.get(members_url(association, "detail", person_id=person.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Lina Moreau" in content
    assert "lina@example.org" in content
    assert "Secretary" in content
    assert "fee up to date" in content
    assert "30.00 €" in content or "30,00 €" in content


def test_adding_a_person(admin_client, association):
    assert admin_client.get(members_url(association, "create")).status_code == 200
    response = admin_client.post(
        members_url(association, "create"),
        {
            "first_name": "Hugo",
            "last_name": "Lambert",
            "email": "hugo@example.org",
            "joined_on": "2024-09-01",
            "roles": ["member", "volunteer"],
        },
    )

    with scope(association=association):
        person = Person.objects.get(last_name="Lambert")
        assert set(person.role_assignments.values_list("role", flat=True)) == {
            "member",
            "volunteer",
        }
    assert response.status_code == 302
    assert response["Location"] == members_url(association, "detail", person_id=person.pk)
    assert person.joined_on == datetime.date(2024, 9, 1)
    assert "members.person_created" in audit_actions(association)


def test_an_invalid_form_shows_an_error_summary_not_a_server_error(admin_client, association):
    response = admin_client.post(
        members_url(association, "create"),
        {"first_name": "", "last_name": "Lambert", "email": "not-an-email", "roles": ["member"]},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in content
    assert "There is a problem" in content
    assert 'href="#id_email"' in content and 'href="#id_first_name"' in content
    with scope(association=association):
        assert not Person.objects.filter(last_name="Lambert").exists()


def test_staff_cannot_give_a_bureau_role_when_adding_someone(client, association):
    staff = member_with_account(association, [Role.STAFF])
    client.force_login(staff)

    response = client.post(
        members_url(association, "create"),
        {"first_name": "T", "last_name": "Trésorier", "roles": ["treasurer"]},
    )

    assert response.status_code == 200  # the choice is not offered: form error
    with scope(association=association):
        assert not Person.objects.filter(last_name="Trésorier").exists()


def test_editing_a_person_saves_and_logs_the_change(admin_client, association):
    person = PersonFactory(association=association, first_name="Jean", last_name="Roux")

    response = admin_client.post(
        members_url(association, "edit", person_id=person.pk),
        {
            "first_name": "Jeanne",
            "last_name": "Roux",
            "email": "jeanne@example.org",
            "joined_on": person.joined_on.isoformat(),
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.email) == ("Jeanne", "jeanne@example.org")
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="members.person_updated")
    assert entry.data["changes"]["first_name"] == ["Jean", "Jeanne"]


def test_an_edit_that_breaks_a_rule_shows_the_error(admin_client, association):
    person = PersonFactory(association=association, left_on=timezone.localdate())
    response = admin_client.post(
        members_url(association, "edit", person_id=person.pk),
        {
            "first_name": "A",
            "last_name": "B",
            "joined_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_a_refused_edit_keeps_the_stored_name_in_the_title(admin_client, association):
    person = PersonFactory(association=association, first_name="Jean", last_name="Roux")
    response = admin_client.post(
        members_url(association, "edit", person_id=person.pk),
        {"first_name": "Jeanne", "last_name": "Roux", "email": "nope"},
    )
    assert response.status_code == 200
    assert "<h1>Edit Jean Roux</h1>" in response.content.decode()


def test_recording_a_departure(admin_client, association):
    person = PersonFactory(association=association)
    today = timezone.localdate()
    response = admin_client.post(
        members_url(association, "leave", person_id=person.pk),
        {"left_on": today.isoformat(), "confirm": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.left_on == today
    page = admin_client.get(members_url(association, "detail", person_id=person.pk))
    assert "Record the departure" not in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"left_on": "someday", "confirm": "on"},  # not a date
        {"left_on": "2025-01-01"},  # not confirmed
    ],
)
def test_a_departure_needs_a_valid_date_and_a_confirmation(admin_client, association, data):
    person = PersonFactory(association=association)
    response = admin_client.post(members_url(association, "leave", person_id=person.pk), data)
    assert flash(response) == ["Give a valid date and tick the confirmation box."]
    person.refresh_from_db()
    assert person.left_on is None


def test_a_large_register_is_not_counted_in_full(admin_client, association, monkeypatch):
    """Beyond EXACT_COUNT_UP_TO people the page says "more than" and stops counting;
    paging still works, and a short last page gives the exact count again."""
    from maillon.members.register import selectors

    monkeypatch.setattr(selectors, "EXACT_COUNT_UP_TO", 60)
    PersonFactory.create_batch(119, association=association)  # 120 with the administrator

    first = admin_client.get(members_url(association)).content.decode()
    assert "More than 60 people" in first
    href, last_name = re.search(r'<th scope="row"><a href="([^"]+)">([^ <]+)', first).groups()
    with scopes_disabled():
        person = Person.objects.get(pk=int(href.rstrip("/").split("/")[-1]))
    assert href == reverse("members:detail", args=[association.slug, person.pk])
    assert person.last_name == last_name
    assert 'aria-current="page">Page 1<' in first and 'rel="next"' in first

    second = admin_client.get(members_url(association), {"page": 2}).content.decode()
    assert "More than 60 people" in second and 'rel="next"' in second
    third = admin_client.get(members_url(association), {"page": 3})
    assert len(row_names(third)) == 20
    assert "120 people" in third.content.decode()
    assert 'rel="next"' not in third.content.decode()
    # Past the end: the last page, as before.
    assert row_names(admin_client.get(members_url(association), {"page": 99})) == row_names(third)


def test_a_register_under_the_cap_is_counted_exactly(admin_client, association, monkeypatch):
    from maillon.members.register import selectors

    monkeypatch.setattr(selectors, "EXACT_COUNT_UP_TO", 60)
    PersonFactory.create_batch(59, association=association)  # 60 with the administrator
    page = admin_client.get(members_url(association)).content.decode()
    assert "60 people" in page and "More than" not in page
    assert 'aria-current="page">Page 1 of 2<' in page
