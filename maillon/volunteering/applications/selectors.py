"""Reads of applications to missions.

Back-office selectors run inside the association's scope and see only submitted
applications (a guest's application shows once their email address is verified).
Selectors of one application or one association reached from a public page open
that association's scope themselves. Those that cross associations say so by their
name and filter explicitly: ``public_*`` (published missions), ``my_*`` (the
candidate's own applications), ``*_for_token`` (a secret link) and
``*_across_associations`` (the daily reminders).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association, Module
from maillon.members.models import Person, RoleAssignment
from maillon.members.permissions import ROLE_PERMISSIONS, Perm

from ..models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Audience,
    Mission,
    MissionStatus,
    VolunteeringSettings,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from maillon.accounts.models import User

DEFAULT_REMIND_AFTER_DAYS = 5
# Statuses in which the candidate and the association still write to each other.
THREAD_OPEN_STATUSES = (*ACTIVE_APPLICATION_STATUSES, ApplicationStatus.ACCEPTED)


# --- Public side: applying ----------------------------------------------------------------


def is_current_member(*, association: Association, user: User | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    with scope(association=association):
        return Person.objects.filter(
            association=association, user=user, left_on__isnull=True
        ).exists()


def candidate_person(*, association: Association, user: User) -> Person | None:
    """The signed-in candidate's record in the association's register, if any (to
    fill in the application form)."""
    with scope(association=association):
        return Person.objects.filter(association=association, user=user).first()


def public_mission_for_application(
    *, mission_id: int, user: User | AnonymousUser | None
) -> Mission:
    """The mission a visitor may apply to: published, full or closed (the page then
    says it takes no more applications), of an association using the volunteering
    module; a members-only mission only for the association's current members.
    Anything else is "not found"."""
    with scopes_disabled():
        mission = (
            Mission.objects.select_related("association")
            .filter(
                pk=mission_id,
                status__in=[MissionStatus.PUBLISHED, MissionStatus.FULL, MissionStatus.CLOSED],
            )
            .first()
        )
    if mission is None or not mission.association.has_module(Module.VOLUNTEERING):
        raise Http404
    if mission.audience == Audience.MEMBERS and not is_current_member(
        association=mission.association, user=user
    ):
        raise Http404
    return mission


def application_for_token(token: str) -> Application:
    """The candidate's application behind their secret link (guests have no account)."""
    with scopes_disabled():
        application = (
            Application.objects.select_related("mission", "association", "user")
            .filter(access_token=token)
            .first()
        )
    if application is None or not token:
        raise Http404
    return application


def thread_of(application: Application) -> list[ApplicationMessage]:
    """The messages of an application, oldest first (in its association's scope:
    the candidate's pages run with none)."""
    with scope(association=application.association_id):
        return list(
            ApplicationMessage.objects.filter(application=application).select_related("author")
        )


# --- A candidate's own applications (/me/) ------------------------------------------------


def my_applications(*, user: User) -> QuerySet[Application]:
    with scopes_disabled():
        return (
            Application.objects.filter(user=user)
            .select_related("mission", "association")
            .order_by("-created_at", "-id")
        )


def my_application_get(*, user: User, application_id: int) -> Application:
    with scopes_disabled():
        application = (
            Application.objects.filter(user=user, pk=application_id)
            .select_related("mission", "association", "user")
            .first()
        )
    if application is None:
        raise Http404
    return application


# --- Back-office ----------------------------------------------------------------------------


