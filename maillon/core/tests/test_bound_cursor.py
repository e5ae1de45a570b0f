"""The hot statements' cursor (maillon.core.db.cursors.bound_cursor): prepared by
PostgreSQL once run a few times on a connection, and otherwise a cursor like
Django's: the same error classes (a unique violation, then the same statement
again), the same query log, a new connection after the server closed the old one."""

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.core.db.cursors import bound_cursor
from maillon.core.db.rows import insert_rows, violated_constraint
from maillon.core.models import IdempotencyKey

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")

READ = "SELECT slug FROM associations_association WHERE id = %s"


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _read(pk: int) -> str | None:
    with bound_cursor() as cursor:
        cursor.execute(READ, [pk])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db
def test_the_same_rows_as_a_plain_cursor():
    association = AssociationFactory(slug="les-amis")
    assert [_read(association.pk) for _ in range(8)] == ["les-amis"] * 8
    assert _read(association.pk + 1000) is None


@on_postgresql
@pytest.mark.django_db
def test_a_statement_run_again_is_prepared_and_django_cursors_are_not():
    association = AssociationFactory()
    threshold = connection.connection.prepare_threshold
    assert threshold == 5  # settings: DATABASE_PREPARE_THRESHOLD
    for _ in range(threshold + 1):
        _read(association.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM associations_association WHERE id = %s", [0])
    assert _prepared() == [READ.replace("%s", "$1")]


@pytest.mark.django_db
def test_the_query_log_sees_its_statements():
    association = AssociationFactory()
    with CaptureQueriesContext(connection) as queries:
        _read(association.pk)
    assert len(queries) == 1
    assert "associations_association" in queries[0]["sql"]


def _key_row(association, user, key: str) -> IdempotencyKey:
    return IdempotencyKey(association=association, user=user, key=key, scope="test")


@pytest.mark.django_db(transaction=True)
def test_a_unique_violation_of_a_prepared_statement_is_djangos_and_leaves_it_usable():
    association, user = AssociationFactory(), UserFactory()
    for number in range(7):  # prepared from the fifth run on
        insert_rows([(_key_row(association, user, f"k{number}"), False)])
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        insert_rows([(_key_row(association, user, "k3"), False)])
    if connection.vendor == "postgresql":
        assert violated_constraint(refused.value) == "idempotency_key_once"
    insert_rows([(_key_row(association, user, "k8"), False)])
    with scopes_disabled():
        assert IdempotencyKey.objects.filter(association=association).count() == 8


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_is_replaced_and_prepares_again():
    association = AssociationFactory()
    for _ in range(6):
        _read(association.pk)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )
    finally:
        other.close()
    connection.close()  # what Django does with a connection it finds unusable
    assert [_read(association.pk) for _ in range(6)] == [association.slug] * 6
    assert _prepared() == [READ.replace("%s", "$1")]
