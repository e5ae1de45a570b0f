"""An API call on an association's path reads its token, the association and the
caller's roles there in ONE query (``maillon.api.tenancy.user_for_api_call``): the
answers are those of reading them apart, for every way the read can find nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts import selectors
from maillon.accounts.models import ApiToken
from maillon.accounts.services import api_token_create, api_token_revoke
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db

API = "/api/v1/associations"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def member(association):
    return member_with_account(association, [Role.MEMBER], email="membre@amis.example")


@pytest.fixture
def raw(member):
    return api_token_create(user=member, name="t")[1]


def test_the_token_the_association_and_the_roles_are_one_query(client, association, raw):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 200, response.content
    first = ctx.captured_queries[0]["sql"]
    assert "accounts_apitoken" in first
    assert "members_roleassignment" in first
    assert "associations_association" in first
    # Nothing else reads the token or the roles.
    rest = [q["sql"] for q in ctx.captured_queries[1:]]
    assert not [s for s in rest if "accounts_apitoken" in s or "members_roleassignment" in s]


def test_a_revoked_token_answers_401_on_an_association_path(client, association, member, raw):
    api_token_revoke(user=member, token=ApiToken.objects.get(user=member))
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 401


def test_an_unknown_token_answers_401_on_an_association_path(client, association):
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer("mln_" + "x" * 40))
    assert response.status_code == 401


def test_an_inactive_user_answers_401_on_an_association_path(client, association, member, raw):
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 401


def test_no_role_there_answers_404_in_two_queries(client, other_association, raw):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{API}/{other_association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 404
    # The combined read, then the token alone (to tell 401 from 404); no third read.
    assert len(ctx.captured_queries) == 2, [q["sql"][:120] for q in ctx.captured_queries]


def test_an_association_that_does_not_exist_answers_404(client, raw):
    response = client.get(f"{API}/personne-ici/assemblies", **bearer(raw))
    assert response.status_code == 404


def test_a_member_who_left_answers_404(client, association, member, raw):
    with scopes_disabled():
        member.people.update(left_on=datetime.date(2026, 1, 1))
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 404


def test_a_missing_permission_still_answers_403(client, association, raw):
    # A plain member may not read the register.
    response = client.get(f"{API}/{association.slug}/members", **bearer(raw))
    assert response.status_code == 403


def test_the_bureaus_two_factor_rule_still_applies(client, association):
    association.require_2fa_for_bureau = True
    association.save(update_fields=["require_2fa_for_bureau"])
    president = member_with_account(association, [Role.PRESIDENT], email="pres@amis.example")
    raw = api_token_create(user=president, name="t")[1]
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 403


def test_the_last_use_is_noted_through_the_combined_read(client, association, member, raw):
    selectors.flush_token_last_use()
    before = timezone.now()
    response = client.get(f"{API}/{association.slug}/assemblies", **bearer(raw))
    assert response.status_code == 200
    selectors.flush_token_last_use()
    last_used_at = ApiToken.objects.get(user=member).last_used_at
    assert last_used_at is not None and last_used_at >= before


def test_the_caller_is_the_tokens_user_with_their_language(client, association, member, raw):
    member.language = "en"
    member.save(update_fields=["language"])
    response = client.get(f"{API}/{association.slug}/members", **bearer(raw))
    assert response.status_code == 403
    # The refusal is in the caller's language, as when the token is read alone.
    assert response.json()["detail"] == "Your roles in this association do not allow this."


def test_paths_without_an_association_read_the_token_alone(client, raw):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/me/associations", **bearer(raw))
    assert response.status_code == 200
    assert "members_roleassignment" not in ctx.captured_queries[0]["sql"]
    assert "accounts_apitoken" in ctx.captured_queries[0]["sql"]
