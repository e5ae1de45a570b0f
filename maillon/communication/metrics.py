"""Indicators the communication module publishes in the metrics registry
(``metrics.registry.measure`` runs them inside the association's scope)."""

import datetime

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.members.models import Person
from maillon.metrics.registry import Metric, register

from .models import Delivery, DeliveryStatus, Newsletter, OptOut, Post, PostStatus, Subscriber


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the current time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def posts_published(association, start, end):
    """Posts published in the period (any audience) and still published."""
    return Post.objects.filter(
        association=association,
        status=PostStatus.PUBLISHED,
        published_at__gte=_start_of(start),
        published_at__lt=_end_of(end),
    ).count()


def newsletters_sent(association, start, end):
    return Newsletter.objects.filter(
        association=association, sent_at__gte=_start_of(start), sent_at__lt=_end_of(end)
    ).count()


def newsletter_recipients(association, start, end):
    """Newsletter emails sent in the period (one per recipient and newsletter)."""
    return Delivery.objects.filter(
        association=association,
        status=DeliveryStatus.SENT,
        sent_at__gte=_start_of(start),
        sent_at__lt=_end_of(end),
    ).count()


def subscribers(association, start, end):
    """Addresses that consented to the newsletter at the end of the period: people
    of the register who agree to it and confirmed public subscribers, once each,
    without those who had unsubscribed by then. A person's consent has no date: it
    counts from their entry in the register."""
    until = _end_of(end)
    opted_out = set(
        OptOut.objects.filter(association=association, created_at__lt=until).values_list(
            "email", flat=True
        )
    )
    people = set(
        Person.objects.filter(
            association=association,
            consent_newsletter=True,
            anonymised_at__isnull=True,
            created_at__lt=until,
        )
        .exclude(email="")
        .annotate(email_ci=Lower("email"))
        .values_list("email_ci", flat=True)
    )
    public = set(
        Subscriber.objects.filter(association=association, consent_at__lt=until)
        .filter(Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=until))
        .values_list("email", flat=True)
    )
    return len((people | public) - opted_out)


def register_metrics() -> None:
    for code, label, unit, compute, kind in (
        (
            "communication.posts_published",
            _("News posts published"),
            _("posts"),
            posts_published,
            "flow",
        ),
        (
            "communication.newsletters_sent",
            _("Newsletters sent"),
            _("newsletters"),
            newsletters_sent,
            "flow",
        ),
        (
            "communication.newsletter_recipients",
            _("Newsletter emails sent"),
            _("emails"),
            newsletter_recipients,
            "flow",
        ),
        (
            "communication.subscribers",
            _("Newsletter subscribers (consenting addresses)"),
            _("addresses"),
            subscribers,
            "stock",
        ),
    ):
        register(Metric(code=code, label=label, unit=unit, compute=compute, kind=kind))
