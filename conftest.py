"""Fixtures shared by all tests. Every test module gets two associations: the one
under test and a foreign one whose data must never show."""

import pytest


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Departments and sectors come from a data migration; a transactional test
    flushes them, so they are put back for every test that uses the database."""
    names = request.fixturenames
    if request.node.get_closest_marker("django_db") is None:
        if "transactional_db" in names or "live_server" in names:
            request.getfixturevalue("transactional_db")
        elif "db" in names:
            request.getfixturevalue("db")
        else:
            return
    from maillon.taxonomy.reference_data import ensure_loaded

    ensure_loaded()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the memory cache outlives a test)."""
    from django.core.cache import cache

    from maillon.core import process_memo

    cache.clear()
    # And with nothing kept in the process from another test's (rolled back) data.
    process_memo.forget_all()


@pytest.fixture
def association(db):
    from maillon.associations.tests.factories import AssociationFactory

    return AssociationFactory(name="Les Amis du Quartier", slug="amis-du-quartier")


@pytest.fixture
def other_association(db):
    from maillon.associations.tests.factories import AssociationFactory

    return AssociationFactory(name="Club Voisin", slug="club-voisin")


@pytest.fixture
def admin_user(association):
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account

    return member_with_account(association, [Role.ADMIN, Role.MEMBER], email="admin@amis.example")


@pytest.fixture
def other_admin(other_association):
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account

    return member_with_account(other_association, [Role.ADMIN], email="admin@voisin.example")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def in_scope(association):
    from django_scopes import scope

    with scope(association=association):
        yield association


@pytest.fixture
def no_scopes():
    from django_scopes import scopes_disabled

    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _token_last_use_not_flushed_mid_test(monkeypatch):
    """API token last-use times are written in batches every 30 s of wall-clock time
    (maillon/accounts/selectors.py); in tests that would add an UPDATE to whichever
    request happens to cross the 30 s, making query counts flaky. Tests start with
    nothing pending and never flush on their own (the tests of the batching set the
    interval themselves)."""
    from maillon.accounts import selectors

    selectors._pending_last_use.clear()
    monkeypatch.setattr(selectors, "LAST_USE_FLUSH_SECONDS", float("inf"))
