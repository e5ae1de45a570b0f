"""Practice sheets through the API: the public library (no token: public sheets
only) and the association's own sheets under ``/associations/{slug}/practices``
(the pages' permission and module)."""

from django.http import HttpRequest
from ninja import Query, Router

from maillon.associations.models import Module
from maillon.members.permissions import Perm
from maillon.network.practices import services
from maillon.network.practices.selectors import (
    PracticeFilters,
    practice_sheets_of,
    public_practice_sheet_get,
    public_practice_sheets,
)

from ...errors import READ_ERRORS, WRITE_ERRORS
from ...schemas.common import ErrorOut, PageQuery, ValidationErrorOut, page_fields
from ...schemas.network import PracticeCreateIn, PracticeOut, PracticePageOut, PracticeQuery
from ...tenancy import association_endpoint

router = Router(tags=["practices"])


@router.get(
    "/practices",
    auth=None,
    response={200: PracticePageOut, 422: ValidationErrorOut},
    operation_id="practices_search",
    summary="Search the public practice sheets",
    description="Public practice sheets, newest first; the filters of /practices/.",
)
def practices_search(request: HttpRequest, filters: Query[PracticeQuery]):
    sheets = public_practice_sheets(
        filters=PracticeFilters(
            q=filters.q,
            domain=filters.domain,
            pitfall=filters.pitfall,
            size_band=filters.size_band,
            sector=filters.sector,
        )
    )
    start = (filters.page - 1) * filters.page_size
    items = list(sheets[start : start + filters.page_size])
    return PracticePageOut(
        **page_fields(count=sheets.count(), page=filters.page, page_size=filters.page_size),
        items=[PracticeOut.from_sheet(s) for s in items],
    )


@router.get(
    "/practices/{sheet_id}",
    auth=None,
    response={200: PracticeOut, 404: ErrorOut},
    operation_id="practices_public_get",
    summary="A public practice sheet",
    description="Drafts and sheets shared with networks only answer 404.",
)
def practices_public_get(request: HttpRequest, sheet_id: int):
    return PracticeOut.from_sheet(public_practice_sheet_get(sheet_id=sheet_id, network_ids=set()))


@router.get(
    "/associations/{slug}/practices",
    response={200: PracticePageOut, **READ_ERRORS},
    operation_id="practices_list",
    summary="The association's practice sheets",
    description="Drafts included. Needs `strategy.view` and the network module.",
)
@association_endpoint(Perm.VIEW_STRATEGY, module=Module.NETWORK)
def practices_list(request: HttpRequest, slug: str, filters: Query[PageQuery]):
    sheets = practice_sheets_of(association=request.association).select_related("association")
    start = (filters.page - 1) * filters.page_size
    return PracticePageOut(
        **page_fields(count=sheets.count(), page=filters.page, page_size=filters.page_size),
        items=[PracticeOut.from_sheet(s) for s in sheets[start : start + filters.page_size]],
    )


@router.post(
    "/associations/{slug}/practices",
    response={201: PracticeOut, **WRITE_ERRORS},
    operation_id="practices_create",
    summary="Write a practice sheet",
    description="A draft sheet; share it from its page. Needs `strategy.manage`.",
)
@association_endpoint(Perm.MANAGE_STRATEGY, module=Module.NETWORK)
def practices_create(request: HttpRequest, slug: str, payload: PracticeCreateIn):
    sheet = services.practice_sheet_create(
        association=request.association, actor=request.user, **payload.dict()
    )
    sheet.endorsement_count = 0
    return 201, PracticeOut.from_sheet(sheet)
