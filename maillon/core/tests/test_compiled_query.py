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
from maillon.core.db.compiled import CompiledQuery
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.tenancy import membership_by_slug_across_associations
from maillon.members.tests.factories import member_with_account
from maillon.network.models import NetworkRole, NetworkRoleKind

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


def test_the_membership_read_answers_as_the_plain_queryset(association, other_association):
    """``membership_by_slug_across_associations`` (pages and API) runs its query
    compiled once: the same association, person, roles and "on a network team" as
    the plain queryset, for each shape it is read in."""
    from maillon.network.networks.selectors import on_a_network_team
    from maillon.network.tests.factories import NetworkFactory

    admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
    member = member_with_account(association, [Role.MEMBER])
    NetworkRole.objects.create(network=NetworkFactory(), user=member, role=NetworkRoleKind.HEAD)
    related = ("department__region", "sector")
    for user in (admin, member):
        with scopes_disabled():
            plain = list(
                RoleAssignment.objects.filter(
                    person__association__slug=association.slug,
                    person__user=user,
                    person__left_on__isnull=True,
                ).select_related("person__association__department__region")
            )
        for shape in ({}, {"related": related, "network_team": True}):
            got = membership_by_slug_across_associations(slug=association.slug, user=user, **shape)
            assert got is not None
            assert got[0] == association and got[0].name == association.name
            assert got[1].person == plain[0].person
            assert got[1].roles == {ra.role for ra in plain}
            expected_team = on_a_network_team(user=user) if shape else None
            assert got[1].on_a_network_team == expected_team
            # What was read with it costs no query. The roles are the context's:
            # ``person.role_assignments`` is not filled (nothing reads it), and asking
            # it gives the same roles.
            with CaptureQueriesContext(connection) as ctx, scopes_disabled():
                if shape:
                    assert got[0].department == plain[0].person.association.department
            assert not ctx.captured_queries
            with scopes_disabled():
                assert {ra.role for ra in got[1].person.role_assignments.all()} == got[1].roles
    assert membership_by_slug_across_associations(slug=association.slug, user=member)[1].roles
    # No role in the other association, no such association, a person who left.
    membership = membership_by_slug_across_associations
    assert membership(slug=other_association.slug, user=admin) is None
    assert membership(slug="no-such-slug", user=admin) is None
    with scopes_disabled():
        Person.objects.filter(user=member).update(left_on=F("joined_on"))
    assert membership(slug=association.slug, user=member) is None
    assert membership(slug=association.slug, user=member, related=related) is None


def _window(*, association_id, start, size, word):
    window = (
        Person.objects.filter(association=association_id, search_text__contains=word)
        .order_by("last_name", "id")
        .values("pk")[start : start + size]
    )
    return (
        Person.objects.filter(association=association_id, pk__in=window)
        .order_by("last_name", "id")
        .values("id", "last_name", "joined_on")
    )


def test_values_with_a_window_and_a_like_pattern_answer_as_the_queryset(association):
    """``CompiledValues``: the ``values()`` dictionaries of the queryset, its LIMIT and
    OFFSET (written into the SQL by Django) made parameters, a ``contains`` word
    prepared as the lookup prepares it (``%`` and ``_`` stay literal)."""
    from django.db.models.lookups import Contains

    from maillon.core.db.compiled import CompiledValues
    from maillon.members.tests.factories import PersonFactory

    for n, city in enumerate(["50% off", "a_b", "ab", "5000 off", "back\\slash", "a_b"] * 2):
        PersonFactory(association=association, last_name=f"N{n:02}", city=city)
    query = CompiledValues(
        _window,
        prepare={
            "word": lambda w, c: Contains.param_pattern % c.ops.prep_for_like_query(w),
        },
        literals=("start", "size"),
        association_id=-7_654_321,
        start=987_654_321,
        size=123_456_789,
        word="zqxsampleword",
    )
    with scopes_disabled():
        for word in ("50%", "a_b", "ab", "off", "\\", "nothing"):
            for start in range(6):
                for size in (1, 3):
                    values = {
                        "association_id": association.pk,
                        "start": start,
                        "size": size,
                        "word": word,
                    }
                    assert query(**values) == list(_window(**values)), values


def test_a_literal_sample_must_be_in_the_sql_once():
    from maillon.core.db.compiled import CompiledValues

    query = CompiledValues(
        lambda start: Person.objects.values("pk")[2:5], literals=("start",), start=987_654_321
    )
    with scopes_disabled(), pytest.raises(ValueError, match="found 0 times"):
        query(start=1)
