"""The bulk loader of the benchmark data sets: COPY on PostgreSQL, bulk_create on
either database."""

import datetime

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.demo.bulk import BulkLoader
from maillon.members.models import Person, RoleAssignment
from maillon.volunteering.models import Mission

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
METHODS = ["bulk", *(["copy"] if POSTGRESQL else [])]
PERSON_COLUMNS = tuple(f.attname for f in Person._meta.concrete_fields if not f.primary_key)


def people_rows(association, count):
    """Every column, as the model's defaults give them."""
    now = timezone.now()
    people = [
        Person(
            association=association,
            first_name=f"Prénom {n}",
            last_name="Martin",
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    ]
    return [tuple(getattr(p, c) for c in PERSON_COLUMNS) for p in people]


@pytest.mark.parametrize("method", METHODS)
def test_rows_go_in_and_their_ids_come_back_in_order(association, method):
    loader = BulkLoader(method, batch_size=2)

    ids = loader.insert_returning_ids(Person, PERSON_COLUMNS, people_rows(association, 5))
    loader.insert(
        RoleAssignment,
        ("association_id", "person_id", "role", "since"),
        [(association.pk, pk, "member", datetime.date(2024, 1, 1)) for pk in ids],
    )

    with scopes_disabled():
        names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "first_name"))
        assert [names[pk] for pk in ids] == [f"Prénom {n}" for n in range(5)]
        assert RoleAssignment.objects.filter(person_id__in=ids).count() == 5
    assert loader.insert_returning_ids(Person, PERSON_COLUMNS, []) == []


@pytest.mark.skipif(not POSTGRESQL, reason="needs PostgreSQL (set DATABASE_URL)")
def test_copy_writes_json_fields_as_json(association):
    now = timezone.now()
    columns = tuple(
        f.attname
        for f in Mission._meta.concrete_fields
        if not f.primary_key and f.attname not in ("search_vector",)
    )
    values = dict.fromkeys(columns) | {
        "association_id": association.pk,
        "title": "Maraude",
        "description": "",
        "is_remote": False,
        "postal_code": "",
        "city": "",
        "schedule_kind": "flexible",
        "schedule_note": "",
        "time_slots": ["weekend", "weekday_evening"],
        "time_commitment": "",
        "volunteers_wanted": 1,
        "audience": "public",
        "status": "draft",
        "search_text": "maraude",
        "created_at": now,
        "updated_at": now,
    }

    (pk,) = BulkLoader("copy", batch_size=10).insert_returning_ids(
        Mission, columns, [tuple(values[c] for c in columns)]
    )

    with scopes_disabled():
        assert Mission.objects.get(pk=pk).time_slots == ["weekend", "weekday_evening"]


@pytest.mark.skipif(not POSTGRESQL, reason="needs PostgreSQL (set DATABASE_URL)")
def test_copy_refuses_a_column_list_without_a_required_field():
    loader = BulkLoader("copy", batch_size=10)
    with pytest.raises(CommandError, match=r"seed_x does not fill Person\..*last_name"):
        loader.check_columns(Person, ("association_id", "first_name"), by="seed_x")


@pytest.mark.skipif(POSTGRESQL, reason="PostgreSQL has COPY")
def test_copy_needs_postgresql():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        BulkLoader("copy", batch_size=10)
    assert BulkLoader("auto", batch_size=10).method == "bulk"
