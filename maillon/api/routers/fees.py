"""A member's own membership: the same selector and permission as the /me/a/<slug>/
page (any role in the association; only the caller's own record)."""

from django.http import HttpRequest
from ninja import Router

from maillon.members.self_service.selectors import my_membership_summary

from ..errors import READ_ERRORS
from ..schemas.fees import MyFeeOut, MyMembershipOut
from ..tenancy import association_endpoint

router = Router(tags=["fees"])


@router.get(
    "/{slug}/me/membership",
    response={200: MyMembershipOut, **READ_ERRORS},
    operation_id="my_membership",
    summary="My membership",
    description="The caller's own membership in the association: up to date or not, until "
    "when, and their fee history. Any member may read their own; nobody else's.",
)
@association_endpoint()
def my_membership(request: HttpRequest, slug: str):
    summary = my_membership_summary(association=request.association, person=request.person)
    return MyMembershipOut(
        up_to_date=summary.up_to_date,
        up_to_date_until=summary.covered_until,
        fees=[
            MyFeeOut(
                start=period.start,
                end=period.end,
                fee_type=period.fee_type.name if period.fee_type else "",
                amount=period.amount,
                method=period.method,
                paid=period.fee_paid,
                paid_on=period.paid_on,
                refunded=period.cancelled_at is not None,
                receipt_url=period.receipt_url,
            )
            for period in summary.history
        ],
    )
