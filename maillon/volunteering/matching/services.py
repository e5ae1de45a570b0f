"""Writes of matching: an association invites a volunteer to apply to a mission, and
opted-in volunteers receive digests of new missions that match them (mission alerts).

Alerts run from a daily cron (``manage.py send_mission_alerts``). A profile is due once
its period (a day or a week, minus ALERT_SLACK for the cron's drift) has passed since
``last_alert_at``; ``last_alert_at`` is claimed with a conditional UPDATE before the
email goes, so two runs never send the same digest twice. A check that finds nothing
to send moves ``last_alert_at`` as well (no email, and the next digest covers the
missions published since that check).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association
from maillon.members.permissions import Perm, check_permission

from ..models import AlertFrequency, Mission, MissionInvitation, Source, VolunteerProfile
from ..profiles.selectors import profiles_with_facts
from . import engine, reasons
from .selectors import (
    mission_facts,
    mission_is_invitable,
    mission_public_url,
    public_candidate_missions,
    rank_missions,
    volunteer_facts,
)
from .tasks import send_invitation_email

if TYPE_CHECKING:
    from maillon.accounts.models import User

logger = logging.getLogger(__name__)

# A mission goes into an alert from this score on (out of 100).
ALERT_THRESHOLD = 50
ALERT_MAX_MISSIONS = 20
ALERT_PERIODS: dict[str, datetime.timedelta] = {
    AlertFrequency.DAILY: datetime.timedelta(days=1),
    AlertFrequency.WEEKLY: datetime.timedelta(days=7),
}
# The cron runs once a day; a run that starts a little earlier than the previous one,
# or lasts a while, must not push a profile to the next day.
ALERT_SLACK = datetime.timedelta(hours=2)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def mission_invitation_send(
    *, association: Association, actor: User, mission: Mission, profile: VolunteerProfile
) -> MissionInvitation:
    """Invite a volunteer who made their profile visible to apply to ``mission``: the
    platform emails them the mission's link; the association never learns their
    address. Once per volunteer and mission."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MISSIONS)
    ensure_same_association(association, mission)
    if not profile.visible_to_associations or not profile.user.is_active:
        raise ValidationError(_("This volunteer no longer accepts invitations."))
    if not mission_is_invitable(mission):
        raise ValidationError(
            _("Only a published mission open to everyone can be suggested to volunteers.")
        )
    today = timezone.localdate()
    match = engine.score(volunteer_facts(profile, today=today), mission_facts(mission), today=today)
    if match.blocked:
        raise ValidationError(_("This mission is not open to this volunteer."))
    try:
        with transaction.atomic():
            invitation = MissionInvitation.objects.create(
                association=association, mission=mission, profile=profile, invited_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("This volunteer has already been invited to apply to this mission.")
        ) from None
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.mission_invitation_sent",
        obj=invitation,
        data={"mission": mission.pk, "volunteer_profile": profile.pk, "score": match.score},
    )
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(
            association_id=association.pk, invitation_id=invitation.pk
        )
    )
    return invitation


# --- alerts ---------------------------------------------------------------------------------


def profiles_due_for_alert(*, now: datetime.datetime):
    """Ids of the opted-in profiles whose alert period has passed."""
    due = Q()
    for frequency, period in ALERT_PERIODS.items():
        due |= Q(alert_frequency=frequency) & (
            Q(last_alert_at__isnull=True) | Q(last_alert_at__lte=now - period + ALERT_SLACK)
        )
    return (
        VolunteerProfile.objects.filter(alerts_enabled=True, user__is_active=True)
        .filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class AlertResult:
    checked: int = 0
    sent: int = 0


def mission_alert_send(*, profile_id: int, now: datetime.datetime) -> bool:
    """Check one profile and email its digest if new missions match. Returns whether
    an email went. Safe to run twice: the second run finds the profile not due."""
    profile = profiles_with_facts().filter(pk=profile_id, alerts_enabled=True).first()
    if profile is None:
        return False
    period = ALERT_PERIODS.get(profile.alert_frequency, ALERT_PERIODS[AlertFrequency.WEEKLY])
    previous = profile.last_alert_at
    if previous is not None and previous > now - period + ALERT_SLACK:
        return False
    # Claim the period: only one run passes this conditional update.
    claimed = VolunteerProfile.objects.filter(pk=profile.pk, last_alert_at=previous)
    if previous is None:
        claimed = VolunteerProfile.objects.filter(pk=profile.pk, last_alert_at__isnull=True)
    if not claimed.update(last_alert_at=now):
        return False

    since = previous or now - period
    today = timezone.localdate(now)
    facts = volunteer_facts(profile, today=today)
    missions = public_candidate_missions(
        facts, profile, today=today, published_after=since, published_until=now
    )
    ranked = [
        s for s in rank_missions(profile, missions, today=today) if s.match.score >= ALERT_THRESHOLD
    ][:ALERT_MAX_MISSIONS]
    if not ranked:
        return False
    try:
        _send_alert_email(profile, ranked)
    except Exception:
        # Give the period back: the next run tries again.
        VolunteerProfile.objects.filter(pk=profile.pk, last_alert_at=now).update(
            last_alert_at=previous
        )
        raise
    return True


def _send_alert_email(profile: VolunteerProfile, ranked) -> None:
    user = profile.user
    stop_url = _absolute(reverse("volunteer:alerts_stop", kwargs={"token": profile.alert_token}))
    with translation.override(user.language or settings.LANGUAGE_CODE):
        items = [
            {
                "mission": s.mission,
                "url": _absolute(mission_public_url(s.mission, source=Source.ALERT)),
                "reasons": [
                    reasons.reason_text(r, labels=_cause_labels(s.mission))
                    for r in s.match.reasons
                    if not r.is_blocking
                ],
            }
            for s in ranked
        ]
        context = {
            "items": items,
            "frequency": profile.alert_frequency,
            "profile_url": _absolute(reverse("volunteer:profile")),
            "suggestions_url": _absolute(reverse("volunteer:suggestions")),
            "stop_url": stop_url,
        }
        subject = translation.ngettext(
            "%(count)s new mission for you",
            "%(count)s new missions for you",
            len(items),
        ) % {"count": len(items)}
        EmailMessage(
            subject=subject,
            body=render_to_string("volunteering/matching/email/alert.txt", context),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ).send()


def _cause_labels(mission: Mission) -> dict[str, str]:
    cause = mission.cause
    return {cause.code: cause.label} if cause is not None else {}


def mission_alerts_send_due(*, now: datetime.datetime | None = None) -> AlertResult:
    """Every due profile, one after the other (the daily cron's job)."""
    now = now or timezone.now()
    checked = sent = 0
    for profile_id in list(profiles_due_for_alert(now=now)):
        checked += 1
        try:
            sent += mission_alert_send(profile_id=profile_id, now=now)
        except Exception:
            # One bad address must not stop everybody else's alerts.
            logger.exception("Mission alert of volunteer profile %s failed", profile_id)
    return AlertResult(checked=checked, sent=sent)
