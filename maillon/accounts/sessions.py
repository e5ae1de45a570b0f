"""Sessions in the database that bring their user along: one query instead of two
on every signed-in page (issue 16: a vote on the poll page in at most 7 round trips).

Django reads a signed-in request's session (one query), then the user it names (a
second). ``SessionStore`` keeps the user's id in a column of ``UserSession`` and reads
the session with its user in one join; ``AuthenticationMiddleware`` then lets the
backends take that user instead of reading it again. Everything else is Django's own
``auth.get_user``: the backend recorded in the session must be one of
``AUTHENTICATION_BACKENDS``, the user must be active (``user_can_authenticate``), and
the session's password hash is checked (a password change signs out other sessions).
With Redis, sessions live in the cache (settings): the backends then read the user as
usual.

The column is written from the session's data on every save (login, logout and
``cycle_key`` all save), so it cannot name another user than the data does; the
backends also check that the id read from the data is the column's."""

from __future__ import annotations

import contextvars
import datetime
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthMiddleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from maillon.core.db.compiled import CompiledQuery

#: The request's session while ``auth.get_user`` runs, for the backends.
_current_session: contextvars.ContextVar[Any] = contextvars.ContextVar("maillon_session")


class SessionStore(DatabaseSessionStore):
    """Django's database session store on ``UserSession``. Its name stays
    ``SessionStore``: Django signs session data with the class's name, so sessions
    written by Django's store read the same here (migration accounts/0002)."""

    signed_in_user: Any = None  # the user read with the session, once loaded

    @classmethod
    def get_model_class(cls):
        from maillon.accounts.models import UserSession

        return UserSession

    def _get_session_from_db(self):
        """Django's read (the unexpired session, through ``UserSession``'s manager:
        with its user), its SQL built once per process (``maillon.core.db.compiled``):
        it runs on every signed-in page."""
        rows = _session_with_user(session_key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return rows[0]

    def load(self):
        row = self._get_session_from_db()
        self.signed_in_user = row.user if row else None
        return self.decode(row.session_data) if row else {}

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = user_id_in(data)
        return row


def _unexpired_session(session_key: str, now: datetime.datetime) -> QuerySet:
    from maillon.accounts.models import UserSession

    return UserSession.objects.filter(session_key=session_key, expire_date__gt=now)


# Samples: values no session key or time takes (see CompiledQuery); a time is a
# string on SQLite.
_session_with_user = CompiledQuery(
    _unexpired_session,
    prepare={"now": lambda value, connection: connection.ops.adapt_datetimefield_value(value)},
    session_key="sample-session-key",
    now=datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC),
)


def user_id_in(data: dict) -> int | None:
    """The signed-in user's id recorded in session data, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class AuthenticationMiddleware(DjangoAuthMiddleware):
    """Django's, except that ``auth.get_user`` runs with the request's session at
    hand, so that the backends below can take the user read with it."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        token = _current_session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _current_session.reset(token)
    return request._cached_user


class _UserReadWithTheSession:
    """``get_user`` answers from the session's own read when it holds that user;
    otherwise (cache sessions, another user id) it reads as the parent backend does."""

    def get_user(self, user_id):
        session = _current_session.get(None)
        user = getattr(session, "signed_in_user", None)
        if user is None or user.pk != user_id:
            return super().get_user(user_id)  # type: ignore[misc]
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_UserReadWithTheSession, DjangoModelBackend):
    pass


class AuthenticationBackend(_UserReadWithTheSession, AllauthBackend):
    pass
