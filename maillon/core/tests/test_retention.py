from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.retention import purge_expired_data
from maillon.core.testing.factories import InvitationFactory, JoinRequestFactory
from maillon.members.models import ImportStatus, Invitation, JoinRequest, MemberImport
from maillon.strategy.models import AnonymousDiagnostic

pytestmark = pytest.mark.django_db


def _import(association, *, status, age):
    with scopes_disabled():
        item = MemberImport.objects.create(
            association=association,
            file_name="adherents.csv",
            file_format="csv",
            headers=["Nom"],
            rows=[{"line": 2, "cells": ["Dupont"]}],
            status=status,
        )
        MemberImport.objects.filter(pk=item.pk).update(created_at=timezone.now() - age)
    return item


def test_purge_keeps_recent_data_and_removes_what_the_register_promises(association):
    now = timezone.now()
    stale = _import(association, status=ImportStatus.RUNNING, age=timedelta(hours=7))
    old_preview = _import(association, status=ImportStatus.PREVIEWED, age=timedelta(days=8))
    fresh = _import(association, status=ImportStatus.PREVIEWED, age=timedelta(days=1))
    old_answer = JoinRequestFactory(association=association, status="rejected")
    recent_answer = JoinRequestFactory(association=association, status="approved")
    pending = JoinRequestFactory(association=association)
    with scopes_disabled():
        JoinRequest.objects.filter(pk=old_answer.pk).update(decided_at=now - timedelta(days=400))
        JoinRequest.objects.filter(pk=recent_answer.pk).update(decided_at=now - timedelta(days=10))
    expired = InvitationFactory(association=association)
    valid = InvitationFactory(association=association)
    with scopes_disabled():
        Invitation.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(days=100))
    idle = AnonymousDiagnostic.objects.create(questionnaire_version=1)
    AnonymousDiagnostic.objects.filter(pk=idle.pk).update(updated_at=now - timedelta(days=200))
    active = AnonymousDiagnostic.objects.create(questionnaire_version=1)

    counts = purge_expired_data()

    assert counts["stale_imports_failed"] == 1
    assert counts["join_requests_deleted"] == 1
    assert counts["invitations_deleted"] == 1
    assert counts["anonymous_diagnostics_deleted"] == 1
    with scopes_disabled():
        stale.refresh_from_db()
        old_preview.refresh_from_db()
        fresh.refresh_from_db()
        assert stale.status == ImportStatus.FAILED and stale.failure_message
        assert stale.rows  # kept: its author can check it again and retry
        assert old_preview.rows == []
        assert fresh.rows  # still being checked by its author
        assert set(JoinRequest.objects.values_list("pk", flat=True)) == {
            recent_answer.pk,
            pending.pk,
        }
        assert list(Invitation.objects.values_list("pk", flat=True)) == [valid.pk]
    assert list(AnonymousDiagnostic.objects.values_list("pk", flat=True)) == [active.pk]


def test_purge_command_runs(association, capsys):
    call_command("purge_expired_data")
    assert "join_requests_deleted: 0" in capsys.readouterr().out
