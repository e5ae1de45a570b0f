"""The member register through HTTP, as the association's administrator uses it:
list with search, filters and pagination (also as an htmx fragment), a person's page,
adding, editing, roles, departure, fees, invitations and join requests."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    MembershipPeriod,
    Person,
    Role,
)
from maillon.members.selectors import roles_of_user
from maillon.members.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
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


# --- the register ---------------------------------------------------------------------------


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


# --- a person's page, adding and editing ---------------------------------------------------------


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


# --- roles, departure ---------------------------------------------------------------------------


def test_changing_roles(admin_client, association):
    person = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "roles", person_id=person.pk),
        {"roles": ["member", "board"]},
    )
    assert response.status_code == 302
    with scope(association=association):
        assert set(person.role_assignments.values_list("role", flat=True)) == {"member", "board"}
    assert "The roles have been saved." in flash(response)


def test_removing_the_last_administrator_is_refused_with_a_message(
    admin_client, association, admin_user
):
    with scope(association=association):
        me = Person.objects.get(user=admin_user)

    response = admin_client.post(
        members_url(association, "roles", person_id=me.pk), {"roles": ["member"]}
    )

    assert response["Location"] == members_url(association, "detail", person_id=me.pk)
    assert flash(response) == ["The association must keep at least one administrator."]
    assert Role.ADMIN in roles_of_user(association=association, user=admin_user)


def test_an_unknown_role_is_refused_with_a_message(admin_client, association):
    person = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "roles", person_id=person.pk), {"roles": ["king"]}
    )
    assert flash(response) == ["Choose valid roles."]
    with scope(association=association):
        assert list(person.role_assignments.values_list("role", flat=True)) == ["member"]


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


# --- fees -----------------------------------------------------------------------------------------


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


# --- invitations ----------------------------------------------------------------------------


def test_inviting_a_person_emails_a_link_that_links_their_account(
    admin_client, association, django_capture_on_commit_callbacks
):
    person = PersonFactory(association=association, email="", first_name="Zoé")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            members_url(association, "invite", person_id=person.pk), {"email": "zoe@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["zoe@example.org"]
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    zoe = UserFactory(email="zoe@example.org", language="en")
    client = Client()
    client.force_login(zoe)
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    accepted = client.post(f"/{path}")

    assert accepted["Location"] == reverse(
        "backoffice:dashboard", kwargs={"association_slug": association.slug}
    )
    person.refresh_from_db()
    assert person.user == zoe
    assert client.get(accepted["Location"]).status_code == 200


def test_an_invitation_link_asks_to_sign_in_first(client, association):
    invitation = InvitationFactory(person__association=association)
    response = client.get(reverse("invitations:accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_expired_invitation_link_is_refused(client, association):
    invitation = InvitationFactory(
        person__association=association, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    user = UserFactory(language="en")
    client.force_login(user)
    url = reverse("invitations:accept", args=[invitation.token])

    assert "has expired" in client.get(url).content.decode()
    response = client.post(url)

    assert response["Location"] == reverse("me:home")
    assert roles_of_user(association=association, user=user) == frozenset()


def test_an_unknown_invitation_token_is_not_found(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("invitations:accept", args=["nope"])).status_code == 404


def test_an_invitation_to_a_person_without_email_needs_an_address(admin_client, association):
    person = PersonFactory(association=association, email="")
    response = admin_client.post(
        members_url(association, "invite", person_id=person.pk), {"email": ""}
    )
    assert flash(response) == ["Enter a valid email address."]
    with scope(association=association):
        assert not Invitation.objects.exists()


# --- join requests ----------------------------------------------------------------------------


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
