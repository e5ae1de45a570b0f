"""The emails of engagements (django-tasks), enqueued by the services after the
change is committed: each step tells the other side. The association's side is
written to the people who manage its help requests (in their account's language);
the helper's side to the volunteer, the company's coordinators or the network's
staff member who offered (the network's heads when they have left the team)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task
from maillon.members.models import Person, RoleAssignment
from maillon.members.permissions import ROLE_PERMISSIONS, Perm

from ...models import NetworkRole, NetworkRoleKind
from ..models import CompanyCoordinator, Engagement, EngagementMessage
from .selectors import helper_label

TO_ASSOCIATION = "association"
TO_HELPER = "helper"


def association_url(engagement: Engagement) -> str:
    return settings.SITE_URL + reverse(
        "engagements:detail",
        kwargs={"association_slug": engagement.association.slug, "engagement_id": engagement.pk},
    )


def helper_url(engagement: Engagement) -> str:
    if engagement.kind == "company":
        path = reverse(
            "company_help:engagement",
            kwargs={"company_slug": engagement.company.slug, "engagement_id": engagement.pk},
        )
    elif engagement.kind == "network":
        path = reverse(
            "network:help_engagement",
            kwargs={"network_slug": engagement.network.slug, "engagement_id": engagement.pk},
        )
    else:
        path = reverse("my_help:engagement", kwargs={"engagement_id": engagement.pk})
    return settings.SITE_URL + path


def _language(user) -> str:
    return (getattr(user, "language", "") if user else "") or settings.LANGUAGE_CODE


def association_recipients(association: Association) -> list[tuple[str, str]]:
    """(address, language) of the current people whose roles manage help requests;
    the association's contact address when none has an email address."""
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_ASSOCIATION in perms]
    ids = RoleAssignment.objects.filter(
        association=association, role__in=roles, person__left_on__isnull=True
    ).values("person_id")
    people = Person.objects.filter(pk__in=ids).exclude(email="").select_related("user")
    found = {p.email.lower(): (p.email, _language(p.user)) for p in people.order_by("id")}
    if not found and association.contact_email:
        return [(association.contact_email, settings.LANGUAGE_CODE)]
    return list(found.values())


def helper_recipients(engagement: Engagement) -> list[tuple[str, str]]:
    if engagement.kind == "company":
        users = [
            c.user
            for c in CompanyCoordinator.objects.filter(company_id=engagement.company_id)
            .select_related("user")
            .order_by("id")
        ]
    elif engagement.kind == "network":
        team = NetworkRole.objects.filter(network_id=engagement.network_id).select_related("user")
        users = [r.user for r in team if r.user_id == engagement.offered_by_id]
        if not users:
            users = [r.user for r in team.filter(role=NetworkRoleKind.HEAD).order_by("id")]
    else:
        users = [engagement.offered_by] if engagement.offered_by_id else []
    return [(u.email, _language(u)) for u in users if u is not None and u.email and u.is_active]


def _subject(event: str, engagement: Engagement) -> str:
    names = {"request": engagement.help_request.title, "helper": helper_label(engagement)}
    subjects = {
        "offered": _("New offer of help: %(request)s"),
        "withdrawn": _("Offer withdrawn: %(request)s"),
        "accepted": _("Your offer is accepted: %(request)s"),
        "declined": _("Your offer is declined: %(request)s"),
        "started": _("Work started: %(request)s"),
        "delivered": _("Work delivered: %(request)s"),
        "closed": _("Engagement closed: %(request)s"),
        "message": _("New message: %(request)s"),
    }
    return subjects.get(event, subjects["message"]) % names


@association_task()
def send_engagement_email(
    association: Association,
    *,
    event: str,
    to: str,
    engagement_id: int,
    message_id: int | None = None,
) -> int:
    """Tell one side of an engagement what the other did. Returns the number of
    emails sent."""
    engagement = (
        Engagement.objects.select_related(
            "association", "help_request", "company", "network", "offered_by"
        )
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        return 0
    message = (
        EngagementMessage.objects.filter(pk=message_id, engagement=engagement).first()
        if message_id
        else None
    )
    if to == TO_ASSOCIATION:
        recipients, url = association_recipients(association), association_url(engagement)
    else:
        recipients, url = helper_recipients(engagement), helper_url(engagement)
    emails = []
    for address, language in recipients:
        with translation.override(language):
            context = {
                "event": event,
                "engagement": engagement,
                "help_request": engagement.help_request,
                "association": engagement.association,
                "helper": helper_label(engagement),
                "message": message,
                "url": url,
                "status_label": engagement.get_status_display(),
            }
            emails.append(
                EmailMessage(
                    subject=_subject(event, engagement),
                    body=render_to_string("network/help/engagements/email.txt", context),
                    to=[address],
                )
            )
    if emails:
        get_connection().send_messages(emails)
    return len(emails)
