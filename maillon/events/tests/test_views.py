import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.events.models import Event, EventStatus, Registration, RegistrationStatus
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

from .factories import make_event, make_registration

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


@pytest.fixture(autouse=True)
def _english_users(monkeypatch):
    monkeypatch.setattr(UserFactory, "language", "en")


def bo(association, name, **kwargs):
    return reverse(f"events:{name}", kwargs={"association_slug": association.slug, **kwargs})


def _refresh(obj):
    with scopes_disabled():
        obj.refresh_from_db()
    return obj


# --- back-office ----------------------------------------------------------------------------------


def test_create_edit_publish_cancel_through_the_pages(admin_client, association):
    response = admin_client.post(
        bo(association, "create"),
        {
            "title": "Forum des associations",
            "description": "Stands et rencontres.",
            "audience": "public",
            "starts_at": "2099-09-12T10:00",
            "ends_at": "2099-09-12T18:00",
            "address": "Parc de la Tête d'Or",
            "postal_code": "69006",
            "city": "Lyon",
            "capacity": "2",
            "registration_open": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        event = Event.objects.get(title="Forum des associations")
    # Typed in Paris time: 10:00 in September is 08:00 UTC.
    assert event.starts_at == datetime.datetime(2099, 9, 12, 8, 0, tzinfo=datetime.UTC)
    assert event.department.code == "69"

    edit = admin_client.get(bo(association, "edit", event_id=event.pk))
    assert 'value="2099-09-12T10:00"' in edit.content.decode()

    admin_client.post(bo(association, "publish", event_id=event.pk))
    assert _refresh(event).status == EventStatus.PUBLISHED
    make_registration(event, email="lea@example.org")
    page = admin_client.get(bo(association, "cancel", event_id=event.pk))
    assert page.status_code == 200
    admin_client.post(bo(association, "cancel", event_id=event.pk), {"confirm": "on"})
    assert _refresh(event).status == EventStatus.CANCELLED
    assert mail.outbox[-1].to == ["lea@example.org"]


def test_event_form_shows_errors_not_500(admin_client, association):
    response = admin_client.post(
        bo(association, "create"),
        {"title": "X", "audience": "public", "starts_at": "nonsense", "ends_at": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    response = admin_client.post(
        bo(association, "create"),
        {
            "title": "X",
            "audience": "public",
            "starts_at": "2099-01-02T10:00",
            "ends_at": "2099-01-01T10:00",
            "postal_code": "99999",
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()


def test_members_see_the_list_but_not_drafts_nor_manage(client, association):
    make_event(association, title="Publié")
    make_event(association, title="Brouillon", status=EventStatus.DRAFT)
    member = member_with_account(association, [Role.MEMBER])
    client.force_login(member)
    content = client.get(bo(association, "list")).content.decode()
    assert "Publié" in content and "Brouillon" not in content
    assert "New event" not in content
    assert client.get(bo(association, "create")).status_code == 403


def test_check_in_without_js_and_with_htmx(admin_client, association):
    event = make_event(association)
    registration = make_registration(event, email="lea@example.org")
    url = bo(association, "check_in", event_id=event.pk, registration_id=registration.pk)
    response = admin_client.post(url, {"present": "on"})
    assert response.status_code == 302
    assert _refresh(registration).is_checked_in
    page = admin_client.get(bo(association, "registrations", event_id=event.pk))
    assert "Present (" in page.content.decode()

    response = admin_client.post(url, {"present": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<tr")
    assert not _refresh(registration).is_checked_in


def test_walk_in_from_the_register(admin_client, association):
    event = make_event(association)
    person = PersonFactory(association=association, first_name="Odile", last_name="Sanspc")
    page = admin_client.get(bo(association, "registrations", event_id=event.pk), {"who": "sanspc"})
    assert "Odile Sanspc" in page.content.decode()
    admin_client.post(bo(association, "walk_in", event_id=event.pk), {"person_id": person.pk})
    with scopes_disabled():
        registration = Registration.objects.get(event=event, person=person)
    assert registration.is_checked_in and registration.is_walk_in
    # Someone of another association cannot be checked in here.
    stranger = PersonFactory()
    response = admin_client.post(
        bo(association, "walk_in", event_id=event.pk), {"person_id": stranger.pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Registration.objects.filter(person=stranger).exists()


def test_attendance_csv_guards_formulas(admin_client, association):
    event = make_event(association)
    make_registration(event, first_name="=HYPERLINK(1)", last_name="Zed", checked_in=True)
    make_registration(event, first_name="Anne", last_name="Absente", email="a@example.org")
    response = admin_client.get(bo(association, "attendance_csv", event_id=event.pk))
    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Last name;First name")
    assert "Absente;Anne;a@example.org" in lines[1] and lines[1].endswith(";no;no;")
    assert "'=HYPERLINK(1)" in lines[2] and ";yes;" in lines[2]


def test_sign_in_sheet_lists_the_confirmed(admin_client, association):
    event = make_event(association)
    make_registration(event, first_name="Anne", last_name="Liste")
    make_registration(event, first_name="Bob", last_name="Attente", status=RS.WAITING,
                      holds_seat=False)  # fmt: skip
    content = admin_client.get(bo(association, "sign_in_sheet", event_id=event.pk)).content
    assert b"LISTE Anne" in content and b"Attente" not in content


def test_another_associations_admin_gets_404_everywhere(client, association, other_admin):
    event = make_event(association)
    registration = make_registration(event)
    client.force_login(other_admin)
    other = other_admin.people.model.objects  # noqa: F841 - the outsider has their own space
    from maillon.associations.models import Association

    own = Association.objects.get(slug="club-voisin")
    ids = {"event_id": event.pk}
    with_reg = {**ids, "registration_id": registration.pk}
    for name, kwargs, method in [
        ("detail", ids, "get"),
        ("edit", ids, "get"),
        ("publish", ids, "post"),
        ("cancel", ids, "post"),
        ("registrations", ids, "get"),
        ("check_in", with_reg, "post"),
        ("registration_cancel", with_reg, "post"),
        ("walk_in", ids, "post"),
        ("attendance_csv", ids, "get"),
        ("sign_in_sheet", ids, "get"),
    ]:
        for slug in (association.slug, own.slug):
            url = reverse(f"events:{name}", kwargs={"association_slug": slug, **kwargs})
            assert getattr(client, method)(url).status_code == 404, (name, slug)
    assert _refresh(event).status == EventStatus.PUBLISHED
    assert not _refresh(registration).is_checked_in


# --- public pages -------------------------------------------------------------------------------


def test_guest_registration_confirm_and_cancel_by_link(client, association):
    event = make_event(association, capacity=1)
    response = client.post(
        reverse("public_events:register", args=[event.pk]),
        {"first_name": "Jean", "last_name": "Invité", "email": "jean@example.org"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        registration = Registration.objects.get(email="jean@example.org")
    assert registration.status == RS.PENDING
    assert registration.token in mail.outbox[-1].body

    page = Client().get(reverse("public_events:registration", args=[registration.token]))
    assert "Confirm my registration" in page.content.decode()
    Client().post(reverse("public_events:registration_confirm", args=[registration.token]))
    assert _refresh(registration).status == RS.CONFIRMED
    Client().post(reverse("public_events:registration_cancel", args=[registration.token]))
    assert _refresh(registration).status == RS.CANCELLED
    assert _refresh(event).seats_taken == 0
    assert Client().get(reverse("public_events:registration", args=["forged"])).status_code == 404


def test_guest_form_errors_are_shown(client, association):
    event = make_event(association)
    response = client.post(
        reverse("public_events:register", args=[event.pk]), {"first_name": "", "email": "nope"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_account_holder_registers_and_cancels_from_my_events(client, association):
    event = make_event(association, title="Pique-nique")
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("public_events:register", args=[event.pk]))
    page = client.get(reverse("public_events:mine"))
    content = page.content.decode()
    assert "Pique-nique" in content and "/events/me/" in content
    with scopes_disabled():
        registration = Registration.objects.get(user=user)
    client.post(reverse("public_events:my_registration_cancel", args=[registration.pk]))
    assert _refresh(registration).status == RS.CANCELLED
    # Someone else's registration is not theirs to cancel.
    other = make_registration(event, user=UserFactory(), email="o@example.org")
    response = client.post(reverse("public_events:my_registration_cancel", args=[other.pk]))
    assert response.status_code == 404


def test_my_events_needs_sign_in(client):
    assert client.get(reverse("public_events:mine")).status_code == 302


def test_members_only_event_page(client, association, other_association):
    event = make_event(association, audience="members", title="Réunion interne")
    url = reverse("public_events:event", args=[event.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(member_with_account(other_association, [Role.MEMBER]))
    assert client.get(url).status_code == 404
    client.force_login(member_with_account(association, [Role.VOLUNTEER]))
    assert "Réunion interne" in client.get(url).content.decode()


def test_drafts_and_disabled_module_are_not_public(client, association):
    draft = make_event(association, status=EventStatus.DRAFT)
    assert client.get(reverse("public_events:event", args=[draft.pk])).status_code == 404
    event = make_event(association)
    association.enabled_modules = ["members"]
    association.save()
    assert client.get(reverse("public_events:event", args=[event.pk])).status_code == 404


def test_event_page_offers_add_to_calendar(client, association):
    event = make_event(association, title="Concert solidaire")
    content = client.get(reverse("public_events:event", args=[event.pk])).content.decode()
    assert reverse("public_events:event_ics", args=[event.pk]) in content
    response = client.get(reverse("public_events:event_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")


def test_times_are_shown_in_the_associations_time_zone(client, association):
    association.time_zone = "America/Cayenne"
    association.save()
    starts = datetime.datetime(2099, 5, 1, 12, 0, tzinfo=datetime.UTC)
    event = make_event(association, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    content = client.get(reverse("public_events:event", args=[event.pk])).content.decode()
    assert "09:00" in content and "America/Cayenne" in content


def test_past_event_cancel_link_refused_gently(client, association):
    event = make_event(association, days=-1)
    registration = make_registration(event, email="late@example.org")
    response = client.post(reverse("public_events:registration_cancel", args=[registration.token]))
    assert response.status_code == 302
    assert _refresh(registration).status == RS.CONFIRMED
    assert timezone.now() > event.starts_at


def test_pages_are_in_french_for_french_visitors(client, association):
    from django.utils import translation

    event = make_event(association, capacity=1)
    make_registration(event, email="x@example.org")
    with translation.override("fr"):
        client.cookies["django_language"] = "fr"
        content = client.get(
            reverse("public_events:event", args=[event.pk]), headers={"Accept-Language": "fr"}
        ).content.decode()
    assert "M’inscrire sur liste d’attente" in content or "liste d’attente" in content
