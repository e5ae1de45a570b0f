"""The REST API through the real URLconf and middleware: token auth, the caller's
associations, the member register, permissions, isolation between associations,
query counts and the published schema and docs."""

import datetime
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled
from django_scopes.exceptions import ScopeError

from maillon.accounts.services import api_token_create, api_token_revoke
from maillon.api.api import api
from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
SLUG = "amis-du-quartier"
OTHER_SLUG = "club-voisin"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def token_for(user) -> str:
    return api_token_create(user=user, name="tests")[1]


@pytest.fixture
def admin_auth(admin_user):
    return bearer(token_for(admin_user))


@pytest.fixture
def other_admin_auth(other_admin):
    return bearer(token_for(other_admin))


@pytest.fixture
def victim(other_association):
    """A person of the foreign association, which no test caller belongs to."""
    return PersonFactory(
        association=other_association,
        first_name="Victime",
        last_name="Voisine",
        roles=[Role.MEMBER],
    )


def get(client, path, auth, **params):
    return client.get(API + path, params, **auth)


def send(client, method, path, auth, body):
    return getattr(client, method)(
        API + path, data=json.dumps(body), content_type="application/json", **auth
    )


# --- Token authentication ---------------------------------------------------------------


def test_no_token_is_401(client, admin_user):
    assert client.get(f"{API}/me").status_code == 401


def test_bad_token_is_401(client, admin_user):
    assert get(client, "/me", bearer("mln_not-a-real-token")).status_code == 401
    assert get(client, "/me", bearer("something-else")).status_code == 401


def test_revoked_token_is_401(client, admin_user):
    token, raw = api_token_create(user=admin_user, name="laptop")
    assert get(client, "/me", bearer(raw)).status_code == 200
    api_token_revoke(user=admin_user, token=token)
    assert get(client, "/me", bearer(raw)).status_code == 401


def test_token_of_deactivated_user_is_401(client, admin_user, admin_auth):
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])
    assert get(client, "/me", admin_auth).status_code == 401


def test_session_cookie_alone_does_not_authenticate(admin_client):
    assert admin_client.get(f"{API}/me").status_code == 401


# --- Me -----------------------------------------------------------------------------------


def test_me(client, admin_user, admin_auth):
    response = get(client, "/me", admin_auth)
    assert response.status_code == 200
    assert response.json() == {
        "email": "admin@amis.example",
        "name": admin_user.full_name,
        "language": "fr",
    }


def test_my_associations_lists_only_mine(client, admin_user, admin_auth, other_admin):
    response = get(client, "/me/associations", admin_auth)
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["slug"] == SLUG
    assert entry["name"] == "Les Amis du Quartier"
    assert entry["roles"] == ["admin", "member"]
    assert {"members.view", "members.manage", "members.roles"} <= set(entry["permissions"])


# --- Association profile ---------------------------------------------------------------


def test_association_profile(client, admin_auth):
    response = get(client, f"/associations/{SLUG}", admin_auth)
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == SLUG
    assert data["name"] == "Les Amis du Quartier"
    assert data["city"] == "Lyon"
    assert data["time_zone"] == "Europe/Paris"


def test_foreign_and_missing_associations_look_the_same(client, other_admin_auth, admin_user):
    foreign = get(client, f"/associations/{SLUG}", other_admin_auth)
    missing = get(client, "/associations/does-not-exist", other_admin_auth)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_former_member_is_an_outsider(client, association, admin_user):
    user = member_with_account(association, [Role.BOARD])
    with scopes_disabled():
        Person.objects.filter(user=user).update(left_on=timezone.localdate())
    assert get(client, f"/associations/{SLUG}", bearer(token_for(user))).status_code == 404


def test_bureau_without_two_factor_is_refused_when_required(client, association, admin_auth):
    association.require_2fa_for_bureau = True
    association.save(update_fields=["require_2fa_for_bureau"])
    response = get(client, f"/associations/{SLUG}/members", admin_auth)
    assert response.status_code == 403
    # The admin's profile language is French.
    assert "deux facteurs" in response.json()["detail"]


# --- Members: list ------------------------------------------------------------------------


