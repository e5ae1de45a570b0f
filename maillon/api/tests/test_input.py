"""What the API refuses at its input layer, walked over EVERY operation of its
OpenAPI schema (a new operation is covered without editing this file):

- a NUL byte (or another control character) in any query parameter, body field or
  header: 4xx naming it, never a 5xx (PostgreSQL refuses NUL in text: this suite's
  PostgreSQL run is the one that matters);
- a page number or size beyond the cap: 422;
- a JSON array or a single value where an object is expected: 422, nothing written.
And the Idempotency-Key bound to its payload, and what the schema documents."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from maillon.api.api import api
from maillon.core.models import IdempotencyKey
from maillon.core.tests.test_isolation_walk import tenant_snapshot

from .worlds import API, api_world, probe_body

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
HUGE = 9223372036854775807
MEMBERS = f"{API}/associations/{{slug}}/members"
CHECK_IN = (
    f"{API}/associations/{{slug}}/events/{{event_id}}/registrations/{{registration_id}}/check-in"
)
SCHEMA = api.get_openapi_schema(path_prefix=API)
OPERATIONS = [
    (path, method, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]


def _id(operation_tuple) -> str:
    path, method, _operation = operation_tuple
    return f"{method.upper()} {path}"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return api_world()


def _url(world_and_parameters, path: str, **overrides) -> str:
    _world, path_parameters = world_and_parameters
    values = {**path_parameters.get(path, {}), **overrides}
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"no value for a parameter of {path}"
    return path


def call(client: Client, world_and_parameters, method: str, url: str, body=None, **headers):
    world, _parameters = world_and_parameters
    headers = {"Authorization": f"Bearer {world.token}", **headers}
    if method == "get":
        return client.get(url, headers=headers)
    content = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(
        method.upper(), url, content, content_type="application/json", headers=headers
    )


def _body_schema(operation: dict) -> dict:
    body = operation.get("requestBody")
    if body is None:
        return {}
    schema = body["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _takes_text(details: dict) -> bool:
    variants = [details, *details.get("anyOf", [])]
    return any(
        v.get("type") == "string" or v.get("items", {}).get("type") == "string" for v in variants
    )


def _with_nul(details: dict):
    return [NUL] if details.get("type") == "array" else NUL


def _locations(response) -> list[list]:
    return [entry["loc"] for entry in response.json()["detail"]]


def _nul_anywhere_answers(client, world, entry):
    """(where, response) of each request with a NUL in one place of the operation."""
    path, method, operation = entry
    valid_body = probe_body(world[0], path)
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "query":
            url = _url(world, path) + f"?{name}=a%00b"
            yield ("query", name), 422, call(client, world, method, url)
        elif where == "header":
            answer = call(client, world, method, _url(world, path), valid_body, **{name: NUL})
            yield ("header", name), 400, answer
        elif where == "path":
            url = _url(world, path, **{name: "1%00"})
            expected = 404 if parameter["schema"].get("type") == "string" else 422
            yield ("path", name), expected, call(client, world, method, url, valid_body)
    for name, details in _body_schema(operation).get("properties", {}).items():
        if _takes_text(details):
            body = {**valid_body, name: _with_nul(details)}
            answer = call(client, world, method, _url(world, path), body)
            yield ("body", "payload", name), 422, answer


def test_a_nul_byte_anywhere_is_refused_naming_where(world, client):
    before = tenant_snapshot(world[0].association)
    wrong = []
    for entry in OPERATIONS:
        for where, expected, response in _nul_anywhere_answers(client, world, entry):
            named = (
                where[0] == "path"
                or (where[0] == "header" and "U+0000" in response.json()["detail"])
                or (response.status_code == 422 and list(where) in _locations(response))
            )
            if response.status_code != expected or not named:
                wrong.append((_id(entry), where, response.status_code, response.content[:200]))
    assert not wrong, wrong
    assert tenant_snapshot(world[0].association) == before


def test_a_page_beyond_the_cap_is_refused(world, client):
    wrong = []
    for entry in OPERATIONS:
        path, method, operation = entry
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name in sorted(names & {"page", "page_size"}):
            for value in (HUGE, -1, 0):
                response = call(client, world, method, _url(world, path) + f"?{name}={value}")
                if response.status_code != 422 or ["query", name] not in _locations(response):
                    wrong.append((_id(entry), name, value, response.status_code))
    assert not wrong, wrong


def _answer_properties(operation: dict) -> dict:
    content = operation["responses"].get(200, operation["responses"].get("200", {}))
    schema = content.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def test_every_paginated_list_takes_a_capped_page_number():
    lists = [entry for entry in OPERATIONS if "page" in _answer_properties(entry[2])]
    assert len(lists) >= 8
    for entry in lists:
        [page] = [p for p in entry[2].get("parameters", []) if p["name"] == "page"]
        assert page["in"] == "query", _id(entry)
        assert page["schema"]["minimum"] == 1, _id(entry)
        assert page["schema"]["maximum"] <= 100_000, _id(entry)


def test_a_body_that_is_not_an_object_is_refused(world, client):
    before = tenant_snapshot(world[0].association)
    wrong = []
    for entry in OPERATIONS:
        path, method, operation = entry
        if "requestBody" not in operation:
            continue
        for body in ("[null, null]", "[]", '"present"', "1", "true"):
            url = _url(world, path)
            response = call(client, world, method, url, body, **{"Idempotency-Key": "k1"})
            errors = response.json()["detail"] if response.status_code == 422 else None
            if errors != [
                {"type": "object_expected", "loc": ["body", "payload"], "msg": errors[0]["msg"]}
            ]:
                wrong.append((_id(entry), body, response.status_code, errors))
    assert not wrong, wrong
    assert tenant_snapshot(world[0].association) == before


def test_a_check_in_with_an_array_checks_no_one_in(world, client):
    url = _url(world, CHECK_IN)
    response = call(client, world, "post", url, "[null, null]")
    assert response.status_code == 422
    listing = call(client, world, "get", url.rsplit("/", 2)[0])
    assert all(r["checked_in_at"] is None for r in listing.json()["items"])
    # A real check-in still works.
    assert call(client, world, "post", url, {}).json()["checked_in_at"] is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Jean\nDupont"),
        ("first_name", "Jean\tDupont"),
        ("city", "Lyon\x0b"),
        ("notes", "ligne\x0c"),
        ("notes", "bad\ud800"),
    ],
)
def test_control_characters_are_refused_where_they_make_no_sense(world, client, field, value):
    body = {"first_name": "Léa", "last_name": "Martin", field: value}
    response = call(client, world, "post", _url(world, MEMBERS), body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", field]
    assert error["type"] == "control_character"


def test_multi_line_text_keeps_its_line_breaks_and_tabs(world, client):
    body = {"first_name": "Léa", "last_name": "Martin", "notes": "Deux lignes\r\n\tet un retrait"}
    response = call(client, world, "post", _url(world, MEMBERS), body)
    assert response.status_code == 201
    assert response.json()["notes"] == "Deux lignes\r\n\tet un retrait"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"present": 0}, "present"), ({"present": "false"}, "present")],
)
def test_a_body_field_of_another_json_type_is_refused(world, client, body, field):
    response = call(client, world, "post", _url(world, CHECK_IN), body)
    assert response.status_code == 422
    assert ["body", "payload", field] in _locations(response)


def test_a_date_given_as_a_number_is_refused(world, client):
    response = Client().get(f"{API}/missions?date=0")
    assert response.status_code == 422
    assert ["query", "date"] in _locations(response)


# --- Idempotency-Key bound to its payload ---------------------------------------------------


HOURS = f"{API}/associations/{{slug}}/hours"


def _hours_entries(world) -> int:
    from maillon.volunteering.models import VolunteerHours

    with scopes_disabled():
        return VolunteerHours.objects.filter(association=world[0].association).count()


def test_the_same_key_with_the_same_body_replays_the_first_answer(world, client):
    before = _hours_entries(world)
    key = {"Idempotency-Key": "same-hours"}
    body = '{"date": "2026-03-02", "hours": "1.5", "activity": "field"}'
    first = call(client, world, "post", _url(world, HOURS), body, **key)
    # The same data, keys in another order and other spacing: the same payload.
    body = '{ "activity":"field", "hours":"1.5","date":"2026-03-02" }'
    again = call(client, world, "post", _url(world, HOURS), body, **key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert _hours_entries(world) == before + 1


def test_the_same_key_with_another_body_is_422_and_makes_nothing(world, client):
    before = _hours_entries(world)
    key = {"Idempotency-Key": "reused"}
    body = {"date": "2026-03-02", "hours": "1.5", "activity": "field"}
    first = call(client, world, "post", _url(world, HOURS), body, **key)
    assert first.status_code == 201
    other = call(client, world, "post", _url(world, HOURS), {**body, "hours": "7"}, **key)
    assert other.status_code == 422
    [error] = other.json()["detail"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert error["type"] == "idempotency_key_reused"
    assert _hours_entries(world) == before + 1
    with scopes_disabled():
        stored = IdempotencyKey.objects.get(key="reused")
    assert len(stored.fingerprint) == 64


# --- What the schema documents ---------------------------------------------------------------


def test_every_operation_documents_what_its_input_layer_answers():
    for entry in OPERATIONS:
        _path, _method, operation = entry
        responses = operation["responses"]
        if "requestBody" in operation:
            assert {"400", "422"} <= set(map(str, responses)), _id(entry)
        validated = [
            p
            for p in operation.get("parameters", [])
            if p["in"] in ("query", "header") or p["schema"].get("type") != "string"
        ]
        if validated:
            assert "422" in set(map(str, responses)), _id(entry)


def test_the_idempotency_key_is_documented_as_required_where_it_is():
    for _path, _method, operation in OPERATIONS:
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "Idempotency-Key":
                required = operation["operationId"] == "ballots_cast"
                assert parameter["required"] is required, operation["operationId"]
                assert parameter["schema"]["type"] == "string"
                assert parameter["schema"]["maxLength"] == 100


def test_text_the_api_refuses_empty_says_so():
    schemas = SCHEMA["components"]["schemas"]
    for name, fields in {
        "MemberCreateIn": ("first_name", "last_name"),
        "MemberUpdateIn": ("first_name", "last_name"),
        "EventCreateIn": ("title",),
        "MissionCreateIn": ("title", "description"),
        "MissionUpdateIn": ("title", "description"),
        "ReplyIn": ("body",),
    }.items():
        for field in fields:
            assert schemas[name]["properties"][field]["minLength"] == 1, (name, field)


def test_text_fields_document_the_characters_they_refuse():
    member = SCHEMA["components"]["schemas"]["MemberCreateIn"]["properties"]
    assert member["first_name"]["pattern"] == "^[^\\u0000-\\u001f]*$"
    assert member["notes"]["pattern"] == "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"
