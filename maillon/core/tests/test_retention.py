from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.retention import purge_expired_data
from maillon.members.models import ImportStatus, Invitation, JoinRequest, MemberImport
from maillon.members.tests.factories import InvitationFactory, JoinRequestFactory
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


def test_purge_removes_unconfirmed_and_ended_mobilisation_data(association):
    from maillon.communication.models import Subscriber
    from maillon.events.models import Registration
    from maillon.events.tests.factories import make_event, make_registration
    from maillon.volunteering.models import Application
    from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

    now = timezone.now()
    mission = MissionFactory(association=association)
    never_confirmed = ApplicationFactory(mission=mission, email="a@example.org", submitted_at=None)
    just_sent = ApplicationFactory(mission=mission, email="b@example.org", submitted_at=None)
    declined_long_ago = ApplicationFactory(
        mission=mission, email="c@example.org", status="declined", decided_at=now
    )
    accepted_long_ago = ApplicationFactory(
        mission=mission, email="d@example.org", status="accepted", decided_at=now
    )
    event = make_event(association)
    pending = make_registration(event, status="pending", holds_seat=False, email="e@example.org")
    confirmed = make_registration(event, email="f@example.org")
    with scopes_disabled():
        Application.objects.filter(pk=never_confirmed.pk).update(created_at=now - timedelta(days=8))
        Application.objects.filter(pk__in=[declined_long_ago.pk, accepted_long_ago.pk]).update(
            decided_at=now - timedelta(days=800)
        )
        Registration.objects.filter(pk__in=[pending.pk, confirmed.pk]).update(
            created_at=now - timedelta(days=8)
        )
        old_request = Subscriber.objects.create(association=association, email="g@example.org")
        Subscriber.objects.filter(pk=old_request.pk).update(created_at=now - timedelta(days=31))
        subscribed = Subscriber.objects.create(
            association=association, email="h@example.org", consent_at=now
        )
        Subscriber.objects.filter(pk=subscribed.pk).update(created_at=now - timedelta(days=400))

    from maillon.accounts.tests.factories import UserFactory
    from maillon.core.models import IdempotencyKey

    user = UserFactory()
    with scopes_disabled():
        api = f"api:{association.pk}:"  # as api.idempotency.create_once stores them
        for scope_name in (f"{api}missions", f"{api}reply:4", "quickpoll:7"):
            key = IdempotencyKey.objects.create(
                association=association, user=user, scope=scope_name, key="k"
            )
            IdempotencyKey.objects.filter(pk=key.pk).update(created_at=now - timedelta(days=40))
        IdempotencyKey.objects.create(
            association=association, user=user, scope=f"{api}hours", key="k"
        )

    counts = purge_expired_data()

    with scopes_disabled():
        # API retry keys go after a month; a quick poll's key still guards its answer.
        assert sorted(IdempotencyKey.objects.values_list("scope", flat=True)) == [
            f"{api}hours",
            "quickpoll:7",
        ]
    assert counts["unconfirmed_applications_deleted"] == 1
    assert counts["ended_applications_deleted"] == 1
    assert counts["unconfirmed_registrations_deleted"] == 1
    assert counts["unconfirmed_subscribers_deleted"] == 1
    with scopes_disabled():
        assert set(Application.objects.values_list("pk", flat=True)) == {
            just_sent.pk,
            accepted_long_ago.pk,
        }
        assert list(Registration.objects.values_list("pk", flat=True)) == [confirmed.pk]
        assert list(Subscriber.objects.values_list("pk", flat=True)) == [subscribed.pk]
