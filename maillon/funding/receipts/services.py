"""Issuing and cancelling tax receipts.

A receipt is numbered when it is issued (``numbering.take_numbers``), freezes what it
prints (``documents``), and is never deleted nor changed: cancelling one marks it
cancelled and issues a cancellation document (numbered in the same sequence) that
references it, and, when other gifts of the donor were on it, a replacement receipt
that references it too."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association, in_association_scope

from ..models import (
    BatchStatus,
    Cerfa,
    Donation,
    DonationStatus,
    Donor,
    DonorKind,
    FundingSettings,
    Method,
    Nature,
    Receipt,
    ReceiptBatch,
    ReceiptKind,
    ReceiptStatus,
)
from ..permissions import check_funding
from . import documents, signature
from .delivery import emails_after_commit
from .letters import cancelled_stamp
from .numbering import format_number, take_numbers
from .pdf import receipt_pdf
from .selectors import donations_to_receipt, funding_settings, private_storage
from .tasks import issue_yearly_receipts

if TYPE_CHECKING:
    from maillon.accounts.models import User

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = (
    "receipts_enabled",
    "legal_basis",
    "recognition_date",
    "object",
    "address",
    "signatory_name",
    "signatory_title",
    "receipt_mode",
)
BATCH_CHUNK = 250  # donors per transaction of the yearly batch


@in_association_scope
@transaction.atomic
def funding_settings_update(
    *, association: Association, actor: User, **fields: Any
) -> FundingSettings:
    check_funding(association, actor)
    FundingSettings.objects.get_or_create(association=association)
    settings = FundingSettings.objects.select_for_update().get(association=association)
    changes = apply_changes(settings, {k: v for k, v in fields.items() if k in SETTINGS_FIELDS})
    settings.full_clean(exclude=["association"])
    settings.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="funding.settings_updated",
            obj=settings,
            data={"changes": changes},
        )
    return settings


@in_association_scope
@transaction.atomic
def funding_settings_signature_set(
    *, association: Association, actor: User, image: Any | None
) -> FundingSettings:
    """Replace (``image``: an uploaded PNG or JPEG) or remove (``None``) the signature
    image printed on the receipts. The file goes to the private storage under a new
    name; the one it replaces is deleted unless a receipt already printed it."""
    check_funding(association, actor)
    png = signature.clean_signature(image) if image is not None else None
    FundingSettings.objects.get_or_create(association=association)
    settings = FundingSettings.objects.select_for_update().get(association=association)
    previous = settings.signature_path
    if png is None and not previous:
        return settings
    settings.signature_path = (
        signature.store_signature(association_id=association.pk, png=png) if png else ""
    )
    settings.save(update_fields=["signature_path"])
    audit_log(
        association=association,
        actor=actor,
        action="funding.signature_replaced" if png else "funding.signature_removed",
        obj=settings,
        data={"had_one": bool(previous)},
    )
    if previous:
        transaction.on_commit(partial(_forget_signature, association, previous))
    return settings


def _forget_signature(association: Association, name: str) -> None:
    """Delete a signature image no setting uses, unless a receipt prints it (a
    receipt reads the same years later)."""
    with scope(association=association):
        _forget_signature_in_scope(association, name)


def _forget_signature_in_scope(association: Association, name: str) -> None:
    printed = Receipt.objects.filter(
        association=association, data__signatory__signature=name
    ).exists()
    in_use = FundingSettings.objects.filter(association=association, signature_path=name).exists()
    if not printed and not in_use:
        private_storage().delete(name)


def _eligible_settings(association: Association) -> FundingSettings:
    settings = funding_settings(association=association)
    if not settings.receipts_enabled:
        raise ValidationError(
            _("The association has not declared that it may issue tax receipts (see the settings).")
        )
    return settings


def cerfa_for(donor: Donor) -> str:
    return Cerfa.COMPANY if donor.kind == DonorKind.COMPANY else Cerfa.INDIVIDUAL


def _new_receipts(
    *,
    association: Association,
    actor: User | None,
    settings: FundingSettings,
    groups: Sequence[tuple[Donor, list[Donation]]],
    is_yearly: bool,
    replaces: Receipt | None = None,
) -> list[Receipt]:
    """Number and write one receipt per (donor, gifts) group, link the gifts to it.
    Runs inside the caller's transaction."""
    year = timezone.localdate().year
    base = documents.association_part(association, settings)
    sequences = take_numbers(association=association, year=year, count=len(groups))
    receipts = []
    for sequence, (donor, gifts) in zip(sequences, groups, strict=True):
        extra: dict[str, Any] = {"replaces_number": replaces.number} if replaces else {}
        data, total = documents.receipt_data(base=base, donor=donor, donations=gifts, **extra)
        receipts.append(
            Receipt(
                association=association,
                year=year,
                sequence=sequence,
                number=format_number(year, sequence),
                cerfa=cerfa_for(donor),
                is_yearly=is_yearly,
                gift_year=gifts[0].date.year,
                donor=donor,
                total=total,
                data=data,
                replaces=replaces,
                issued_by=actor,
            )
        )
    Receipt.objects.bulk_create(receipts)
    by_receipt = []
    for receipt, (_donor, gifts) in zip(receipts, groups, strict=True):
        for gift in gifts:
            gift.receipt = receipt
            by_receipt.append(gift)
    Donation.objects.bulk_update(by_receipt, ["receipt"], batch_size=500)
    return receipts


