"""Sending a newsletter in the background, in batches — the mechanism shared by
every kind of newsletter (an association's, a network's).

Each run claims a batch of waiting deliveries (one UPDATE that only waiting rows
match, tagged with the run's id) before sending them: a delivery is sent by at most
one run, even when the task is retried or two workers run it at once. A delivery
claimed by a run that died stays unsent and is counted as failed once its claim is
old, rather than risk sending it twice. Progress is recorded after every batch."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Model, Q
from django.utils import timezone

from .models import DeliveryStatus, NewsletterStatus

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
STALE_CLAIM = datetime.timedelta(minutes=15)


def batch_size() -> int:
    return max(1, int(getattr(settings, "NEWSLETTER_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def delivery_counts_of(deliveries) -> dict[str, int]:
    """How many of these deliveries are sent, failed, waiting or being sent."""
    return deliveries.aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        waiting=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        in_flight=Count("id", filter=Q(status=DeliveryStatus.SENDING)),
    )


@dataclass(frozen=True)
class BatchedSending:
    """What differs between two kinds of newsletters: their models, how one
    recipient's email is written, and what is recorded once all are sent."""

    newsletter_model: type[Model]
    delivery_model: type[Model]
    build_message: Callable[[Any, Any], EmailMessage]
    on_sent: Callable[[Any, dict[str, int]], None]

    def run(self, newsletter) -> int:
        """Send the waiting deliveries of ``newsletter`` batch by batch. Returns how
        many deliveries this run handled."""
        if newsletter.status != NewsletterStatus.SENDING:
            return 0
        run = uuid.uuid4().hex
        handled = 0
        try:
            while deliveries := self._claim_batch(newsletter, run):
                self._send_batch(newsletter, deliveries)
                handled += len(deliveries)
                self._record_progress(newsletter)
        finally:
            self._finish(newsletter)
        return handled

    def _deliveries(self, newsletter):
        return self.delivery_model._default_manager.filter(newsletter=newsletter)

    def _claim_batch(self, newsletter, run: str) -> list:
        ids = list(
            self._deliveries(newsletter)
            .filter(status=DeliveryStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[: batch_size()]
        )
        if not ids:
            return []
        manager = self.delivery_model._default_manager
        manager.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claim=run, claimed_at=timezone.now()
        )
        return list(
            manager.filter(pk__in=ids, claim=run, status=DeliveryStatus.SENDING).order_by("pk")
        )

    def _send_batch(self, newsletter, deliveries: list) -> None:
        manager = self.delivery_model._default_manager
        connection = get_connection()
        try:
            connection.open()
            for delivery in deliveries:
                try:
                    connection.send_messages([self.build_message(newsletter, delivery)])
                except Exception as error:  # one bad address must not stop the others
                    logger.warning(
                        "%s %s to delivery %s failed",
                        self.newsletter_model.__name__,
                        newsletter.pk,
                        delivery.pk,
                    )
                    manager.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.FAILED, error=str(error)[:255]
                    )
                else:
                    manager.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.SENT, sent_at=timezone.now()
                    )
        finally:
            connection.close()

    def _record_progress(self, newsletter) -> dict[str, int]:
        counts = delivery_counts_of(self._deliveries(newsletter))
        self.newsletter_model._default_manager.filter(pk=newsletter.pk).update(
            total_count=counts["total"], sent_count=counts["sent"], failed_count=counts["failed"]
        )
        return counts

    def _finish(self, newsletter) -> None:
        # Claims of a run that died long ago: not sent again (it may have sent them).
        self._deliveries(newsletter).filter(
            status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
        ).update(status=DeliveryStatus.FAILED, error="interrupted")
        counts = self._record_progress(newsletter)
        if counts["waiting"] or counts["in_flight"]:
            return  # another run is still at work; it finishes the newsletter
        finished = self.newsletter_model._default_manager.filter(
            pk=newsletter.pk, status=NewsletterStatus.SENDING
        ).update(status=NewsletterStatus.SENT, sent_at=timezone.now())
        if finished:
            self.on_sent(newsletter, counts)
