"""Sending an association's newsletter in the background, in batches claimed by
one run at a time (``maillon.communication.sending``).

The task runs inside the newsletter's association's scope (``@association_task``);
each email is written in its recipient's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from maillon.associations.models import Association
from maillon.associations.tasks import association_task
from maillon.core.audit import audit_log

from .models import Delivery, Newsletter
from .sending import BatchedSending


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


def _audit_sent(newsletter: Newsletter, counts: dict[str, int]) -> None:
    audit_log(
        association=newsletter.association,
        actor=newsletter.sent_by,
        action="newsletter.sent",
        obj=newsletter,
        data={"sent": counts["sent"], "failed": counts["failed"]},
    )


SENDING = BatchedSending(
    newsletter_model=Newsletter,
    delivery_model=Delivery,
    build_message=build_message,
    on_sent=_audit_sent,
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
    if newsletter is None:
        return 0
    return SENDING.run(newsletter)