def _write_pdf(receipt: Receipt) -> str:
    """Write the receipt's PDF to the private storage (the archived copy); returns its
    name there."""
    name = f"funding/receipts/{receipt.association_id}/{receipt.number}.pdf"
    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(render_pdf(receipt)))


def store_pdf(receipt: Receipt) -> None:
    receipt.file_path = _write_pdf(receipt)
    Receipt.objects.filter(association_id=receipt.association_id, pk=receipt.pk).update(
        file_path=receipt.file_path
    )


def render_pdf(receipt: Receipt) -> bytes:
    return receipt_pdf(
        number=receipt.number,
        kind=receipt.kind,
        cerfa=receipt.cerfa,
        data=receipt.data,
        cancelled=cancelled_stamp(receipt),
    )


def _store_after_commit(receipts: list[Receipt]) -> None:
    def store() -> None:
        for receipt in receipts:
            try:
                store_pdf(receipt)
            except Exception:  # the download renders it again from the frozen data
                logger.exception("Could not store the PDF of receipt %s", receipt.pk)

    transaction.on_commit(store)


@in_association_scope
@transaction.atomic
def receipt_issue(*, association: Association, actor: User, donation: Donation) -> Receipt:
    """The receipt of one gift."""
    check_funding(association, actor)
    ensure_same_association(association, donation)
    settings = _eligible_settings(association)
    donation = Donation.objects.select_for_update().select_related("donor").get(pk=donation.pk)
    if donation.status != DonationStatus.RECORDED:
        raise ValidationError(_("A cancelled gift gets no receipt."))
    if donation.receipt_id is not None:
        raise ValidationError(_("This gift already has a receipt."))
    if donation.donor.is_company and not donation.donor.siren:
        raise ValidationError(_("Give the company’s SIREN number before issuing its receipt."))
    (receipt,) = _new_receipts(
        association=association,
        actor=actor,
        settings=settings,
        groups=[(donation.donor, [donation])],
        is_yearly=False,
    )
    audit_log(
        association=association,
        actor=actor,
        action="funding.receipt_issued",
        obj=receipt,
        data={"number": receipt.number, "donation": donation.pk, "total": str(receipt.total)},
    )
    _store_after_commit([receipt])
    emails_after_commit(association, [receipt])
    return receipt


