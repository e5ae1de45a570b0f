import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.events import services
from maillon.events.models import (
    Campaign,
    Event,
    EventAudience,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

from .factories import make_event, make_registration

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


@pytest.fixture(autouse=True)
def _english_users(monkeypatch):
    monkeypatch.setattr(UserFactory, "language", "en")


def _refresh(obj):
    with scopes_disabled():
        obj.refresh_from_db()
    return obj


def _create(association, actor, **overrides):
    starts = timezone.now() + datetime.timedelta(days=10)
    fields = {
        "title": "Atelier vélo",
        "description": "On répare.",
        "audience": EventAudience.PUBLIC,
        "address": "2 rue Neuve",
        "postal_code": "13001",
        "city": "Marseille",
        "online_url": "",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "capacity": None,
        "registration_open": True,
        "campaign": None,
    }
    fields.update(overrides)
    with scope(association=association):
        return services.event_create(association=association, actor=actor, **fields)


# --- events ---------------------------------------------------------------------------------


def test_create_derives_the_department_and_audits(association, admin_user):
    event = _create(association, admin_user)
    assert event.status == EventStatus.DRAFT
    assert event.department.code == "13"
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="events.event_create").count() == 1


def test_an_event_needs_a_place_or_a_link(association, admin_user):
    with pytest.raises(ValidationError) as error:
        _create(association, admin_user, address="", postal_code="", city="")
    assert "postal_code" in error.value.message_dict
    online = _create(
        association, admin_user, address="", postal_code="", city="", online_url="https://v.example"
    )
    assert online.is_online and not online.has_place
    hybrid = _create(association, admin_user, online_url="https://v.example")
    assert hybrid.is_hybrid


def test_a_bad_postal_code_is_a_form_error(association, admin_user):
    with pytest.raises(ValidationError) as error:
        _create(association, admin_user, postal_code="ABCDE")
    assert "postal_code" in error.value.message_dict


def test_only_managers_create_events(association):
    volunteer = member_with_account(association, [Role.VOLUNTEER])
    with pytest.raises(PermissionDenied):
        _create(association, volunteer)


def test_campaign_must_be_running_and_contain_the_event(association, admin_user):
    today = timezone.localdate()
    over = Campaign.objects.create(
        title="Passée", slug="passee", starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=20),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        _create(association, admin_user, campaign=over)
    assert "campaign" in error.value.message_dict
    week = Campaign.objects.create(
        title="Semaine", slug="semaine", starts_on=today + datetime.timedelta(days=9),
        ends_on=today + datetime.timedelta(days=15),
    )  # fmt: skip
    assert _create(association, admin_user, campaign=week).campaign == week
    with pytest.raises(ValidationError):
        starts = timezone.now() + datetime.timedelta(days=40)
        _create(
            association,
            admin_user,
            campaign=week,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        )


def test_capacity_cannot_go_below_the_seats_taken(association, admin_user):
    event = make_event(association, capacity=3)
    for i in range(2):
        make_registration(event, email=f"p{i}@example.org")
    with scope(association=association), pytest.raises(ValidationError) as error:
        services.event_update(association=association, actor=admin_user, event=event, capacity=1)
    assert "capacity" in error.value.message_dict


# --- registration, capacity, waiting list ---------------------------------------------------


def test_account_holders_get_seats_then_the_waiting_list(association):
    event = make_event(association, capacity=2)
    users = [UserFactory() for _ in range(3)]
    statuses = [services.registration_create(event=event, user=u).status for u in users]
    assert statuses == [RS.CONFIRMED, RS.CONFIRMED, RS.WAITING]
    assert _refresh(event).seats_taken == 2
    subjects = [m.subject for m in mail.outbox]
    assert subjects[:2] == ["You are registered: Atelier témoin"] * 2
    assert subjects[2] == "You are on the waiting list: Atelier témoin"
    assert mail.outbox[0].attachments[0][0] == "event.ics"


def test_registering_twice_is_refused(association):
    event = make_event(association)
    user = UserFactory()
    services.registration_create(event=event, user=user)
    with pytest.raises(services.AlreadyRegistered):
        services.registration_create(event=event, user=user)


