"""Background tasks of applications (django-tasks): the emails about an application
and the reminders of unanswered ones, enqueued by the services after the change is
committed, and the daily round that reminds every association.

The candidate gets their emails in their account's language (guests: the site's
language); the association's people in theirs. The candidate's link is their
personal page when they have an account, their secret link otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import Application, ApplicationMessage
from .selectors import application_recipients, mission_managers


class Kind:
    VERIFY = "verify"  # to the guest: confirm your email address
    SUBMITTED = "submitted"  # to the association: a new application
    CANDIDATE_MESSAGE = "candidate_message"  # to the association
    WITHDRAWN = "withdrawn"  # to the association
    ASSOCIATION_MESSAGE = "association_message"  # to the candidate
    STATUS = "status"  # to the candidate: in discussion, accepted, declined


TO_ASSOCIATION = {Kind.SUBMITTED, Kind.CANDIDATE_MESSAGE, Kind.WITHDRAWN}


def candidate_url(application: Application) -> str:
    if application.user_id:
        path = reverse("volunteer:application_detail", kwargs={"application_id": application.pk})
    else:
        path = reverse("missions:application_thread", kwargs={"token": application.access_token})
    return settings.SITE_URL + path


def backoffice_url(application: Application) -> str:
    return settings.SITE_URL + reverse(
        "volunteering:application_detail",
        kwargs={
            "association_slug": application.association.slug,
            "application_id": application.pk,
        },
    )


def _language_of(user) -> str:
    return (getattr(user, "language", "") if user else "") or settings.LANGUAGE_CODE


def _subject(kind: str, application: Application) -> str:
    names = {"mission": application.mission.title, "association": application.association.name}
    if kind == Kind.VERIFY:
        return _("Confirm your application: %(mission)s") % names
    if kind == Kind.SUBMITTED:
        return _("New application: %(mission)s") % names
    if kind == Kind.CANDIDATE_MESSAGE:
        return _("New message from a candidate: %(mission)s") % names
    if kind == Kind.WITHDRAWN:
        return _("Application withdrawn: %(mission)s") % names
    if kind == Kind.ASSOCIATION_MESSAGE:
        return _("New message from %(association)s: %(mission)s") % names
    return _("Your application to %(mission)s") % names


@association_task()
def send_application_email(
    association: Association, *, kind: str, application_id: int, message_id: int | None = None
) -> int:
    """Send one notification about an application. Returns the number of emails sent."""
    application = (
        Application.objects.select_related("association", "mission", "user")
        .filter(pk=application_id)
        .first()
    )
    message = (
        ApplicationMessage.objects.filter(pk=message_id, application_id=application_id).first()
        if message_id
        else None
    )
    if application is None:
        return 0
    if kind in TO_ASSOCIATION:
        recipients = [
            (person.email, _language_of(person.user if person.user_id else None))
            for person in application_recipients(application=application)
        ]
        url = backoffice_url(application)
    else:
        recipients = [(application.email, _language_of(application.user))]
        url = candidate_url(application)
    emails = []
    for address, language in recipients:
        with translation.override(language):
            context = {
                "kind": kind,
                "application": application,
                "mission": application.mission,
                "association": application.association,
                "message": message,
                "url": url,
                "status_label": application.get_status_display(),
            }
            emails.append(
                EmailMessage(
                    subject=_subject(kind, application),
                    body=render_to_string("volunteering/email/application.txt", context),
                    to=[address],
                )
            )
    if emails:
        get_connection().send_messages(emails)
    return len(emails)


@association_task()
def send_application_reminder(association: Association, *, application_ids: list[int]) -> int:
    """Remind the association of applications still waiting for an answer: one email
    per recipient (a mission's contact person, or else the people who manage
    missions) listing the applications they should answer."""
    applications = list(
        Application.objects.filter(association=association, pk__in=application_ids)
        .select_related("mission", "mission__contact", "mission__contact__user")
        .order_by("submitted_at", "id")
    )
    if not applications:
        return 0
    managers = None
    by_address: dict[str, tuple] = {}
    for application in applications:
        contact = application.mission.contact
        if contact is not None and contact.email and contact.left_on is None:
            people = [contact]
        else:
            if managers is None:
                managers = mission_managers(association=association)
            people = managers
        for person in people:
            entry = by_address.setdefault(person.email.lower(), (person, []))
            entry[1].append(application)
    list_url = settings.SITE_URL + reverse(
        "volunteering:applications", kwargs={"association_slug": association.slug}
    )
    emails = []
    for person, waiting in by_address.values():
        with translation.override(_language_of(person.user if person.user_id else None)):
            emails.append(
                EmailMessage(
                    subject=_("Applications waiting for an answer – %(association)s")
                    % {"association": association.name},
                    body=render_to_string(
                        "volunteering/email/application_reminder.txt",
                        {
                            "association": association,
                            "applications": [
                                (a, backoffice_url_for(association, a)) for a in waiting
                            ],
                            "list_url": list_url,
                        },
                    ),
                    to=[person.email],
                )
            )
    if emails:
        get_connection().send_messages(emails)
    return len(emails)


def backoffice_url_for(association, application: Application) -> str:
    return settings.SITE_URL + reverse(
        "volunteering:application_detail",
        kwargs={"association_slug": association.slug, "application_id": application.pk},
    )


@task()
def remind_unanswered_applications() -> int:
    """Remind associations of applications left unanswered longer than their
    ``remind_after_days`` (at most once every that many days per application).
    Returns the number of applications reminded of. Run daily by
    ``manage.py remind_applications`` (cron, systemd timer) or enqueued."""
    from .services import application_reminders_send_across_associations

    return application_reminders_send_across_associations()
