"""Donations and tax receipts through the API, for who keeps the association's funds
(`funding.manage`: the treasurer, the president, an administrator), with the same
selectors and services as the pages. An association that switched the funding module
off answers 404, like its pages."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from maillon.associations.models import Module
from maillon.funding.campaigns.selectors import campaign_get
from maillon.funding.donations import selectors, services
from maillon.funding.donors.selectors import donor_get
from maillon.funding.receipts import selectors as receipt_selectors
from maillon.funding.receipts.services import receipt_issue
from maillon.members.permissions import Perm

from ...errors import READ_ERRORS, WRITE_ERRORS
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.common import page_fields
from ...schemas.funding.donations import (
    DonationIn,
    DonationListQuery,
    DonationOut,
    DonationPageOut,
    ReceiptListQuery,
    ReceiptOut,
    ReceiptPageOut,
)
from ...tenancy import association_endpoint

router = Router(tags=["funding"])


@router.get(
    "/associations/{slug}/donations",
    response={200: DonationPageOut, **READ_ERRORS},
    operation_id="donations_list",
    summary="List donations",
    description="The newest first. Needs `funding.manage`.",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def donations_list(request: HttpRequest, slug: str, filters: Query[DonationListQuery]):
    donations = selectors.donation_list(
        association=request.association, year=filters.year, donor_id=filters.donor
    )
    start = (filters.page - 1) * filters.page_size
    return DonationPageOut(
        **page_fields(count=donations.count(), page=filters.page, page_size=filters.page_size),
        items=[DonationOut.from_donation(d) for d in donations[start : start + filters.page_size]],
    )


@router.post(
    "/associations/{slug}/donations",
    response={201: DonationOut, **WRITE_ERRORS},
    operation_id="donations_record",
    summary="Record a donation",
    description="A gift of money (with its method), in kind or as waived expenses (with "
    "its description and value). A donor or campaign outside the association answers "
    "404. Takes an optional `Idempotency-Key` header. Needs `funding.manage`.",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def donations_record(
    request: HttpRequest,
    slug: str,
    payload: DonationIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    association = request.association
    donor = donor_get(association=association, donor_id=payload.donor)
    campaign = (
        campaign_get(association=association, campaign_id=payload.campaign)
        if payload.campaign
        else None
    )

    def create() -> int:
        return services.donation_record(
            association=association,
            actor=request.user,
            donor=donor,
            date=payload.date,
            amount=payload.amount,
            nature=payload.nature.value,
            method=payload.method.value,
            description=payload.description,
            campaign=campaign,
        ).pk

    donation_id = create_once(request, scope="donations", key=key, create=create)
    donation = selectors.donation_get(association=association, donation_id=donation_id)
    return Status(201, DonationOut.from_donation(donation))


@router.get(
    "/associations/{slug}/donations/{donation_id}",
    response={200: DonationOut, **READ_ERRORS},
    operation_id="donations_get",
    summary="A donation",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def donations_get(request: HttpRequest, slug: str, donation_id: int):
    return DonationOut.from_donation(
        selectors.donation_get(association=request.association, donation_id=donation_id)
    )


@router.post(
    "/associations/{slug}/donations/{donation_id}/receipt",
    response={201: ReceiptOut, **WRITE_ERRORS},
    operation_id="donations_receipt",
    summary="Issue the receipt of a donation",
    description="One receipt for this gift, numbered in the year's sequence. 422 when "
    "the association may not issue receipts or the gift already has one.",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def donations_receipt(request: HttpRequest, slug: str, donation_id: int):
    donation = selectors.donation_get(association=request.association, donation_id=donation_id)
    receipt = receipt_issue(association=request.association, actor=request.user, donation=donation)
    receipt = receipt_selectors.receipt_get(association=request.association, receipt_id=receipt.pk)
    return Status(201, ReceiptOut.from_receipt(receipt))


@router.get(
    "/associations/{slug}/receipts",
    response={200: ReceiptPageOut, **READ_ERRORS},
    operation_id="receipts_list",
    summary="List tax receipts",
    description="Receipts and cancellations, the newest number first. Needs `funding.manage`.",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def receipts_list(request: HttpRequest, slug: str, filters: Query[ReceiptListQuery]):
    receipts = receipt_selectors.receipt_list(association=request.association, year=filters.year)
    start = (filters.page - 1) * filters.page_size
    return ReceiptPageOut(
        **page_fields(count=receipts.count(), page=filters.page, page_size=filters.page_size),
        items=[ReceiptOut.from_receipt(r) for r in receipts[start : start + filters.page_size]],
    )


@router.get(
    "/associations/{slug}/receipts/{receipt_id}",
    response={200: ReceiptOut, **READ_ERRORS},
    operation_id="receipts_get",
    summary="A tax receipt",
)
@association_endpoint(Perm.MANAGE_FUNDING, module=Module.FUNDING)
def receipts_get(request: HttpRequest, slug: str, receipt_id: int):
    receipt = receipt_selectors.receipt_get(association=request.association, receipt_id=receipt_id)
    if receipt is None:
        raise Http404
    return ReceiptOut.from_receipt(receipt)