@pytest.fixture
def register(association, admin_user):
    """A small register next to the admin (Dupont is up to date, Martin is a volunteer
    from Villeurbanne, Petit has left)."""
    dupont = PersonFactory(association=association, first_name="Anne", last_name="Dupont")
    MembershipPeriodFactory(person=dupont)
    martin = PersonFactory(
        association=association,
        first_name="Bruno",
        last_name="Martin",
        city="Villeurbanne",
        roles=[Role.MEMBER, Role.VOLUNTEER],
    )
    petit = PersonFactory(
        association=association,
        first_name="Chloé",
        last_name="Petit",
        left_on=timezone.localdate(),
    )
    return {"dupont": dupont, "martin": martin, "petit": petit}


def names(response) -> list[str]:
    return [item["last_name"] for item in response.json()["items"]]


def test_members_list(client, admin_auth, register, victim):
    response = get(client, f"/associations/{SLUG}/members", admin_auth, page_size=100)
    assert response.status_code == 200
    data = response.json()
    # Active members only by default, never the other association's people.
    assert data["count"] == 3
    assert "Petit" not in names(response) and "Voisine" not in names(response)
    dupont = next(item for item in data["items"] if item["last_name"] == "Dupont")
    assert dupont["is_up_to_date"] is True
    assert dupont["roles"] == ["member"]
    assert dupont["id"] == register["dupont"].pk


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "villeurbanne"}, ["Martin"]),
        ({"search": "anne dup"}, ["Dupont"]),
        ({"role": "volunteer"}, ["Martin"]),
        ({"up_to_date": "yes"}, ["Dupont"]),
        ({"status": "left"}, ["Petit"]),
        ({"status": "all", "search": "petit"}, ["Petit"]),
    ],
)
def test_members_list_filters(client, admin_auth, register, params, expected):
    response = get(client, f"/associations/{SLUG}/members", admin_auth, **params)
    assert response.status_code == 200
    assert names(response) == expected


def test_members_list_not_up_to_date(client, admin_auth, register):
    response = get(client, f"/associations/{SLUG}/members", admin_auth, up_to_date="no")
    assert "Dupont" not in names(response)
    assert "Martin" in names(response)


@pytest.mark.parametrize(
    "params", [{"role": "king"}, {"status": "gone"}, {"page": 0}, {"page_size": 1000}]
)
def test_members_list_rejects_bad_filters(client, admin_auth, params):
    response = get(client, f"/associations/{SLUG}/members", admin_auth, **params)
    assert response.status_code == 422


def test_members_list_pagination(client, association, admin_auth):
    for i in range(4):
        PersonFactory(association=association, last_name=f"Zz{i}")
    url = f"/associations/{SLUG}/members"
    first = get(client, url, admin_auth, page_size=2).json()
    assert (first["count"], first["page"], first["previous"], first["next"]) == (5, 1, None, 2)
    assert len(first["items"]) == 2
    last = get(client, url, admin_auth, page_size=2, page=3).json()
    assert (last["previous"], last["next"]) == (2, None)
    assert [item["last_name"] for item in last["items"]] == ["Zz3"]
    seen = [
        item["id"]
        for page in (1, 2, 3)
        for item in get(client, url, admin_auth, page_size=2, page=page).json()["items"]
    ]
    assert len(set(seen)) == 5


def test_members_list_count_is_capped_beyond_the_limit(
    client, association, admin_auth, monkeypatch
):
    from maillon.members.register import selectors

    monkeypatch.setattr(selectors, "EXACT_COUNT_UP_TO", 3)
    for i in range(5):
        PersonFactory(association=association, last_name=f"Zz{i}")
    url = f"/associations/{SLUG}/members"
    first = get(client, url, admin_auth, page_size=2).json()
    assert (first["count"], first["count_is_capped"], first["next"]) == (3, True, 2)
    last = get(client, url, admin_auth, page_size=2, page=3).json()
    assert (last["count"], last["count_is_capped"], last["next"]) == (6, False, None)


def test_members_list_query_count_does_not_grow(client, association, admin_auth):
    def add_people(count):
        for _ in range(count):
            person = PersonFactory(association=association, roles=[Role.MEMBER, Role.VOLUNTEER])
            MembershipPeriodFactory(person=person)

    url = f"{API}/associations/{SLUG}/members"
    client.get(url, **admin_auth)  # first use of the token writes last_used_at
    add_people(5)
    with CaptureQueriesContext(connection) as at_n:
        response = client.get(url, **admin_auth)
    assert response.json()["count"] == 6
    add_people(5)
    with CaptureQueriesContext(connection) as at_2n:
        response = client.get(url, **admin_auth)
    assert response.json()["count"] == 11
    assert len(at_n.captured_queries) == len(at_2n.captured_queries)