def test_cancelling_promotes_the_first_waiting_person(association):
    event = make_event(association, capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    seat = services.registration_create(event=event, user=first)
    wait_1 = services.registration_create(event=event, user=second)
    wait_2 = services.registration_create(event=event, user=third)
    mail.outbox.clear()

    services.registration_cancel(registration=seat)

    assert _refresh(seat).status == RS.CANCELLED
    assert _refresh(wait_1).status == RS.CONFIRMED and wait_1.promoted_at
    assert _refresh(wait_2).status == RS.WAITING
    assert _refresh(event).seats_taken == 1
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert mail.outbox[0].subject == "A seat is free for you: Atelier témoin"


def test_a_waiting_person_who_cancels_frees_nothing(association):
    event = make_event(association, capacity=1)
    seat = services.registration_create(event=event, user=UserFactory())
    waiting = services.registration_create(event=event, user=UserFactory())
    services.registration_cancel(registration=waiting)
    assert _refresh(seat).status == RS.CONFIRMED
    assert _refresh(event).seats_taken == 1


def test_a_larger_capacity_promotes_the_waiting_list(association, admin_user):
    event = make_event(association, capacity=1)
    services.registration_create(event=event, user=UserFactory())
    waiting = [services.registration_create(event=event, user=UserFactory()) for _ in range(3)]
    with scope(association=association):
        services.event_update(association=association, actor=admin_user, event=event, capacity=3)
    assert [_refresh(r).status for r in waiting] == [RS.CONFIRMED, RS.CONFIRMED, RS.WAITING]
    assert _refresh(event).seats_taken == 3


def test_the_cancel_link_of_someone_else_is_refused_from_the_account_page(association):
    event = make_event(association)
    registration = services.registration_create(event=event, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, actor=UserFactory())


def test_closed_draft_started_events_refuse_registrations(association):
    for fields in (
        {"registration_open": False},
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CANCELLED},
        {"days": -0.01},
    ):
        event = make_event(association, **fields)
        with pytest.raises(ValidationError):
            services.registration_create(event=event, user=UserFactory())


# --- guests -------------------------------------------------------------------------------


def _link(message) -> str:
    return re.search(r"https?://\S+/events/r/(\S+)/", message.body).group(1)


def test_a_guest_holds_a_seat_only_once_the_email_is_confirmed(association):
    event = make_event(association, capacity=1)
    guest = services.registration_create(
        event=event, first_name="Jean", last_name="Dupont", email="Jean@Example.org"
    )
    assert guest.status == RS.PENDING and guest.email == "jean@example.org"
    assert _refresh(event).seats_taken == 0
    assert mail.outbox[-1].subject == "Confirm your registration: Atelier témoin"
    assert _link(mail.outbox[-1]) == guest.token

    # Meanwhile an account holder takes the only seat: the guest will wait.
    services.registration_create(event=event, user=UserFactory())
    guest = services.registration_confirm_email(registration=guest)
    assert guest.status == RS.WAITING
    # Confirming twice changes nothing.
    assert services.registration_confirm_email(registration=guest).status == RS.WAITING


def test_a_guest_registering_again_gets_the_link_again(association):
    event = make_event(association)
    first = services.registration_create(event=event, first_name="A", email="a@example.org")
    again = services.registration_create(event=event, first_name="A", email="A@example.org")
    assert again.pk == first.pk
    assert len(mail.outbox) == 2
    services.registration_confirm_email(registration=first)
    with pytest.raises(services.AlreadyRegistered):
        services.registration_create(event=event, first_name="A", email="a@example.org")


def test_a_guest_needs_a_name_and_an_email(association):
    event = make_event(association)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, first_name="", email="x@example.org")


# --- members-only --------------------------------------------------------------------------


def test_members_only_events_take_only_members(association, other_association):
    event = make_event(association, audience=EventAudience.MEMBERS)
    member = member_with_account(association, [Role.MEMBER])
    outsider = member_with_account(other_association, [Role.MEMBER])
    registration = services.registration_create(event=event, user=member)
    assert registration.status == RS.CONFIRMED and registration.person.user == member
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=outsider)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, first_name="G", email="g@example.org")


