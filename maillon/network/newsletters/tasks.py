"""Sending a network newsletter in the background, in batches, like communication's
newsletters: each run claims a batch of waiting deliveries (one UPDATE that only
waiting rows match, tagged with the run's id) before sending them, so that a retried
or doubled task never sends the same delivery twice."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from maillon.communication.models import DeliveryStatus, NewsletterStatus
from maillon.communication.tasks import STALE_CLAIM, batch_size

logger = logging.getLogger(__name__)


def unsubscribe_url(delivery) -> str:
    return settings.SITE_URL + reverse(
        "networks:newsletter_unsubscribe", kwargs={"token": delivery.token}
    )


def build_message(newsletter, delivery) -> EmailMultiAlternatives:
    """Plain text and HTML, the personal unsubscribe link in the footer and in the
    List-Unsubscribe headers (RFC 8058)."""
    network = newsletter.network
    url = unsubscribe_url(delivery)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"newsletter": newsletter, "network": network, "unsubscribe_url": url}
        text = render_to_string("network/newsletters/email/newsletter.txt", context)
        html = render_to_string("network/newsletters/email/newsletter.html", context)
    message = EmailMultiAlternatives(
        subject=newsletter.subject,
        body=text,
        to=[delivery.email],
        reply_to=[network.contact_email] if network.contact_email else None,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{network.name} <{network.slug}.network.maillon>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim_batch(newsletter, run: str) -> list:
    from .models import NetworkDelivery

    ids = list(
        NetworkDelivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[: batch_size()]
    )
    if not ids:
        return []
    NetworkDelivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claim=run, claimed_at=timezone.now()
    )
    return list(
        NetworkDelivery.objects.filter(
            pk__in=ids, claim=run, status=DeliveryStatus.SENDING
        ).order_by("pk")
    )


def _send_batch(newsletter, deliveries: list) -> None:
    from .models import NetworkDelivery

    connection = get_connection()
    try:
        connection.open()
        for delivery in deliveries:
            try:
                connection.send_messages([build_message(newsletter, delivery)])
            except Exception as error:  # one bad address must not stop the others
                logger.warning("Network newsletter %s to %s failed", newsletter.pk, delivery.pk)
                NetworkDelivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.FAILED, error=str(error)[:255]
                )
            else:
                NetworkDelivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SENT, sent_at=timezone.now()
                )
    finally:
        connection.close()


def _record_progress(newsletter) -> dict:
    from .models import NetworkNewsletter
    from .selectors import network_delivery_counts

    counts = network_delivery_counts(newsletter=newsletter)
    NetworkNewsletter.objects.filter(pk=newsletter.pk).update(
        total_count=counts["total"], sent_count=counts["sent"], failed_count=counts["failed"]
    )
    return counts


def _finish(newsletter) -> None:
    from ..audit import network_log
    from .models import NetworkDelivery, NetworkNewsletter

    NetworkDelivery.objects.filter(
        newsletter=newsletter,
        status=DeliveryStatus.SENDING,
        claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(status=DeliveryStatus.FAILED, error="interrupted")
    counts = _record_progress(newsletter)
    if counts["waiting"] or counts["in_flight"]:
        return
    finished = NetworkNewsletter.objects.filter(
        pk=newsletter.pk, status=NewsletterStatus.SENDING
    ).update(status=NewsletterStatus.SENT, sent_at=timezone.now())
    if finished:
        network_log(
            network=newsletter.network,
            actor=newsletter.sent_by,
            action="network.newsletter_sent",
            data={"newsletter": newsletter.pk, "sent": counts["sent"], "failed": counts["failed"]},
        )


@task()
def send_network_newsletter(*, newsletter_id: int) -> int:
    """Send the waiting deliveries batch by batch, recording the progress after each."""
    from .models import NetworkNewsletter

    newsletter = (
        NetworkNewsletter.objects.select_related("network", "sent_by")
        .filter(pk=newsletter_id)
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