# --- Members: detail ------------------------------------------------------------------


def test_member_detail(client, admin_auth, register):
    dupont = register["dupont"]
    response = get(client, f"/associations/{SLUG}/members/{dupont.pk}", admin_auth)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == dupont.pk
    assert (data["first_name"], data["last_name"]) == ("Anne", "Dupont")
    assert data["roles"] == ["member"]
    assert data["is_up_to_date"] is True
    assert data["joined_on"] == dupont.joined_on.isoformat()
    assert data["left_on"] is None
    assert set(data) >= {
        "email",
        "phone",
        "address",
        "postal_code",
        "city",
        "birth_date",
        "consent_newsletter",
        "consent_directory",
    }


def test_member_detail_unknown_id_is_404(client, admin_auth):
    assert get(client, f"/associations/{SLUG}/members/999999", admin_auth).status_code == 404


# --- Members: create -------------------------------------------------------------------


def test_member_create(client, association, admin_user, admin_auth):
    response = send(
        client,
        "post",
        f"/associations/{SLUG}/members",
        admin_auth,
        {
            "first_name": "Damien",
            "last_name": "Roux",
            "email": "damien@example.org",
            "birth_date": "1990-05-04",
            "roles": ["member", "board"],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["roles"] == ["board", "member"]
    assert data["joined_on"] == timezone.localdate().isoformat()
    assert data["is_up_to_date"] is False
    with scopes_disabled():
        person = Person.objects.get(pk=data["id"])
        entry = AuditEntry.objects.get(action="members.person_created", object_id=str(person.pk))
    assert person.association == association
    assert person.birth_date == datetime.date(1990, 5, 4)
    assert entry.association == association
    assert entry.actor == admin_user
    assert entry.data == {"roles": ["board", "member"]}


def test_member_create_default_role_is_member(client, admin_auth):
    response = send(
        client,
        "post",
        f"/associations/{SLUG}/members",
        admin_auth,
        {"first_name": "Eve", "last_name": "Sans-Courriel"},
    )
    assert response.status_code == 201
    assert response.json()["roles"] == ["member"]
    assert response.json()["email"] == ""


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter a valid email address."), ("fr", "Saisissez une adresse de courriel valide.")],
)
def test_member_create_bad_email_is_422_with_field_message(
    client, admin_user, admin_auth, language, message
):
    """The message comes in the caller's profile language, like on the pages."""
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    response = send(
        client,
        "post",
        f"/associations/{SLUG}/members",
        admin_auth,
        {"first_name": "Fanny", "last_name": "Blanc", "email": "not-an-email"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"loc": ["body", "payload", "email"], "msg": message, "type": "validation_error"}
        ]
    }
    with scopes_disabled():
        assert not Person.objects.filter(last_name="Blanc").exists()