def test_a_former_member_is_no_longer_a_member(association):
    event = make_event(association, audience=EventAudience.MEMBERS)
    former = member_with_account(association, [Role.MEMBER])
    with scopes_disabled():
        person = former.people.get()
    person.left_on = timezone.localdate()
    with scopes_disabled():
        person.save()
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=former)


# --- cancelling an event --------------------------------------------------------------------


def test_cancelling_an_event_tells_registered_and_waiting_people(association, admin_user):
    event = make_event(association, capacity=1)
    seat = services.registration_create(event=event, user=UserFactory())
    waiting = services.registration_create(event=event, user=UserFactory())
    services.registration_create(event=event, first_name="P", email="pending@example.org")
    mail.outbox.clear()
    with scope(association=association):
        services.event_cancel(
            association=association, actor=admin_user, event=event, reason="Salle inondée."
        )
    assert _refresh(event).status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seat.email, waiting.email])
    assert "Salle inondée." in mail.outbox[0].body
    assert b"STATUS:CANCELLED" in mail.outbox[0].attachments[0][1].encode()
    with scope(association=association), pytest.raises(ValidationError):
        services.event_cancel(association=association, actor=admin_user, event=event)


def test_publish_only_a_draft(association, admin_user):
    event = make_event(association, status=EventStatus.DRAFT)
    with scope(association=association):
        services.event_publish(association=association, actor=admin_user, event=event)
        assert _refresh(event).status == EventStatus.PUBLISHED and event.published_at
        with pytest.raises(ValidationError):
            services.event_publish(association=association, actor=admin_user, event=event)


def test_services_refuse_another_associations_event(association, other_association, admin_user):
    foreign = make_event(other_association)
    with scope(association=association), pytest.raises(Exception) as error:
        services.event_publish(association=association, actor=admin_user, event=foreign)
    assert error.type.__name__ in ("ObjectOutsideAssociation", "PermissionDenied")


# --- check-in --------------------------------------------------------------------------------


def test_check_in_and_undo(association, admin_user):
    event = make_event(association)
    registration = make_registration(event, email="lea@example.org")
    with scope(association=association):
        services.registration_check_in(
            association=association, actor=admin_user, registration=registration
        )
        assert _refresh(registration).checked_in_at and registration.checked_in_by == admin_user
        services.registration_check_in(
            association=association, actor=admin_user, registration=registration, present=False
        )
        assert _refresh(registration).checked_in_at is None


def test_a_waiting_person_who_comes_is_checked_in_without_a_seat(association, admin_user):
    event = make_event(association, capacity=1)
    services.registration_create(event=event, user=UserFactory())
    waiting = services.registration_create(event=event, user=UserFactory())
    with scope(association=association):
        services.registration_check_in(
            association=association, actor=admin_user, registration=waiting
        )
    waiting = _refresh(waiting)
    assert waiting.status == RS.CONFIRMED and waiting.is_walk_in and not waiting.holds_seat
    assert _refresh(event).seats_taken == 1


def test_walk_in_of_someone_of_the_register(association, admin_user):
    event = make_event(association, capacity=1)
    person = PersonFactory(association=association, user=None, email="")
    with scope(association=association):
        registration = services.walk_in_check_in(
            association=association, actor=admin_user, event=event, person=person
        )
        assert registration.is_checked_in and registration.is_walk_in
        # Twice: the same registration, still checked in.
        again = services.walk_in_check_in(
            association=association, actor=admin_user, event=event, person=person
        )
    assert again.pk == registration.pk
    with scopes_disabled():
        assert Registration.objects.filter(event=event).count() == 1
    assert _refresh(event).seats_taken == 0


def test_walk_in_refuses_a_person_of_another_association(
    association, other_association, admin_user
):
    event = make_event(association)
    stranger = PersonFactory(association=other_association)
    with scope(association=association), pytest.raises(Exception) as error:
        services.walk_in_check_in(
            association=association, actor=admin_user, event=event, person=stranger
        )
    assert error.type.__name__ == "ObjectOutsideAssociation"


def test_seats_taken_cannot_exceed_capacity_in_the_database(association):
    from django.db import IntegrityError, transaction

    event = make_event(association, capacity=1, seats_taken=1)
    with pytest.raises(IntegrityError), transaction.atomic(), scopes_disabled():
        Event.objects.filter(pk=event.pk).update(seats_taken=2)
