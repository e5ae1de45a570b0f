"""Retention: what the register of processing (``/privacy/``) promises is enforced
here, by a task that a daily job runs (``manage.py purge_expired_data``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

# Kept in one place, shown on the privacy page and used by the purge.
IMPORT_CONTENT_DAYS = 7
STALE_RUNNING_IMPORT_HOURS = 6
JOIN_REQUEST_DAYS_AFTER_ANSWER = 365
EXPIRED_INVITATION_DAYS = 90
ANONYMOUS_DIAGNOSTIC_IDLE_DAYS = 180
UNCONFIRMED_DAYS = 7  # guest applications and registrations never confirmed by email
UNCONFIRMED_SUBSCRIBER_DAYS = 30
ENDED_APPLICATION_DAYS = 730  # declined or withdrawn applications, after the decision
API_RETRY_KEY_DAYS = 30  # Idempotency-Key of API creations: a retry comes within minutes
# Scope prefix of the keys that only guard API retries (api.routers.volunteering.create_once);
# governance's keys ("poll:", "quickpoll:") stay: they hold receipts and answers.
API_RETRY_SCOPE_PREFIX = "api:"


def _stale_import_message() -> str:
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The import did not finish in time; nothing was written. Try again.")


@transaction.atomic
def purge_expired_data(*, now=None) -> dict[str, int]:
    from maillon.members.models import ImportStatus, Invitation, JoinRequest, MemberImport
    from maillon.strategy.models import AnonymousDiagnostic

    now = now or timezone.now()
    counts: dict[str, int] = {}
    with scopes_disabled():
        # An import whose worker died stays "running" for ever otherwise.
        counts["stale_imports_failed"] = MemberImport.objects.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
            created_at__lt=now - timedelta(hours=STALE_RUNNING_IMPORT_HOURS),
        ).update(
            status=ImportStatus.FAILED,
            failure_message=_stale_import_message(),
            finished_at=now,
        )
        # File content of imports not finished within a week: the people stay, the
        # uploaded rows go.
        counts["import_contents_deleted"] = (
            MemberImport.objects.filter(created_at__lt=now - timedelta(days=IMPORT_CONTENT_DAYS))
            .exclude(rows=[])
            .update(rows=[], headers=[])
        )
        counts["join_requests_deleted"] = JoinRequest.objects.filter(
            decided_at__lt=now - timedelta(days=JOIN_REQUEST_DAYS_AFTER_ANSWER)
        ).delete()[0]
        counts["invitations_deleted"] = Invitation.objects.filter(
            accepted_at__isnull=True,
            expires_at__lt=now - timedelta(days=EXPIRED_INVITATION_DAYS),
        ).delete()[0]
        counts["anonymous_diagnostics_deleted"] = AnonymousDiagnostic.objects.filter(
            updated_at__lt=now - timedelta(days=ANONYMOUS_DIAGNOSTIC_IDLE_DAYS)
        ).delete()[0]
        counts.update(_purge_mobilisation(now))
    return counts


def _purge_mobilisation(now) -> dict[str, int]:
    from django.db.models import Q

    from maillon.communication.models import Subscriber
    from maillon.core.models import IdempotencyKey
    from maillon.events.models import Registration, RegistrationStatus
    from maillon.volunteering.models import Application, ApplicationStatus

    unconfirmed = now - timedelta(days=UNCONFIRMED_DAYS)
    ended = now - timedelta(days=ENDED_APPLICATION_DAYS)
    return {
        "unconfirmed_applications_deleted": Application.objects.filter(
            submitted_at__isnull=True, created_at__lt=unconfirmed
        ).delete()[0],
        "ended_applications_deleted": Application.objects.filter(
            Q(decided_at__lt=ended) | Q(decided_at__isnull=True, updated_at__lt=ended),
            status__in=[ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN],
        ).delete()[0],
        "unconfirmed_registrations_deleted": Registration.objects.filter(
            status=RegistrationStatus.PENDING, created_at__lt=unconfirmed
        ).delete()[0],
        "api_retry_keys_deleted": IdempotencyKey.objects.filter(
            scope__startswith=API_RETRY_SCOPE_PREFIX,
            created_at__lt=now - timedelta(days=API_RETRY_KEY_DAYS),
        ).delete()[0],
        "unconfirmed_subscribers_deleted": Subscriber.objects.filter(
            consent_at__isnull=True,
            created_at__lt=now - timedelta(days=UNCONFIRMED_SUBSCRIBER_DAYS),
        ).delete()[0],
    }
