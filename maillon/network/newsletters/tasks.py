"""Sending a network newsletter in the background, through the batched sending that
association newsletters use (``maillon.communication.sending``): a retried or doubled
task never sends the same delivery twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from maillon.communication.sending import BatchedSending


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


def _log_sent(newsletter, counts: dict[str, int]) -> None:
    from ..audit import network_log

    network_log(
        network=newsletter.network,
        actor=newsletter.sent_by,
        action="network.newsletter_sent",
        data={"newsletter": newsletter.pk, "sent": counts["sent"], "failed": counts["failed"]},
    )


@task()
def send_network_newsletter(*, newsletter_id: int) -> int:
    """Send the waiting deliveries batch by batch, recording the progress after each."""
    from .models import NetworkDelivery, NetworkNewsletter

    newsletter = (
        NetworkNewsletter.objects.select_related("network", "sent_by")
        .filter(pk=newsletter_id)
        .first()
    )
    if newsletter is None:
        return 0
    sending = BatchedSending(
        newsletter_model=NetworkNewsletter,
        delivery_model=NetworkDelivery,
        build_message=build_message,
        on_sent=_log_sent,
    )
    return sending.run(newsletter)
