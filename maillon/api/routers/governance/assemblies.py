"""Assemblies through the API: the same selectors as the assembly pages, so drafts
and polls not opened yet are seen only by who prepares assemblies."""

from django.http import HttpRequest
from ninja import Query, Router

from maillon.associations.models import Module
from maillon.governance.assemblies.selectors import assembly_get, assembly_list, my_roll_entry
from maillon.governance.polls.selectors import polls_of_assembly
from maillon.members.permissions import Perm

from ...errors import READ_ERRORS
from ...schemas.governance.assemblies import (
    AssemblyDetailOut,
    AssemblyListQuery,
    AssemblyOut,
    AssemblyPageOut,
    PollSummaryOut,
)
from ...tenancy import association_endpoint

router = Router(tags=["governance"])


def _prepares_assemblies(request: HttpRequest) -> bool:
    return Perm.MANAGE_ASSEMBLIES in request.permissions


@router.get(
    "/{slug}/assemblies",
    response={200: AssemblyPageOut, **READ_ERRORS},
    operation_id="assemblies_list",
    summary="List assemblies",
    description="General assemblies and board meetings, the most recent first. Drafts "
    "only for who prepares assemblies (`governance.manage`). Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART, module=Module.GOVERNANCE)
def assemblies_list(request: HttpRequest, slug: str, filters: Query[AssemblyListQuery]):
    assemblies = assembly_list(
        association=request.association, include_drafts=_prepares_assemblies(request)
    )
    page, page_size = filters.page, filters.page_size
    count = assemblies.count()
    start = (page - 1) * page_size
    return AssemblyPageOut(
        count=count,
        page=page,
        page_size=page_size,
        next=page + 1 if start + page_size < count else None,
        previous=page - 1 if page > 1 else None,
        items=[AssemblyOut.from_assembly(a) for a in assemblies[start : start + page_size]],
    )


@router.get(
    "/{slug}/assemblies/{assembly_id}",
    response={200: AssemblyDetailOut, **READ_ERRORS},
    operation_id="assemblies_get",
    summary="Assembly detail",
    description="One assembly with its polls and the caller's entry on the electoral roll. "
    "Needs `governance.take_part`.",
)
@association_endpoint(Perm.TAKE_PART, module=Module.GOVERNANCE)
def assemblies_get(request: HttpRequest, slug: str, assembly_id: int):
    assembly = assembly_get(
        association=request.association,
        assembly_id=assembly_id,
        include_drafts=_prepares_assemblies(request),
    )
    polls = polls_of_assembly(
        association=request.association, assembly=assembly, permissions=request.permissions
    )
    entry = my_roll_entry(assembly=assembly, user=request.user)
    return AssemblyDetailOut.from_assembly(
        assembly,
        polls=[
            PollSummaryOut(
                id=p.pk, title=p.title, kind=p.kind, status=p.status, is_secret=p.is_secret
            )
            for p in polls
        ],
        my_roll_entry=entry.pk if entry else None,
    )
