"""A guest's application emails the address they typed: per hour, at most 10 from one
connection and 5 to one address (core/ratelimit.py, the login lockout's limiter);
the refusal says when to try again. The confirmation email repeats nothing a
visitor typed but the first 40 characters of the first name."""

import time

import pytest
from allauth.core.internal import ratelimit as limiter
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.volunteering.models import Application

from ..factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def missions(association):
    return [MissionFactory(association=association, title=f"Mission {n}") for n in range(12)]


def apply(client, mission, *, email="lea@example.org", address="198.51.100.7", **fields):
    data = {"first_name": "Léa", "last_name": "Martin", "email": email, **fields}
    return client.post(
        reverse("missions:apply", kwargs={"mission_id": mission.pk}), data, REMOTE_ADDR=address
    )


def applications() -> int:
    with scopes_disabled():
        return Application.objects.count()


def test_five_applications_to_one_address_per_hour_then_a_clear_refusal(
    client, missions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for mission in missions[:5]:
            assert apply(client, mission).status_code == 302
    assert len(mail.outbox) == 5

    with django_capture_on_commit_callbacks(execute=True):
        refused = apply(client, missions[5], address="203.0.113.9")  # another connection

    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many requests were sent from your connection or to this email address" in page
    assert "please try again in 60 minutes" in page
    assert applications() == 5
    assert len(mail.outbox) == 5  # nothing more sent


def test_ten_applications_from_one_connection_per_hour(client, missions):
    for n, mission in enumerate(missions[:10]):
        assert apply(client, mission, email=f"personne{n}@example.org").status_code == 302

    assert apply(client, missions[10], email="nouvelle@example.org").status_code == 429
    # Someone else, elsewhere, is not held back.
    other = apply(client, missions[10], email="nouvelle@example.org", address="203.0.113.9")
    assert other.status_code == 302
    assert applications() == 11


def test_an_hour_later_the_guest_may_apply_again(client, missions, monkeypatch):
    for mission in missions[:5]:
        apply(client, mission)
    assert apply(client, missions[5]).status_code == 429

    later = time.time() + 3601
    monkeypatch.setattr(limiter.time, "time", lambda: later)

    assert apply(client, missions[5]).status_code == 302


def test_a_refused_form_costs_nothing(client, association, missions):
    adults_only = MissionFactory(association=association, minimum_age=18)
    for _attempt in range(6):
        response = apply(client, adults_only)  # without declaring their age: refused
        assert response.status_code == 200
        assert b"This mission is for people aged 18 or over." in response.content
    assert apply(client, adults_only, is_old_enough="on").status_code == 302


def test_signed_in_candidates_are_not_limited(client, missions):
    client.force_login(UserFactory(email="benevole@example.org"))
    for mission in missions[:7]:
        response = client.post(
            reverse("missions:apply", kwargs={"mission_id": mission.pk}),
            {"first_name": "Léa", "last_name": "Martin"},
        )
        assert response.status_code == 302
    assert applications() == 7


def test_the_confirmation_email_repeats_only_the_first_40_characters_of_the_first_name(
    client, missions, django_capture_on_commit_callbacks
):
    first_name = "Gagnez 1000 euros sur http://arnaque.example maintenant\ncliquez ici"
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, missions[0], first_name=first_name, message="Message libre de l'inconnu")

    (email,) = mail.outbox
    assert "Hello Gagnez 1000 euros sur http://arnaque.exa," in email.body
    assert "maintenant" not in email.body
    assert "cliquez" not in email.body
    assert "Message libre" not in email.body
