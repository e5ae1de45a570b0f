"""Writes of applications to missions.

Lifecycle: new → in discussion → accepted / declined (by the association) or
withdrawn (by the candidate). A guest's application exists from the form onwards but
the association sees it only once the guest has confirmed their email address
(``submitted_at`` is set then). The first answer of the association, a message or a
decision, sets ``first_response_at`` (the public response time).

Association services take ``association=`` and ``actor=`` and check
``Perm.MANAGE_MISSIONS``; candidate services take the application the candidate
reached through their account or their secret link. Every change writes an audit
entry; emails leave after the commit, through a task.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.permissions import Perm, check_permission

from ..models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Audience,
    Mission,
    MissionStatus,
    Source,
)
from .selectors import (
    THREAD_OPEN_STATUSES,
    accepted_count,
    applications_due_for_reminder_across_associations,
    is_current_member,
)
from .tasks import Kind, send_application_email, send_application_reminder

if TYPE_CHECKING:
    from maillon.accounts.models import User


def _notify(kind: str, application: Application, message: ApplicationMessage | None = None):
    application_id, message_id = application.pk, (message.pk if message else None)
    association_id = application.association_id
    transaction.on_commit(
        lambda: send_application_email.enqueue(
            association_id=association_id,
            kind=kind,
            application_id=application_id,
            message_id=message_id,
        )
    )


def _age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _check_can_apply(*, mission: Mission, user: User | None, is_old_enough: bool) -> None:
    if mission.status != MissionStatus.PUBLISHED:
        raise ValidationError(_("This mission is not taking applications any more."))
    if mission.audience == Audience.MEMBERS and not is_current_member(
        association=mission.association, user=user
    ):
        raise ValidationError(_("This mission is open to the association's members only."))
    if mission.minimum_age:
        too_young = _("This mission is for people aged %(age)s or over.") % {
            "age": mission.minimum_age
        }
        if not is_old_enough:
            raise ValidationError({"is_old_enough": too_young})
        profile = getattr(user, "volunteer_profile", None) if user is not None else None
        birth_date = getattr(profile, "birth_date", None)
        if birth_date and _age_on(birth_date, timezone.localdate()) < mission.minimum_age:
            raise ValidationError(too_young)


# Lazy: translated when shown, in the language of the request, not at import time.
DUPLICATE = gettext_lazy("You already have an application in progress for this mission.")


@transaction.atomic
def application_submit(
    *,
    mission: Mission,
    user: User | None = None,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    message: str = "",
    source: str = Source.OTHER,
    is_old_enough: bool = False,
) -> Application:
    """Apply to a mission. A signed-in candidate's application is submitted at once
    (their account's address is verified); a guest gets an email with a link to
    confirm their address, and the association sees the application only then.
    A guest who fills the form again before confirming updates their first try."""
    association = mission.association
    user = user if getattr(user, "is_authenticated", False) else None
    email = (user.email if user is not None else email).strip()
    if not email:
        raise ValidationError({"email": _("Give your email address.")})
    source = source if source in Source.values else Source.OTHER
    with scope(association=association):
        mission = Mission.objects.select_related("association").get(pk=mission.pk)
        _check_can_apply(mission=mission, user=user, is_old_enough=is_old_enough)
        open_one = (
            Application.objects.select_for_update(of=("self",))
            .annotate(email_ci=Lower("email"))
            .filter(mission=mission, email_ci=email.lower(), status__in=ACTIVE_APPLICATION_STATUSES)
            .first()
        )
        if open_one is not None and open_one.submitted_at is not None:
            raise ValidationError(DUPLICATE)
        now = timezone.now()
        application = open_one or Application(association=association, mission=mission)
        application.user = user or application.user
        application.first_name = first_name.strip()
        application.last_name = last_name.strip()
        application.email = email
        application.phone = phone.strip()
        application.message = message.strip()
        application.source = source
        if user is not None:
            application.email_verified_at = now
            application.submitted_at = now
        # The one-open-application rule is checked above and, for two submissions at
        # the same moment, by the database below.
        application.full_clean(
            exclude=["association", "mission", "user", "person"], validate_constraints=False
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:
            # Two submissions at the same moment: the unique constraint decides.
            raise ValidationError(DUPLICATE) from error
        if application.submitted_at is not None:
            audit_log(
                association=association,
                actor=user,
                action="volunteering.application_submitted",
                obj=application,
                data={"mission_id": mission.pk, "source": source},
            )
            _notify(Kind.SUBMITTED, application)
        else:
            # Not shown to the association yet: no name in its audit log.
            audit_log(
                association=association,
                actor=None,
                action="volunteering.application_started",
                data={"mission_id": mission.pk, "application_id": application.pk},
            )
            _notify(Kind.VERIFY, application)
    return application


@transaction.atomic
def application_confirm_email(*, application: Application) -> Application:
    """The guest followed the link of the confirmation email: the application is
    submitted. Confirming twice changes nothing."""
    association = application.association
    with scope(association=association):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("mission", "association")
            .get(pk=application.pk)
        )
        if application.submitted_at is not None:
            return application
        if application.status not in ACTIVE_APPLICATION_STATUSES:
            raise ValidationError(_("This application has been withdrawn."))
        if application.mission.status != MissionStatus.PUBLISHED:
            raise ValidationError(_("This mission is not taking applications any more."))
        now = timezone.now()
        application.email_verified_at = now
        application.submitted_at = now
        application.save(update_fields=["email_verified_at", "submitted_at", "updated_at"])
        audit_log(
            association=association,
            actor=None,
            action="volunteering.application_submitted",
            obj=application,
            data={"mission_id": application.mission_id, "source": application.source},
        )
        _notify(Kind.SUBMITTED, application)
    return application


# --- The association's side -------------------------------------------------------------


def _lock_for_association(
    *, association: Association, actor: User, application: Application
) -> Application:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MISSIONS)
    ensure_same_association(association, application)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("mission", "association", "user")
        .get(pk=application.pk)
    )
    if application.submitted_at is None:
        raise ValidationError(_("This application has not been confirmed by the candidate yet."))
    return application


def _mark_answered(application: Application, now: datetime.datetime, fields: list[str]) -> None:
    if application.first_response_at is None:
        application.first_response_at = now
        fields.append("first_response_at")


@transaction.atomic
def application_reply(
    *, association: Association, actor: User, application: Application, body: str
):
    """The association writes to the candidate. The first message of a new
    application puts it "in discussion"."""
    application = _lock_for_association(
        association=association, actor=actor, application=application
    )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if application.status not in THREAD_OPEN_STATUSES:
        raise ValidationError(_("This application is closed: no more messages can be sent."))
    now = timezone.now()
    message = ApplicationMessage(
        association=association,
        application=application,
        from_association=True,
        author=actor,
        body=body,
        created_at=now,
    )
    message.full_clean(exclude=["association", "application", "author"])
    message.save()
    fields = ["updated_at"]
    _mark_answered(application, now, fields)
    if application.status == ApplicationStatus.NEW:
        application.status = ApplicationStatus.DISCUSSION
        fields.append("status")
    application.save(update_fields=fields)
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.application_message_sent",
        obj=application,
        data={"message_id": message.pk},
    )
    _notify(Kind.ASSOCIATION_MESSAGE, application, message)
    return message


def _decide(
    *,
    association: Association,
    actor: User,
    application: Application,
    target: str,
    allowed_from: tuple,
) -> Application:
    application = _lock_for_association(
        association=association, actor=actor, application=application
    )
    if application.status not in allowed_from:
        raise ValidationError(
            _("This application is %(status)s: this action is not possible.")
            % {"status": application.get_status_display().lower()}
        )
    now = timezone.now()
    before = application.status
    application.status = target
    fields = ["status", "updated_at"]
    _mark_answered(application, now, fields)
    if target in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        application.decided_at = now
        fields.append("decided_at")
    application.save(update_fields=fields)
    audit_log(
        association=association,
        actor=actor,
        action=f"volunteering.application_{target}",
        obj=application,
        data={"from": before, "to": target},
    )
    _notify(Kind.STATUS, application)
    return application


@transaction.atomic
def application_discuss(
    *, association: Association, actor: User, application: Application
) -> Application:
    """New → in discussion (e.g. after a phone call)."""
    return _decide(
        association=association,
        actor=actor,
        application=application,
        target=ApplicationStatus.DISCUSSION,
        allowed_from=(ApplicationStatus.NEW,),
    )


@transaction.atomic
def application_decline(
    *, association: Association, actor: User, application: Application
) -> Application:
    return _decide(
        association=association,
        actor=actor,
        application=application,
        target=ApplicationStatus.DECLINED,
        allowed_from=ACTIVE_APPLICATION_STATUSES,
    )


def _volunteer_person(
    *, association: Association, actor: User, application: Application
) -> tuple[Person, bool]:
    """The candidate's record in the register: the one linked to their account (a
    former member's record comes back), else a current person with the same email
    address; else a new record, made through the members services. Returns the
    person and whether the record is new."""
    from maillon.members.register.services import person_create

    people = Person.objects.select_for_update().filter(association=association)
    if application.user_id:
        linked = people.filter(user_id=application.user_id).first()
        if linked is not None:
            if linked.left_on is not None:
                former = linked.left_on
                linked.left_on = None
                linked.save(update_fields=["left_on", "updated_at"])
                audit_log(
                    association=association,
                    actor=actor,
                    action="members.person_updated",
                    obj=linked,
                    data={"changes": {"left_on": [former.isoformat(), None]}},
                )
            return linked, False
    same_email = (
        people.annotate(email_ci=Lower("email"))
        .filter(email_ci=application.email.lower(), left_on__isnull=True)
        .order_by("id")
    )
    if application.user_id:
        # Never a record that belongs to someone else's account.
        same_email = same_email.filter(user__isnull=True)
    existing = same_email.first()
    if existing is not None:
        # An existing record is not linked to the account here: the register's
        # invitation does that, with the association's consent.
        return existing, False
    person = person_create(
        association=association,
        actor=actor,
        roles=[Role.VOLUNTEER],
        first_name=application.first_name,
        last_name=application.last_name,
        email=application.email,
        phone=application.phone,
    )
    if application.user_id:
        # A new record made from the candidate's own account: it is theirs.
        person.user_id = application.user_id
        person.save(update_fields=["user", "updated_at"])
    return person, True


def _grant_volunteer_role(*, association: Association, actor: User, person: Person) -> bool:
    """Give ``person`` the volunteer role (the members services let whoever manages
    people give the member and volunteer roles; accepting a volunteer is that)."""
    _role, created = RoleAssignment.objects.get_or_create(
        association=association, person=person, role=Role.VOLUNTEER
    )
    if created:
        audit_log(
            association=association,
            actor=actor,
            action="members.roles_changed",
            obj=person,
            data={"added": [Role.VOLUNTEER], "removed": []},
        )
    return created


@transaction.atomic
def application_accept(
    *,
    association: Association,
    actor: User,
    application: Application,
    mark_full_when_complete: bool = True,
) -> Application:
    """Accept the candidate: they become a volunteer of the association (their record
    in the register gets the volunteer role, made if needed). When the mission then
    has as many accepted volunteers as it wanted, it is marked full (unless the
    manager says not to)."""
    application = _decide(
        association=association,
        actor=actor,
        application=application,
        target=ApplicationStatus.ACCEPTED,
        allowed_from=ACTIVE_APPLICATION_STATUSES,
    )
    person, created = _volunteer_person(
        association=association, actor=actor, application=application
    )
    if not created:
        _grant_volunteer_role(association=association, actor=actor, person=person)
    application.person = person
    application.save(update_fields=["person", "updated_at"])
    mission = application.mission
    if (
        mark_full_when_complete
        and mission.status == MissionStatus.PUBLISHED
        and accepted_count(mission=mission) >= mission.volunteers_wanted
    ):
        from ..missions.services import mission_mark_full

        application.mission = mission_mark_full(
            association=association, actor=actor, mission=mission
        )
    return application


# --- The candidate's side ---------------------------------------------------------------


def _lock_for_candidate(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("mission", "association", "user")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_withdraw(*, application: Application, user: User | None = None) -> Application:
    """The candidate withdraws (from their account or their secret link)."""
    association = application.association
    with scope(association=association):
        application = _lock_for_candidate(application)
        if application.status not in ACTIVE_APPLICATION_STATUSES:
            raise ValidationError(
                _("This application is %(status)s: it cannot be withdrawn.")
                % {"status": application.get_status_display().lower()}
            )
        before = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        if application.submitted_at is not None:
            audit_log(
                association=association,
                actor=user,
                action="volunteering.application_withdrawn",
                obj=application,
                data={"from": before, "to": ApplicationStatus.WITHDRAWN},
            )
            _notify(Kind.WITHDRAWN, application)
    return application


@transaction.atomic
def application_candidate_message(
    *, application: Application, body: str, user: User | None = None
) -> ApplicationMessage:
    """The candidate writes to the association."""
    association = application.association
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    with scope(association=association):
        application = _lock_for_candidate(application)
        if application.submitted_at is None:
            raise ValidationError(_("Confirm your application first."))
        if application.status not in THREAD_OPEN_STATUSES:
            raise ValidationError(_("This application is closed: no more messages can be sent."))
        message = ApplicationMessage(
            association=association,
            application=application,
            from_association=False,
            author=user if getattr(user, "is_authenticated", False) else None,
            body=body,
        )
        message.full_clean(exclude=["association", "application", "author"])
        message.save()
        audit_log(
            association=association,
            actor=user,
            action="volunteering.application_message_received",
            obj=application,
            data={"message_id": message.pk},
        )
        _notify(Kind.CANDIDATE_MESSAGE, application, message)
    return message


# --- Reminders ------------------------------------------------------------------------------


@transaction.atomic
def application_reminders_record(
    *,
    association: Association,
    applications: list[Application],
    now: datetime.datetime | None = None,
) -> int:
    """Record a reminder of ``applications`` (all waiting for an answer) and send it.
    Called by the daily job; returns the number of applications reminded of."""
    now = now or timezone.now()
    ids = [a.pk for a in applications if a.association_id == association.pk]
    if not ids:
        return 0
    rows = Application.objects.select_for_update().filter(
        association=association,
        pk__in=ids,
        status=ApplicationStatus.NEW,
        first_response_at__isnull=True,
    )
    ids = list(rows.values_list("pk", flat=True))
    for application in rows:
        application.reminders_sent += 1
        application.last_reminder_at = now
        application.save(update_fields=["reminders_sent", "last_reminder_at"])
    if not ids:
        return 0
    audit_log(
        association=association,
        actor=None,
        action="volunteering.application_reminder_sent",
        data={"application_ids": ids},
    )
    transaction.on_commit(
        lambda: send_application_reminder.enqueue(
            association_id=association.pk, application_ids=ids
        )
    )
    return len(ids)


def application_reminders_send_across_associations(*, now: datetime.datetime | None = None) -> int:
    """Remind every association of its applications waiting for an answer."""
    reminded = 0
    due = applications_due_for_reminder_across_associations(now=now)
    for association, applications in due.items():
        with scope(association=association):
            reminded += application_reminders_record(
                association=association, applications=applications, now=now
            )
    return reminded
