import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read messages in the source language (English)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _after_commit_at_once(monkeypatch):
    """Tests run inside a transaction that never commits: the emails queued "after
    commit" are sent at once instead."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
