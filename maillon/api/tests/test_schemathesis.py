"""The API against its own OpenAPI schema, with schemathesis: every operation, data
generated from the schema (valid and invalid), requests sent in-process to the Django
WSGI application (no network). Checks: no 5xx, only documented statuses, responses and
their content type as documented; invalid data refused, a required header enforced,
the token required.

Fixed seed and bounded examples, so that the run is the same every time and short.
Runs on SQLite and, in CI's second run, on PostgreSQL (where a NUL byte in text would
have been a 500)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from maillon.api.api import api

from .worlds import API, api_world

pytestmark = pytest.mark.django_db

SEED = 20261127
MAX_EXAMPLES = 8

schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix=API),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
            "checks": {
                # Valid by the schema is not valid by every rule: a one-off mission
                # needs its date, a place needs a postal code unless remote... (what a
                # schema can say, minLength or a maximum, it says).
                "positive_data_acceptance": {"enabled": False},
            },
        }
    ),
)
schema.app = WSGIHandler()

#: The association the current test works in: its token and, by API path, the path
#: parameters that reach its objects (set by the ``world`` fixture).
CURRENT: dict = {}


@schema.auth(refresh_interval=None)
class WorldToken:
    def get(self, case, context):
        return CURRENT.get("token", "")  # also asked while collecting the tests

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.hook
def before_call(context, case, kwargs):
    """Data, not a 404 for an unknown id, is what is tested: a path with valid
    parameters reaches the association's own objects (invalid ones are sent as is)."""
    parameters = CURRENT.get("path_parameters", {}).get(case.operation.path)
    if parameters and not case.meta.is_negative_at(ParameterLocation.PATH):
        case.path_parameters = {**parameters}


@pytest.fixture
def world(db, settings, tmp_path):
    """An association with one object of each kind and its administrator's token."""
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    world, path_parameters = api_world("fuzz")
    CURRENT.update(token=world.token, path_parameters=path_parameters)
    # Like Django's test client: the WSGI handler must not close the connection at the
    # end of each request, which holds the test's transaction (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        CURRENT.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_does_what_its_schema_says(case, world):
    case.call_and_validate()
