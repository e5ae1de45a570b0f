"""Database sessions read with their user (``maillon.accounts.sessions``): one query
for both on a signed-in page, and every check Django makes on a session still made:
an inactive account, a password changed elsewhere, a session whose user column does
not match its data, sessions kept in a cache, sessions written before the upgrade."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoDatabaseStore
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.accounts.models import UserSession
from maillon.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "me:home"


def _signed_in(client, url=None):
    response = client.get(url or reverse(HOME))
    return response.status_code == 200 and response.wsgi_request.user.is_authenticated


def test_the_session_and_its_user_are_one_query(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(HOME))
    assert response.wsgi_request.user == user
    reads = [q["sql"] for q in ctx.captured_queries if '"accounts_user"' in q["sql"]]
    assert len(reads) == 1, reads
    assert "accounts_usersession" in reads[0]


def test_the_user_column_follows_sign_in_and_sign_out(client):
    user = UserFactory()
    client.force_login(user)
    key = client.session.session_key
    assert UserSession.objects.get(session_key=key).user == user
    client.post(reverse("account_logout"))
    assert not UserSession.objects.filter(session_key=key, user=user).exists()
    assert not _signed_in(client)


def test_an_account_made_inactive_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _signed_in(client)


def test_a_password_changed_elsewhere_signs_this_session_out(client):
    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client)
    user.set_password("un autre mot de passe")
    user.save()
    assert not _signed_in(client)


def test_the_user_named_by_the_data_wins_over_the_column(client):
    """Should the column ever name another user than the session's data (a row
    edited by hand), the data decides, as in Django: the column's user is never
    taken for it."""
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    UserSession.objects.filter(session_key=client.session.session_key).update(user=other)
    response = client.get(reverse(HOME))
    assert response.wsgi_request.user == user


@override_settings(
    SESSION_ENGINE="django.contrib.sessions.backends.cache",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_sessions_in_a_cache_sign_in_as_before(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse(HOME)).wsgi_request.user == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _signed_in(client)


def test_a_session_from_before_the_upgrade_stays_signed_in(client):
    """Migration accounts/0003 copies Django's live sessions into UserSession with
    the user's id, renaming the recorded backend: nobody is signed out."""
    migration = importlib.import_module("maillon.accounts.migrations.0003_copy_sessions")
    user = UserFactory()
    old = DjangoDatabaseStore()
    old[SESSION_KEY] = str(user.pk)
    old[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    old[HASH_SESSION_KEY] = user.get_session_auth_hash()
    old.create()
    gone = DjangoDatabaseStore()
    gone[SESSION_KEY] = "999999"
    gone.create()

    migration.copy_live_sessions(apps, None)

    row = UserSession.objects.get(session_key=old.session_key)
    assert row.user == user
    assert row.get_decoded()[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    assert UserSession.objects.get(session_key=gone.session_key).user is None
    assert not DjangoDatabaseStore.get_model_class().objects.exists()  # nothing left behind
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    assert client.get(reverse(HOME)).wsgi_request.user == user


def test_an_expired_or_unknown_session_is_not_read(client):
    """The session read (its SQL compiled once) keeps Django's conditions: the key,
    an expiry date still to come."""
    import datetime

    from django.utils import timezone

    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client)
    key = client.session.session_key
    UserSession.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not _signed_in(client)
    client.force_login(user)
    assert _signed_in(client)
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"
    assert not _signed_in(client)
