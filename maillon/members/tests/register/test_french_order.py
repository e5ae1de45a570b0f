"""Lists sorted by name follow French order (issue 10 item 11): BÉGOC before BRÉHAULT,
CAËN before CAMUS, ÉVRARD among the E, whatever the case; on SQLite and on PostgreSQL
(run with DATABASE_URL=postgres://...)."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.core.collation import compare_french, french_sort_key
from maillon.events.models import Registration
from maillon.events.tests.factories import make_event, make_registration
from maillon.members.models import Person
from maillon.members.register.selectors import person_list
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

FRENCH_ORDER = [
    "BÉGOC",
    "BRÉHAULT",
    "CAËN",
    "CAMUS",
    "de Villiers",
    "DURAND",
    "EMERY",
    "Evrard",  # accents aside equal: without the accent first
    "ÉVRARD",
    "FAURE",
    "Zola",
]
SHUFFLED = [
    "Zola",
    "ÉVRARD",
    "CAMUS",
    "BRÉHAULT",
    "FAURE",
    "Evrard",
    "DURAND",
    "CAËN",
    "de Villiers",
    "BÉGOC",
    "EMERY",
]


def test_the_python_key_sorts_in_french():
    assert sorted(SHUFFLED, key=french_sort_key) == FRENCH_ORDER
    assert compare_french("BÉGOC", "BRÉHAULT") < 0 and compare_french("a", "a") == 0


@pytest.fixture
def people(association, other_association):
    for name in SHUFFLED:
        PersonFactory(association=association, last_name=name, first_name="Jo")


def test_the_register_is_in_french_order(association, people):
    with scope(association=association):
        names = [p.last_name for p in person_list(association=association)]
    assert [n for n in names if n in FRENCH_ORDER] == FRENCH_ORDER


def test_the_default_order_of_people_is_french(association, people):
    with scopes_disabled():
        names = list(
            Person.objects.filter(association=association).values_list("last_name", flat=True)
        )
    assert [n for n in names if n in FRENCH_ORDER] == FRENCH_ORDER


def test_the_csv_export_is_in_french_order(admin_client, association, people):
    url = reverse("members:export", args=[association.slug, "csv"])
    response = admin_client.get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = [row[1] for row in rows[1:]]
    assert [n for n in names if n in FRENCH_ORDER] == FRENCH_ORDER


def test_event_registrations_are_in_french_order(association):
    event = make_event(association)
    for n, name in enumerate(SHUFFLED):
        make_registration(event, last_name=name, email=f"r{n}@example.org")
    with scopes_disabled():
        names = list(Registration.objects.filter(event=event).values_list("last_name", flat=True))
    assert names == FRENCH_ORDER
