"""``maillon.core.db.compiled``: a queryset's SQL built once, run with other values,
answers what the queryset answers (the API's token and membership reads use it)."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.models import ApiToken
from maillon.accounts.selectors import user_for_api_token
from maillon.accounts.services import api_token_create
from maillon.api.tenancy import compiled_membership_by_slug_across_associations
from maillon.core.db.compiled import CompiledQuery
from maillon.members.models import Person, Role
from maillon.members.tenancy import membership_by_slug_across_associations
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


def test_the_same_objects_as_the_queryset_with_their_related_objects(association):
    users = [member_with_account(association, [Role.MEMBER]) for _ in range(3)]
    query = CompiledQuery(
        lambda email: Person.objects.filter(user__email=email).select_related(
            "user", "association"
        ),
        email="sample@example.org",
    )
    with scopes_disabled():
        for user in users:
            [person] = query(email=user.email)
            expected = Person.objects.select_related("user").get(user=user)
            assert person == expected
            assert person.user == user  # select_related: no query
            assert person.association == association
            for field in Person._meta.concrete_fields:
                assert getattr(person, field.attname) == getattr(expected, field.attname)
            with CaptureQueriesContext(connection) as ctx:
                assert person.user.email == user.email
                assert person.association.slug == association.slug
            assert not ctx.captured_queries
        assert query(email="nobody@example.org") == []


def test_sample_values_must_be_found_once_in_the_sql():
    query = CompiledQuery(lambda email: Person.objects.filter(email="x"), email="sample@x.org")
    with scopes_disabled(), pytest.raises(ValueError, match="found 0 times"):
        query(email="a@example.org")
    with pytest.raises(TypeError):
        query(other="a")


def test_the_token_read_refuses_what_it_refused(django_user_model):
    user = django_user_model.objects.create_user(email="t@example.org")
    raw = api_token_create(user=user, name="t")[1]
    assert user_for_api_token(raw) == user
    assert user_for_api_token(raw + "x") is None
    assert user_for_api_token("") is None
    token = ApiToken.objects.get(user=user)
    token.revoked_at = timezone.now()
    token.save()
    assert user_for_api_token(raw) is None
    raw = api_token_create(user=user, name="t2")[1]
    assert user_for_api_token(raw) == user
    user.is_active = False
    user.save()
    assert user_for_api_token(raw) is None


def test_the_token_read_gives_the_time_of_last_use_as_the_queryset(django_user_model):
    user = django_user_model.objects.create_user(email="l@example.org")
    raw = api_token_create(user=user, name="t")[1]
    at = timezone.now() - datetime.timedelta(days=2)
    ApiToken.objects.filter(user=user).update(last_used_at=at)
    from maillon.accounts.selectors import _token_with_user

    [token] = _token_with_user(key_hash=ApiToken.hash(raw))
    assert token.last_used_at == at
    assert token.last_used_at.tzinfo is not None
    assert token.user.language == user.language


def test_the_api_membership_is_the_pages_membership(association, other_association):
    admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
    member = member_with_account(association, [Role.MEMBER])
    for user in (admin, member):
        got = compiled_membership_by_slug_across_associations(slug=association.slug, user=user)
        expected = membership_by_slug_across_associations(slug=association.slug, user=user)
        assert got is not None and expected is not None
        assert got[0] == expected[0] and got[0].name == expected[0].name
        assert got[1].person == expected[1].person
        assert got[1].roles == expected[1].roles
        assert got[1].permissions == expected[1].permissions
        with CaptureQueriesContext(connection) as ctx, scopes_disabled():
            assert {ra.role for ra in got[1].person.role_assignments.all()} == got[1].roles
        assert not ctx.captured_queries
    # No role in the other association, no such association, a person who left.
    membership = compiled_membership_by_slug_across_associations
    assert membership(slug=other_association.slug, user=admin) is None
    assert membership(slug="no-such-slug", user=admin) is None
    with scopes_disabled():
        Person.objects.filter(user=member).update(left_on=F("joined_on"))
    assert membership(slug=association.slug, user=member) is None
