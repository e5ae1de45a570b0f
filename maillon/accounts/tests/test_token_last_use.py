"""API token last use: noted at most once a minute per token, written in batches."""

import datetime

import pytest
from django.utils import timezone

from maillon.accounts import selectors
from maillon.accounts.models import ApiToken
from maillon.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_last_use_is_written_at_the_flush_in_one_statement(django_user_model, monkeypatch):
    selectors.flush_token_last_use()
    monkeypatch.setattr(selectors, "LAST_USE_FLUSH_SECONDS", 3600)
    users = [django_user_model.objects.create_user(email=f"u{i}@example.org") for i in range(3)]
    raws = [api_token_create(user=u, name="t")[1] for u in users]
    for raw, user in zip(raws, users, strict=True):
        assert selectors.user_for_api_token(raw) == user
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        selectors.flush_token_last_use()
    assert len(ctx.captured_queries) == 1
    assert ApiToken.objects.filter(last_used_at__isnull=False).count() == 3


def test_a_flush_happens_during_a_request_once_due(django_user_model, monkeypatch):
    selectors.flush_token_last_use()
    monkeypatch.setattr(selectors, "LAST_USE_FLUSH_SECONDS", 0)
    user = django_user_model.objects.create_user(email="due@example.org")
    raw = api_token_create(user=user, name="t")[1]
    selectors.user_for_api_token(raw)
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_a_recent_last_use_is_not_noted_again(django_user_model, monkeypatch):
    selectors.flush_token_last_use()
    monkeypatch.setattr(selectors, "LAST_USE_FLUSH_SECONDS", 0)
    user = django_user_model.objects.create_user(email="recent@example.org")
    raw = api_token_create(user=user, name="t")[1]
    recent = timezone.now() - datetime.timedelta(seconds=10)
    ApiToken.objects.filter(user=user).update(last_used_at=recent)
    selectors.user_for_api_token(raw)
    assert ApiToken.objects.get(user=user).last_used_at == recent


def test_the_flush_writes_each_token_its_own_time_and_nothing_else(django_user_model):
    selectors.flush_token_last_use()
    users = [django_user_model.objects.create_user(email=f"own{i}@example.org") for i in range(3)]
    tokens = [ApiToken.objects.get(pk=api_token_create(user=u, name="t")[0].pk) for u in users]
    untouched = tokens.pop()
    times = [timezone.now() - datetime.timedelta(minutes=5 * (i + 1)) for i in range(2)]
    for token, at in zip(tokens, times, strict=True):
        selectors.note_token_use(token_id=token.pk, last_used_at=token.last_used_at, now=at)
    selectors.flush_token_last_use()
    for token, at in zip(tokens, times, strict=True):
        assert ApiToken.objects.get(pk=token.pk).last_used_at == at
    assert ApiToken.objects.get(pk=untouched.pk).last_used_at is None
