"""Join requests through HTTP: a visitor asks, the administrator answers."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.members.models import JoinRequest, JoinRequestStatus, Person
from maillon.members.tests.factories import JoinRequestFactory

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


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_visitor_asks_to_join_and_the_administrator_approves(admin_client, association):
    response = Client().post(
        reverse("associations:join", args=[association.slug]),
        {
            "first_name": "Inès",
            "last_name": "Faure",
            "email": "ines@example.org",
            "message": "Bonjour",
        },
    )
    assert response["Location"] == reverse("associations:public", args=[association.slug])

    listing = admin_client.get(members_url(association, "join_requests"))
    assert "Inès Faure" in listing.content.decode()
    with scope(association=association):
        jr = JoinRequest.objects.get()
    response = admin_client.post(
        members_url(association, "join_request_decide", join_request_id=jr.pk),
        {"decision": "approve"},
    )

    assert flash(response) == ["Inès Faure is now a member."]
    with scope(association=association):
        jr.refresh_from_db()
        assert (jr.person.first_name, jr.person.last_name) == ("Inès", "Faure")
        assert list(jr.person.role_assignments.values_list("role", flat=True)) == ["member"]
    assert (
        "Inès Faure"
        in admin_client.get(
            members_url(association, "join_requests"), {"status": "approved"}
        ).content.decode()
    )


def test_declining_a_join_request(admin_client, association):
    jr = JoinRequestFactory(association=association, last_name="Refusé")
    response = admin_client.post(
        members_url(association, "join_request_decide", join_request_id=jr.pk),
        {"decision": "reject"},
    )
    assert flash(response) == ["The request has been declined."]
    jr.refresh_from_db()
    assert jr.status == JoinRequestStatus.REJECTED
    with scope(association=association):
        assert not Person.objects.filter(last_name="Refusé").exists()
    # Answering twice says so instead of failing.
    again = admin_client.post(
        members_url(association, "join_request_decide", join_request_id=jr.pk),
        {"decision": "approve"},
    )
    assert flash(again)[-1] == "This request has already been answered."


def test_a_member_asking_to_join_again_is_told_so(admin_client, association, admin_user):
    url = reverse("associations:join", args=[association.slug])
    assert admin_user.email in admin_client.get(url).content.decode()  # pre-filled
    response = admin_client.post(
        url, {"first_name": "A", "last_name": "B", "email": admin_user.email}
    )
    assert response.status_code == 200
    assert "You are already a member of this association." in response.content.decode()
    with scope(association=association):
        assert not JoinRequest.objects.exists()


def test_the_join_requests_page_falls_back_to_pending_on_an_unknown_status(
    admin_client, association
):
    JoinRequestFactory(association=association, first_name="Inès", last_name="Faure")
    response = admin_client.get(members_url(association, "join_requests"), {"status": "zzz"})
    assert "Inès Faure" in response.content.decode()


def test_the_join_form_shows_errors_and_records_nothing(association):
    response = Client().post(
        reverse("associations:join", args=[association.slug]),
        {"first_name": "", "last_name": "", "email": "nope"},
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    with scope(association=association):
        assert not JoinRequest.objects.exists()