def application_list(
    *, association: Association, status: str = "", mission_id: int | None = None
) -> QuerySet[Application]:
    qs = (
        Application.objects.filter(association=association, submitted_at__isnull=False)
        .select_related("mission")
        .order_by("-submitted_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if mission_id:
        qs = qs.filter(mission_id=mission_id)
    return qs


def application_counts(
    *, association: Association, mission_id: int | None = None
) -> dict[str, int]:
    """Number of submitted applications per status (every status present, 0 if none)."""
    qs = Application.objects.filter(association=association, submitted_at__isnull=False)
    if mission_id:
        qs = qs.filter(mission_id=mission_id)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ApplicationStatus.values}


def application_get(*, association: Association, application_id: int) -> Application:
    application = (
        Application.objects.filter(
            association=association, pk=application_id, submitted_at__isnull=False
        )
        .select_related("mission", "mission__contact", "person", "user")
        .first()
    )
    if application is None:
        raise Http404
    return application


def missions_with_applications(*, association: Association) -> QuerySet[Mission]:
    return Mission.objects.filter(association=association).order_by("title", "id")


def accepted_count(*, mission: Mission) -> int:
    return Application.objects.filter(mission=mission, status=ApplicationStatus.ACCEPTED).count()


def is_unanswered(application: Application) -> bool:
    return application.status == ApplicationStatus.NEW and application.first_response_at is None


# --- Who hears about applications ------------------------------------------------------


def mission_managers(*, association: Association) -> list[Person]:
    """Current people of the association whose roles let them manage missions."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_MISSIONS in perms]
    ids = RoleAssignment.objects.filter(
        association=association, role__in=roles, person__left_on__isnull=True
    ).values("person_id")
    return list(
        Person.objects.filter(pk__in=ids).exclude(email="").select_related("user").order_by("id")
    )


def application_recipients(*, application: Application) -> list[Person]:
    """Who gets the association's emails about an application: the mission's contact
    person, or, failing that, the people who manage missions."""
    contact = (
        Person.objects.filter(pk=application.mission.contact_id, left_on__isnull=True, email__gt="")
        .select_related("user")
        .first()
        if application.mission.contact_id
        else None
    )
    if contact is not None:
        return [contact]
    return mission_managers(association=application.association)


# --- Reminders -------------------------------------------------------------------------------


def applications_due_for_reminder_across_associations(
    *, now: datetime.datetime | None = None
) -> dict[Association, list[Application]]:
    """Unanswered applications to remind their association of, grouped by association:
    status new, no answer yet, submitted more than ``remind_after_days`` ago, and no
    reminder in the last ``remind_after_days`` days (counted in calendar days, so a
    daily job run twice the same day sends nothing the second time)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with scopes_disabled():
        delays = dict(
            VolunteeringSettings.objects.values_list("association_id", "remind_after_days")
        )
        shortest = min([DEFAULT_REMIND_AFTER_DAYS, *delays.values()])
        candidates = (
            Application.objects.filter(
                status=ApplicationStatus.NEW,
                first_response_at__isnull=True,
                submitted_at__isnull=False,
                submitted_at__lt=now - datetime.timedelta(days=shortest),
            )
            .select_related("association", "mission")
            .order_by("association_id", "submitted_at", "id")
        )
        due: dict[Association, list[Application]] = {}
        for application in candidates:
            days = delays.get(application.association_id) or DEFAULT_REMIND_AFTER_DAYS
            submitted_at = application.submitted_at
            if submitted_at is None or submitted_at >= now - datetime.timedelta(days=days):
                continue
            if application.last_reminder_at is not None and (
                today - timezone.localdate(application.last_reminder_at)
            ) < datetime.timedelta(days=days):
                continue
            due.setdefault(application.association, []).append(application)
    return due


# --- Public response statistics ---------------------------------------------------------


@dataclass(frozen=True)
class ResponseStats:
    applications: int
    answered: int
    median: datetime.timedelta | None

    @property
    def rate(self) -> int:
        """Share of applications answered, in whole percent."""
        return round(100 * self.answered / self.applications) if self.applications else 0


def response_stats(
    association: Association, *, now: datetime.datetime | None = None
) -> ResponseStats:
    """How an association answers applications submitted in the last 12 months: the
    share answered (a message or a decision) and the median time to the first answer.
    The median is computed in Python over one association's durations, the same on
    SQLite and PostgreSQL."""
    now = now or timezone.now()
    with scope(association=association):
        rows = list(
            Application.objects.filter(
                association=association,
                submitted_at__isnull=False,
                submitted_at__gte=now - datetime.timedelta(days=365),
            ).values_list("submitted_at", "first_response_at", "decided_at", "status")
        )
    durations = []
    answered = 0
    decided = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)
    for submitted_at, first_response_at, decided_at, status in rows:
        answer_at = first_response_at or (decided_at if status in decided else None)
        if answer_at is None and status not in decided:
            continue
        answered += 1
        if answer_at is not None and submitted_at is not None:
            durations.append(max((answer_at - submitted_at).total_seconds(), 0))
    median = datetime.timedelta(seconds=statistics.median(durations)) if durations else None
    return ResponseStats(applications=len(rows), answered=answered, median=median)


def unanswered_q() -> Q:
    return Q(status=ApplicationStatus.NEW, first_response_at__isnull=True)
