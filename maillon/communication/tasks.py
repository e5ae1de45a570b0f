"""Sending a newsletter in the background, in batches.

Each run of the task claims a batch of waiting deliveries (one UPDATE that only
waiting rows match, tagged with the run's id) before sending them: a delivery is
sent by at most one run, even when the task is retried or two workers run it at
once. A delivery claimed by a run that died stays unsent and is counted as failed
once its claim is old, rather than risk sending it twice.

The task runs inside the newsletter's association's scope (``@association_task``);
each email is written in its recipient's language.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from maillon.associations.models import Association
from maillon.associations.tasks import association_task
from maillon.core.audit import audit_log

from .models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from .selectors import delivery_counts

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
STALE_CLAIM = datetime.timedelta(minutes=15)


def batch_size() -> int:
    return max(1, int(getattr(settings, "NEWSLETTER_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def unsubscribe_url(delivery: Delivery) -> str:
    return settings.SITE_URL + reverse("news:unsubscribe", kwargs={"token": delivery.token})


def build_message(newsletter: Newsletter, delivery: Delivery) -> EmailMultiAlternatives:
    """The email of one recipient: plain text and HTML, with their personal
    unsubscribe link in the footer and in the List-Unsubscribe headers (RFC 8058)."""
    association = newsletter.association
    url = unsubscribe_url(delivery)
    news_url = settings.SITE_URL + reverse("news:list", kwargs={"slug": association.slug})
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        context = {
            "newsletter": newsletter,
            "association": association,
            "unsubscribe_url": url,
            "news_url": news_url,
        }
        text = render_to_string("communication/email/newsletter.txt", context)
        html = render_to_string("communication/email/newsletter.html", context)
    message = EmailMultiAlternatives(
        subject=newsletter.subject,
        body=text,
        to=[delivery.email],
        reply_to=[association.contact_email] if association.contact_email else None,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{association.name} <{association.slug}.news.maillon>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim_batch(newsletter: Newsletter, run: str) -> list[Delivery]:
    ids = list(
        Delivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[: batch_size()]
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claim=run, claimed_at=timezone.now()
    )
    return list(
        Delivery.objects.filter(pk__in=ids, claim=run, status=DeliveryStatus.SENDING).order_by("pk")
    )


def _send_batch(newsletter: Newsletter, deliveries: list[Delivery]) -> None:
    connection = get_connection()
    try:
        connection.open()
        for delivery in deliveries:
            try:
                connection.send_messages([build_message(newsletter, delivery)])
            except Exception as error:  # one bad address must not stop the others
                logger.warning("Newsletter %s to delivery %s failed", newsletter.pk, delivery.pk)
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.FAILED, error=str(error)[:255]
                )
            else:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SENT, sent_at=timezone.now()
                )
    finally:
        connection.close()


def _record_progress(newsletter: Newsletter) -> dict:
    counts = delivery_counts(newsletter=newsletter)
    Newsletter.objects.filter(pk=newsletter.pk).update(
        total_count=counts["total"], sent_count=counts["sent"], failed_count=counts["failed"]
    )
    return counts


def _finish(newsletter: Newsletter) -> None:
    # Claims of a run that died long ago: not sent again (it may have sent them).
    Delivery.objects.filter(
        newsletter=newsletter,
        status=DeliveryStatus.SENDING,
        claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(status=DeliveryStatus.FAILED, error="interrupted")
    counts = _record_progress(newsletter)
    if counts["waiting"] or counts["in_flight"]:
        return  # another run is still at work; it finishes the newsletter
    finished = Newsletter.objects.filter(pk=newsletter.pk, status=NewsletterStatus.SENDING).update(
        status=NewsletterStatus.SENT, sent_at=timezone.now()
    )
    if finished:
        audit_log(
            association=newsletter.association,
            actor=newsletter.sent_by,
            action="newsletter.sent",
            obj=newsletter,
            data={"sent": counts["sent"], "failed": counts["failed"]},
        )


@association_task()
def send_newsletter(association: Association, *, newsletter_id: int) -> int:
    """Send the waiting deliveries of a newsletter, batch by batch, recording the
    progress after each batch. Returns how many deliveries this run handled."""
    newsletter = (
        Newsletter.objects.select_related("association", "sent_by")
        .filter(association=association, pk=newsletter_id)
        .first()
    )
    if newsletter is None or newsletter.status != NewsletterStatus.SENDING:
        return 0
    run = uuid.uuid4().hex
    sent = 0
    try:
        while deliveries := _claim_batch(newsletter, run):
            _send_batch(newsletter, deliveries)
            sent += len(deliveries)
            _record_progress(newsletter)
    finally:
        _finish(newsletter)
    return sent