def test_member_create_missing_name_is_422(client, admin_auth):
    response = send(client, "post", f"/associations/{SLUG}/members", admin_auth, {"last_name": "X"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "first_name"


def test_member_create_privileged_role_needs_role_permission(client, association):
    staff = bearer(token_for(member_with_account(association, [Role.STAFF])))
    url = f"/associations/{SLUG}/members"
    body = {"first_name": "Gil", "last_name": "Noir"}
    assert send(client, "post", url, staff, {**body, "roles": ["admin"]}).status_code == 403
    assert send(client, "post", url, staff, {**body, "roles": ["volunteer"]}).status_code == 201


# --- Members: update --------------------------------------------------------------------


def test_member_update_changes_only_given_fields(client, association, admin_auth, register):
    martin = register["martin"]
    response = send(
        client,
        "patch",
        f"/associations/{SLUG}/members/{martin.pk}",
        admin_auth,
        {"city": "Lyon", "consent_newsletter": True},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["city"], data["consent_newsletter"]) == ("Lyon", True)
    assert data["first_name"] == "Bruno"
    assert data["roles"] == ["member", "volunteer"]
    with scopes_disabled():
        martin.refresh_from_db()
        entry = AuditEntry.objects.get(action="members.person_updated")
    assert (martin.city, martin.first_name, martin.email) == ("Lyon", "Bruno", martin.email)
    assert set(entry.data["changes"]) == {"city", "consent_newsletter"}


def test_member_update_can_clear_birth_date_but_not_names(client, admin_auth, association):
    person = PersonFactory(association=association, birth_date=datetime.date(1980, 1, 1))
    url = f"/associations/{SLUG}/members/{person.pk}"
    assert send(client, "patch", url, admin_auth, {"birth_date": None}).json()["birth_date"] is None
    assert send(client, "patch", url, admin_auth, {"first_name": None}).status_code == 422
    response = send(client, "patch", url, admin_auth, {"email": "nope"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "email"


# --- Permissions: every route x role --------------------------------------------------------

READERS = {Role.ADMIN, Role.PRESIDENT, Role.SECRETARY, Role.STAFF, Role.TREASURER, Role.BOARD}
MANAGERS = {Role.ADMIN, Role.PRESIDENT, Role.SECRETARY, Role.STAFF}
ROUTES = [
    # (name, method, path, body, success status, roles allowed)
    ("association", "get", "/associations/{slug}", None, 200, set(Role)),
    ("list", "get", "/associations/{slug}/members", None, 200, READERS),
    ("detail", "get", "/associations/{slug}/members/{pk}", None, 200, READERS),
    (
        "create",
        "post",
        "/associations/{slug}/members",
        {"first_name": "Hugo", "last_name": "Vert"},
        201,
        MANAGERS,
    ),
    ("update", "patch", "/associations/{slug}/members/{pk}", {"city": "Lille"}, 200, MANAGERS),
    ("my_membership", "get", "/associations/{slug}/me/membership", None, 200, set(Role)),
]


def call(client, route, auth, *, slug, pk):
    _name, method, path, body, _ok, _allowed = route
    path = path.format(slug=slug, pk=pk)
    if method == "get":
        return get(client, path, auth)
    return send(client, method, path, auth, body)


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_route_for_every_role(client, association, admin_user, route, role):
    target = PersonFactory(association=association)
    auth = bearer(token_for(member_with_account(association, [role])))
    response = call(client, route, auth, slug=SLUG, pk=target.pk)
    expected = route[4] if role in route[5] else 403
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_every_route_needs_a_token(client, association, route):
    target = PersonFactory(association=association)
    assert call(client, route, {}, slug=SLUG, pk=target.pk).status_code == 401


# --- Isolation between associations -------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_admin_elsewhere_gets_404_on_foreign_association(
    client, association, admin_user, other_admin_auth, route
):
    target = PersonFactory(association=association)
    response = call(client, route, other_admin_auth, slug=SLUG, pk=target.pk)
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "patch"])
def test_foreign_person_through_own_association_is_404(
    client, other_admin_auth, admin_user, association, method
):
    """The admin of club-voisin names a person of amis-du-quartier under their own
    association's path: 404, and nothing changes."""
    target = PersonFactory(association=association, city="Lyon")
    path = f"/associations/{OTHER_SLUG}/members/{target.pk}"
    if method == "get":
        response = get(client, path, other_admin_auth)
    else:
        response = send(client, "patch", path, other_admin_auth, {"city": "Pirate"})
    assert response.status_code == 404
    with scopes_disabled():
        target.refresh_from_db()
        assert target.city == "Lyon"
        assert not AuditEntry.objects.filter(action="members.person_updated").exists()


def test_victim_never_listed_elsewhere(client, admin_auth, victim):
    response = get(
        client, f"/associations/{SLUG}/members", admin_auth, status="all", search="Voisine"
    )
    assert response.json()["count"] == 0


def test_scope_error_never_escapes_as_500():
    request = RequestFactory().get(f"{API}/associations/{SLUG}/members")
    response = api.on_exception(request, ScopeError("query outside a scope"))
    assert response.status_code == 404


# --- Schema and docs ----------------------------------------------------------------------


def test_openapi_schema(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        f"{API}/me",
        f"{API}/me/associations",
        f"{API}/associations/{{slug}}",
        f"{API}/associations/{{slug}}/members",
        f"{API}/associations/{{slug}}/members/{{person_id}}",
    }
    members = schema["paths"][f"{API}/associations/{{slug}}/members"]
    assert members["get"]["summary"] and members["get"]["description"]
    assert {"201", "403", "404", "422"} <= set(members["post"]["responses"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert members["get"]["security"] == [{"TokenAuth": []}]


def test_api_docs_redirects_to_v1_docs(client):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == f"{API}/docs"


def test_docs_page_uses_local_assets(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"https?://", html)
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui.css") is not None
