"""A guest's registration emails the address they typed: per hour, at most 20 from
one connection and 5 to one address (core/ratelimit.py, the login lockout's
limiter); the refusal says when to try again. The confirmation email repeats nothing
a visitor typed but the first 40 characters of the first name."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.events.models import Registration

from .factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(association):
    return [make_event(association, title=f"Atelier {n}") for n in range(22)]


def register(client, event, *, email="jean@example.org", address="198.51.100.7", **fields):
    data = {"first_name": "Jean", "last_name": "Invité", "email": email, **fields}
    return client.post(
        reverse("public_events:register", args=[event.pk]), data, REMOTE_ADDR=address
    )


def registrations() -> int:
    with scopes_disabled():
        return Registration.objects.count()


def test_five_registrations_to_one_address_per_hour_then_a_clear_refusal(client, events):
    for event in events[:5]:
        assert register(client, event).status_code == 302
    sent = len(mail.outbox)

    refused = register(client, events[5], address="203.0.113.9")  # another connection

    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many requests were sent from your connection or to this email address" in page
    assert "please try again in 60 minutes" in page
    assert registrations() == 5
    assert len(mail.outbox) == sent


def test_twenty_registrations_from_one_connection_per_hour(client, events):
    for n, event in enumerate(events[:20]):
        assert register(client, event, email=f"personne{n}@example.org").status_code == 302

    assert register(client, events[20], email="nouvelle@example.org").status_code == 429
    other = register(client, events[20], email="nouvelle@example.org", address="203.0.113.9")
    assert other.status_code == 302
    assert registrations() == 21


def test_signed_in_people_are_not_limited(events):
    client = Client()
    client.force_login(UserFactory())
    for event in events[:7]:
        assert client.post(reverse("public_events:register", args=[event.pk])).status_code == 302
    assert registrations() == 7


def test_the_confirmation_email_repeats_only_the_first_40_characters_of_the_first_name(
    client, events
):
    register(
        client,
        events[0],
        first_name="Gagnez 1000 euros sur http://arnaque.example maintenant\ncliquez ici",
    )

    body = mail.outbox[-1].body
    assert "Gagnez 1000 euros sur http://arnaque.exa," in body
    assert "maintenant" not in body
    assert "cliquez" not in body
