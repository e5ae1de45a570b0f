"""Two people taking the last seat at the same instant, on PostgreSQL (SQLite
serialises writers, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.events import services
from maillon.events.models import Event, Registration, RegistrationStatus

from .factories import make_event, make_registration

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has no concurrent writers",
    ),
]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_registrations_for_the_last_seat(association):
    event = make_event(association, capacity=1)
    users = [UserFactory() for _ in range(4)]
    outcomes = _race([lambda u=u: services.registration_create(event=event, user=u) for u in users])
    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    statuses = sorted(o.status for o in outcomes)
    assert statuses.count(RegistrationStatus.CONFIRMED) == 1
    assert statuses.count(RegistrationStatus.WAITING) == 3
    with scopes_disabled():
        assert Event.objects.get(pk=event.pk).seats_taken == 1
        assert Registration.objects.filter(event=event, holds_seat=True).count() == 1


def test_a_cancellation_and_a_registration_at_the_same_time(association):
    event = make_event(association, capacity=1)
    holder = make_registration(event, user=UserFactory(), email="holder@example.org")
    waiting = services.registration_create(event=event, user=UserFactory())
    newcomer = UserFactory()
    outcomes = _race(
        [
            lambda: services.registration_cancel(registration=holder),
            lambda: services.registration_create(event=event, user=newcomer),
        ]
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    with scopes_disabled():
        seated = list(Registration.objects.filter(event=event, holds_seat=True))
        assert Event.objects.get(pk=event.pk).seats_taken == 1
    # Whoever came first, exactly one seat is taken and the waiting person is first
    # in line: they hold it unless the newcomer took it before the cancellation.
    assert len(seated) == 1
    assert seated[0].pk == waiting.pk or seated[0].user_id == newcomer.pk


def test_the_same_person_twice_at_once_registers_once(association):
    event = make_event(association)
    user = UserFactory()
    outcomes = _race([lambda: services.registration_create(event=event, user=user)] * 2)
    assert sum(isinstance(o, Registration) for o in outcomes) == 1
    assert sum(isinstance(o, services.AlreadyRegistered) for o in outcomes) == 1