@in_association_scope
@transaction.atomic
def receipt_cancel(
    *,
    association: Association,
    actor: User | None,
    receipt: Receipt,
    reason: str,
    reissue: bool = True,
) -> Receipt:
    """Cancel a receipt: it stays (readable, stamped), a cancellation document is
    issued, and the gifts still valid get a replacement receipt. Returns the
    cancellation."""
    if actor is not None:
        check_funding(association, actor)
    ensure_same_association(association, receipt)
    receipt = Receipt.objects.select_for_update().select_related("donor").get(pk=receipt.pk)
    if receipt.kind != ReceiptKind.RECEIPT or receipt.status != ReceiptStatus.VALID:
        raise ValidationError(_("Only a valid receipt can be cancelled."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the cancellation.")})
    settings = funding_settings(association=association)
    gifts = list(
        Donation.objects.select_for_update().filter(receipt=receipt).order_by("date", "pk")
    )
    still_valid = [g for g in gifts if g.status == DonationStatus.RECORDED]
    Donation.objects.filter(pk__in=[g.pk for g in gifts]).update(receipt=None)
    receipt.status = ReceiptStatus.CANCELLED
    receipt.cancelled_at = timezone.now()
    receipt.cancel_reason = reason
    receipt.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    replacement = None
    if reissue and still_valid:
        for gift in still_valid:
            gift.receipt = None
        (replacement,) = _new_receipts(
            association=association,
            actor=actor,
            settings=settings,
            groups=[(receipt.donor, still_valid)],
            is_yearly=receipt.is_yearly,
            replaces=receipt,
        )
    cancellation = _cancellation(association, actor, settings, receipt, reason, replacement)
    audit_log(
        association=association,
        actor=actor,
        action="funding.receipt_cancelled",
        obj=receipt,
        data={
            "number": receipt.number,
            "cancellation": cancellation.number,
            "replacement": replacement.number if replacement else None,
            "reason": reason,
        },
    )
    _store_after_commit([r for r in (receipt, cancellation, replacement) if r is not None])
    # The donor learns of the cancellation and gets the replacement.
    emails_after_commit(association, [r for r in (cancellation, replacement) if r is not None])
    return cancellation


def _cancellation(
    association: Association,
    actor: User | None,
    settings: FundingSettings,
    receipt: Receipt,
    reason: str,
    replacement: Receipt | None,
) -> Receipt:
    """The cancellation document of ``receipt``, numbered in the year's sequence."""
    year = timezone.localdate().year
    (sequence,) = take_numbers(association=association, year=year)
    data = {
        **receipt.data,
        **documents.association_part(association, settings),
        "issued_on": timezone.localdate().isoformat(),
        "cerfa": receipt.cerfa,
        "cancelled_number": receipt.number,
        "cancelled_issued_on": receipt.data.get("issued_on"),
        "reason": reason,
        "replacement_number": replacement.number if replacement else "",
    }
    cancellation = Receipt.objects.create(
        association=association,
        year=year,
        sequence=sequence,
        number=format_number(year, sequence),
        kind=ReceiptKind.CANCELLATION,
        cerfa=receipt.cerfa,
        is_yearly=receipt.is_yearly,
        gift_year=receipt.gift_year,
        donor=receipt.donor,
        total=receipt.total,
        data=data,
        cancels=receipt,
        issued_by=actor,
    )
    return cancellation


@in_association_scope
@transaction.atomic
def receipt_batch_start(*, association: Association, actor: User, gift_year: int) -> ReceiptBatch:
    """Ask for the yearly receipts of ``gift_year``: a background task issues one
    receipt per donor for their gifts of the year that have none yet."""
    check_funding(association, actor)
    _eligible_settings(association)
    if gift_year > timezone.localdate().year:
        raise ValidationError(_("Receipts are issued for a year of past or current gifts."))
    running = ReceiptBatch.objects.filter(
        association=association, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).exists()
    if running:
        raise ValidationError(_("Receipts are already being issued; wait until they are done."))
    batch = ReceiptBatch.objects.create(
        association=association, gift_year=gift_year, requested_by=actor
    )
    audit_log(
        association=association,
        actor=actor,
        action="funding.receipt_batch_requested",
        obj=batch,
        data={"gift_year": gift_year},
    )
    transaction.on_commit(partial(_enqueue, association, batch.pk, actor.language))
    return batch


def _enqueue(association: Association, batch_id: int, language: str) -> None:
    try:
        issue_yearly_receipts.enqueue(
            association_id=association.pk, language=language, batch_id=batch_id
        )
    except Exception:
        logger.exception("Could not enqueue receipt batch %s", batch_id)
        ReceiptBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED,
            failure_message=_("The receipts could not be started. Please try again."),
            finished_at=timezone.now(),
        )


@in_association_scope
def receipt_batch_run(*, association: Association, batch_id: int) -> ReceiptBatch:
    """The task's work: donors in chunks, one transaction per chunk (numbers taken,
    receipts written, gifts linked, one audit entry), then the chunk's PDFs."""
    batch = ReceiptBatch.objects.get(association=association, pk=batch_id)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        return batch
    settings = _eligible_settings(association)
    # A company without its SIREN waits (the cerfa 16216 needs it).
    donor_ids = sorted(
        set(
            donations_to_receipt(association=association, gift_year=batch.gift_year)
            .exclude(donor__kind=DonorKind.COMPANY, donor__siren="")
            .values_list("donor_id", flat=True)
            .distinct()
        )
    )
    batch.status, batch.total_donors, batch.processed_donors = (
        BatchStatus.RUNNING,
        len(donor_ids),
        0,
    )
    batch.save(update_fields=["status", "total_donors", "processed_donors"])
    for start in range(0, len(donor_ids), BATCH_CHUNK):
        chunk = donor_ids[start : start + BATCH_CHUNK]
        receipts = _batch_chunk(association, batch, settings, chunk)
        for receipt in receipts:
            receipt.file_path = _write_pdf(receipt)
        # One write for the chunk's file names (not one commit per receipt).
        Receipt.objects.bulk_update(receipts, ["file_path"], batch_size=500)
        emails_after_commit(association, receipts)  # outside a transaction: enqueued now
        batch.processed_donors += len(chunk)
        batch.issued += len(receipts)
        batch.save(update_fields=["processed_donors", "issued"])
    batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    return batch


@transaction.atomic
def _batch_chunk(
    association: Association, batch: ReceiptBatch, settings: FundingSettings, donor_ids: list[int]
) -> list[Receipt]:
    gifts = (
        donations_to_receipt(association=association, gift_year=batch.gift_year)
        .filter(donor_id__in=donor_ids)
        .select_for_update(of=("self",))
        .select_related("donor")
        .order_by("donor_id", "date", "pk")
    )
    by_donor: dict[int, list[Donation]] = defaultdict(list)
    for gift in gifts:
        by_donor[gift.donor_id].append(gift)
    groups = [(gifts_[0].donor, gifts_) for gifts_ in by_donor.values()]
    if not groups:
        return []
    receipts = _new_receipts(
        association=association,
        actor=batch.requested_by,
        settings=settings,
        groups=groups,
        is_yearly=True,
    )
    audit_log(
        association=association,
        actor=batch.requested_by,
        action="funding.receipts_issued",
        obj=batch,
        data={
            "gift_year": batch.gift_year,
            "count": len(receipts),
            "first": receipts[0].number,
            "last": receipts[-1].number,
        },
    )
    return receipts


# --- a company's yearly contribution in kind valued by another module ----------------------------

#: ``Donation.provider`` of the gifts written by ``in_kind_company_receipt_issue``.
SKILLS_SPONSORSHIP = "skills_sponsorship"


def _company_donor(
    association: Association, actor: User, *, company_name: str, siren: str
) -> Donor:
    """The association's donor for this SIREN, created (and audited) when new."""
    donor = (
        Donor.objects.filter(association=association, kind=DonorKind.COMPANY, siren=siren)
        .order_by("pk")
        .first()
    )
    if donor is None:
        donor = Donor(
            association=association, kind=DonorKind.COMPANY, company_name=company_name, siren=siren
        )
        donor.full_clean()
        donor.save()
        audit_log(
            association=association,
            actor=actor,
            action="funding.donor_created",
            obj=donor,
            data={"kind": donor.kind, "member": None},
        )
    return donor


@in_association_scope
@transaction.atomic
def in_kind_company_receipt_issue(
    *,
    association: Association,
    actor: User,
    company_name: str,
    siren: str,
    gift_year: int,
    amount: Decimal,
    description: str,
    reference: str,
) -> Receipt:
    """The cerfa 16216 receipt of a company's yearly contribution in kind that another
    module values (skills sponsorship: the validated hours at cost, capped). The
    company is the donor found by its SIREN (created when new); the contribution is
    recorded once per ``reference`` as a gift in kind of ``gift_year``, then numbered
    like every receipt. A contribution whose receipt was cancelled without
    replacement gets a new one, at the amount of today."""
    check_funding(association, actor)
    settings = _eligible_settings(association)
    today = timezone.localdate()
    if gift_year > today.year:
        raise ValidationError(_("Receipts are issued for a year of past or current gifts."))
    if amount <= 0:
        raise ValidationError(_("There is nothing to certify for this year."))
    donor = _company_donor(association, actor, company_name=company_name, siren=siren)
    gift = (
        Donation.objects.select_for_update()
        .filter(association=association, provider=SKILLS_SPONSORSHIP, provider_payment_id=reference)
        .first()
    )
    if gift is not None and gift.receipt_id is not None:
        raise ValidationError(
            _("Receipt %(number)s already certifies this contribution.")
            % {"number": Receipt.objects.get(pk=gift.receipt_id).number}
        )
    if gift is not None and gift.status != DonationStatus.RECORDED:
        raise ValidationError(_("A cancelled gift gets no receipt."))
    date = min(datetime.date(gift_year, 12, 31), today)
    if gift is None:
        gift = Donation(
            association=association,
            donor=donor,
            provider=SKILLS_SPONSORSHIP,
            provider_payment_id=reference,
            nature=Nature.IN_KIND,
            method=Method.NONE,
            recorded_by=actor,
        )
    gift.date, gift.amount, gift.description = date, amount, description[:255]
    gift.full_clean()
    gift.save()
    (receipt,) = _new_receipts(
        association=association,
        actor=actor,
        settings=settings,
        groups=[(gift.donor, [gift])],
        is_yearly=True,
    )
    audit_log(
        association=association,
        actor=actor,
        action="funding.receipt_issued",
        obj=receipt,
        data={"number": receipt.number, "donation": gift.pk, "total": str(receipt.total)},
    )
    _store_after_commit([receipt])
    emails_after_commit(association, [receipt])
    return receipt
