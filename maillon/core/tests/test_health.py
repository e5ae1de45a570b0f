"""/healthz: what the reverse proxy asks each app server before sending it requests."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_a_healthy_server_answers_ok_uncached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_without_its_database_the_server_answers_503(client):
    with mock.patch(
        "maillon.core.views.connection.cursor", side_effect=OperationalError("server closed")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"
    assert response["Retry-After"] == "5"


def test_without_its_cache_the_server_answers_503(client):
    with mock.patch("maillon.core.views.cache.set", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405
