"""Background work of assemblies: the emails of a convocation or a reminder, sent
after the commit that recorded them (``services.assembly_convene``,
``services.assembly_send_reminder``)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import AgendaItem, Assembly, Convocation, ConvocationChannel
from .ical import assembly_ics
from .selectors import convocation_polls


def _signup_url(landing: str) -> str:
    """Sign-up, then the offer to link the register's record (``members.linking``),
    then ``landing`` (the assembly or the member's ballot)."""
    path = landing.removeprefix(settings.SITE_URL)
    after_link = reverse("links:offers") + "?" + urlencode({"next": path})
    return settings.SITE_URL + reverse("account_signup") + "?" + urlencode({"next": after_link})


@association_task()
def send_convocation_emails(
    association: Association, *, assembly_id: int, is_reminder: bool, sent_at: str
) -> int:
    """Send the emails of one convocation (or reminder) batch: one message per
    person, in their language, with the calendar invitation attached."""
    assembly = Assembly.objects.filter(association=association, pk=assembly_id).first()
    if assembly is None:
        return 0
    assembly.association = association
    convocations = list(
        Convocation.objects.filter(
            assembly=assembly,
            channel=ConvocationChannel.EMAIL,
            is_reminder=is_reminder,
            sent_at=datetime.datetime.fromisoformat(sent_at),
        ).select_related("entry__person__user")
    )
    agenda = list(AgendaItem.objects.filter(assembly=assembly).order_by("position", "id"))
    polls = convocation_polls(assembly=assembly)
    url = settings.SITE_URL + reverse(
        "governance:assembly",
        kwargs={"association_slug": association.slug, "assembly_id": assembly.pk},
    )
    # Straight to the member's ballot once the votes are open (``polls.views.assembly_ballot``).
    vote_url = settings.SITE_URL + reverse(
        "governance:assembly_ballot",
        kwargs={"association_slug": association.slug, "assembly_id": assembly.pk},
    )
    signup_url = _signup_url(url if assembly.mode == "in_person" else vote_url)
    template = (
        "governance/email/convocation_reminder.txt"
        if is_reminder
        else ("governance/email/convocation.txt")
    )
    messages = []
    for convocation in convocations:
        person = convocation.entry.person
        if not person.email:
            continue
        language = person.user.language if person.user is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "assembly": assembly,
                "association": association,
                "person": person,
                "agenda": agenda,
                "polls": polls,
                "url": url,
                "vote_url": vote_url,
                # A member without an account: how to make one with this very address.
                "signup_url": signup_url if person.user_id is None else "",
                "time_zone": association.time_zone,
            }
            subject = (
                _("Reminder: %(title)s – %(association)s")
                if is_reminder
                else _("Convocation: %(title)s – %(association)s")
            ) % {"title": assembly.title, "association": association.name}
            message = EmailMessage(
                subject=subject,
                body=render_to_string(template, context),
                to=[person.email],
            )
        message.attach(
            "assembly.ics",
            assembly_ics(assembly, association=association, attendee_email=person.email, url=url),
            "text/calendar; method=REQUEST; charset=utf-8",
        )
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
