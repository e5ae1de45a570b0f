"""The database out of reach (a restart): pages and API answer 503 with Retry-After,
not 500 (core/outage.py). The lost connection is simulated by making every query
fail as psycopg fails when the server goes away; on PostgreSQL a real connection is
also cut under a request."""

import contextlib
import json

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client
from django.urls import reverse

from maillon.accounts.tests.factories import UserFactory
from maillon.core.outage import RETRY_AFTER_SECONDS, is_database_unavailable

pytestmark = pytest.mark.django_db


def lost_connection() -> OperationalError:
    """What Django raises when PostgreSQL goes away under a query."""
    error = OperationalError("consuming input failed: server closed the connection unexpectedly")
    error.__cause__ = psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly"
    )
    return error


@contextlib.contextmanager
def database_gone(error_factory=lost_connection):
    def fail(execute, sql, params, many, context):
        raise error_factory()

    with connection.execute_wrapper(fail):
        yield


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_a_page_answers_503_with_retry_after():
    client = Client()
    with database_gone():
        response = client.get(reverse("missions:search"))
    assert_unavailable(response)
    page = response.content.decode()
    assert "Maillon est momentanément indisponible" in page
    assert "Réessayez dans quelques secondes" in page


def test_the_api_answers_503_with_retry_after_in_json():
    client = Client()
    with database_gone():
        response = client.get("/api/v1/missions")
    assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert "réessayez dans quelques secondes" in json.loads(response.content)["detail"]


def test_an_authenticated_api_call_answers_503_when_the_token_cannot_be_read():
    client = Client()
    with database_gone():
        response = client.get("/api/v1/me/associations", headers={"Authorization": "Bearer mln_x"})
    assert_unavailable(response)


def test_a_signed_in_page_answers_503_when_the_session_cannot_be_read():
    # The session and the user are loaded by middleware, before any view runs.
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    with database_gone():
        response = client.get(reverse("me:home"))
    assert_unavailable(response)


def test_a_closed_connection_answers_503_too():
    client = Client()
    with database_gone(lambda: InterfaceError("connection already closed")):
        response = client.get(reverse("associations:directory"))
    assert_unavailable(response)


def test_other_database_errors_are_still_bugs():
    client = Client(raise_request_exception=False)
    with database_gone(lambda: ProgrammingError('relation "missing" does not exist')):
        response = client.get(reverse("missions:search"))
    assert response.status_code == 500
    with database_gone(lambda: OperationalError("no such table: missing")):
        response = client.get(reverse("missions:search"))
    assert response.status_code == 500


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        (None, True),  # the client lost the connection
        ("08006", True),  # connection failure
        ("57P01", True),  # admin shutdown (a restart)
        ("57P03", True),  # cannot connect now (starting up)
        ("53300", True),  # too many connections
        ("40001", True),  # serialization failure: rolled back, retry
        ("42P01", False),  # undefined table: a bug
    ],
)
def test_which_postgresql_errors_mean_unavailable(sqlstate, unavailable):
    cause = psycopg.OperationalError("x")
    if sqlstate:
        cause = type("Error", (psycopg.OperationalError,), {"sqlstate": sqlstate})("x")
    error = OperationalError("x")
    error.__cause__ = cause
    assert is_database_unavailable(error) is unavailable


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_connection_cut_under_a_request_answers_503():
    if connection.vendor != "postgresql":
        pytest.skip("a real server connection to cut: PostgreSQL only")
    client = Client()
    page = reverse("associations:directory")  # queries the database on every request
    assert client.get(page).status_code == 200
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    try:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

        response = client.get(page)

        assert_unavailable(response)
    finally:
        connection.close()  # the next request (and the test's teardown) reconnects
    assert client.get(page).status_code == 200
