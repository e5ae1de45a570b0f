"""Background work of tax receipts: the yearly receipts of every donor."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import BatchStatus, ReceiptBatch

logger = logging.getLogger(__name__)


@association_task()
def issue_yearly_receipts(association: Association, *, batch_id: int) -> str:
    from .services import receipt_batch_run

    try:
        batch = receipt_batch_run(association=association, batch_id=batch_id)
    except Exception:
        logger.exception("Yearly receipts batch %s failed", batch_id)
        ReceiptBatch.objects.filter(
            association=association,
            pk=batch_id,
            status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING],
        ).update(
            status=BatchStatus.FAILED,
            failure_message=_(
                "An unexpected error stopped the receipts. The receipts already issued are "
                "kept; start again to issue the others."
            ),
            finished_at=timezone.now(),
        )
        raise
    return batch.status


@association_task()
def email_receipts(association: Association, *, receipt_ids: list[int]) -> int:
    """Email the donors of these receipts their signed link (each receipt once)."""
    from .delivery import receipts_email

    return receipts_email(association=association, receipt_ids=receipt_ids)
