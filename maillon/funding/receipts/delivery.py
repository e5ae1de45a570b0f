"""Receipts reach their donors once: an email with the signed link for a donor with an
email address, a printed letter for the others.

"Once" is kept by claiming before acting: ``emailed_at`` / ``letter_printed_at`` are
set by a conditional update (``... IS NULL``), so two workers (a replayed task, a
double click) cannot both send the same receipt. A failed email gives its claim back
(the treasurer's "Send the pending emails" tries again)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import in_association_scope

from ..models import Receipt, ReceiptKind
from ..permissions import check_funding
from .letters import letters_pdf
from .links import receipt_token
from .selectors import receipts_to_email, receipts_to_print

logger = logging.getLogger(__name__)


def emails_after_commit(association: Association, receipts: Iterable[Receipt]) -> None:
    """Once the receipts are committed, a task emails those whose donor has an email."""
    ids = [r.pk for r in receipts]
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import email_receipts

        try:
            email_receipts.enqueue(association_id=association.pk, receipt_ids=ids)
        except Exception:  # the receipts stay unsent; "Send the pending emails" retries
            logger.exception("Could not enqueue the emails of receipts %s", ids)

    transaction.on_commit(enqueue)


@in_association_scope
def receipts_email(*, association: Association, receipt_ids: Iterable[int]) -> int:
    """Email each receipt (of ``receipt_ids``) whose donor has an email and that was
    never emailed: the donor's signed link. Returns the number of emails sent."""
    receipts = (
        Receipt.objects.filter(association=association, pk__in=list(receipt_ids), emailed_at=None)
        .exclude(donor__email="")
        .select_related("donor")
        .order_by("pk")
    )
    sent = []
    for receipt in receipts:
        claimed = Receipt.objects.filter(
            association=association, pk=receipt.pk, emailed_at=None
        ).update(emailed_at=timezone.now())
        if not claimed:
            continue  # sent meanwhile by another worker
        try:
            _send(association, receipt)
        except Exception:
            logger.exception("Could not email receipt %s", receipt.pk)
            Receipt.objects.filter(association=association, pk=receipt.pk).update(emailed_at=None)
            continue
        sent.append(receipt.number)
    if sent:
        audit_log(
            association=association,
            actor=None,
            action="funding.receipts_emailed",
            data={"numbers": sent},
        )
    return len(sent)


def _send(association: Association, receipt: Receipt) -> None:
    link = settings.SITE_URL + reverse(
        "funding_public:receipt", kwargs={"token": receipt_token(receipt)}
    )
    context = {"association": association, "receipt": receipt, "link": link}
    if receipt.kind == ReceiptKind.CANCELLATION:
        subject = _("%(association)s: cancellation of your tax receipt") % {
            "association": association.name
        }
    else:
        subject = _("%(association)s: your tax receipt n° %(number)s") % {
            "association": association.name,
            "number": receipt.number,
        }
    send_mail(
        subject=subject,
        message=render_to_string("funding/email/receipt.txt", context),
        from_email=None,
        recipient_list=[receipt.donor.email],
    )


@in_association_scope
def receipts_email_pending(*, association: Association, actor: User) -> int:
    """The treasurer sends the receipts never emailed to donors who have an email (a
    failed email, receipts issued before donors gave their address): in a task.
    Returns how many are waiting."""
    check_funding(association, actor)
    ids = list(receipts_to_email(association=association).values_list("pk", flat=True))
    if ids:
        audit_log(
            association=association,
            actor=actor,
            action="funding.receipt_emails_requested",
            data={"count": len(ids)},
        )
        emails_after_commit(association, [Receipt(pk=pk) for pk in ids])
    return len(ids)


@in_association_scope
@transaction.atomic
def receipt_letters_print(*, association: Association, actor: User) -> tuple[int, bytes]:
    """The printable batch of letters: every receipt of a donor without email not yet
    printed, each with a covering letter, in one PDF; they are then marked printed
    (never in a second batch). Returns the count and the PDF (empty when none)."""
    check_funding(association, actor)
    receipts = list(receipts_to_print(association=association).select_for_update(of=("self",)))
    if not receipts:
        return 0, b""
    content = letters_pdf(association, receipts)
    Receipt.objects.filter(association=association, pk__in=[r.pk for r in receipts]).update(
        letter_printed_at=timezone.now()
    )
    audit_log(
        association=association,
        actor=actor,
        action="funding.receipt_letters_printed",
        data={"numbers": [r.number for r in receipts]},
    )
    return len(receipts), content
