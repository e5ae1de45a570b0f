"""The network back-office's home: its member associations, side by side."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from maillon.taxonomy.models import Department

from ..memberships.selectors import memberships_across_associations
from ..models import MembershipStatus
from ..scope import network_required
from .exports import member_table_csv, member_table_xlsx
from .forms import MemberFilterForm
from .selectors import MemberFilters, TableFormatter, measure_rows, member_page, member_rows

PAGE_SIZE = 100


def _filters(request) -> tuple[MemberFilterForm, MemberFilters]:
    form = MemberFilterForm(request.GET or None, departments=Department.objects.all())
    if form.is_bound and form.is_valid():
        return form, MemberFilters(**form.cleaned_data)
    return form, MemberFilters()


@require_safe
@network_required()
def members(request):
    form, filters = _filters(request)
    page = member_page(
        network=request.network, filters=filters, page=request.GET.get("page"), size=PAGE_SIZE
    )
    formatter = TableFormatter(timezone.localdate())
    pending = memberships_across_associations(
        network=request.network, statuses=(MembershipStatus.INVITED, MembershipStatus.REQUESTED)
    ).count()
    return render(
        request,
        "network/members.html",
        {
            "network": request.network,
            "form": form,
            "page_obj": page,
            "columns": formatter.labels,
            "lines": [formatter.line(row) for row in page.object_list],
            "row_count": page.paginator.count,
            "pending_count": pending,
            "stale_only": filters.stale_diagnostic,
        },
    )


@require_safe
@network_required()
def members_export(request, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    rows = measure_rows(member_rows(network=request.network, filters=filters))
    name = f"{request.network.slug}-{timezone.localdate():%Y-%m-%d}"
    if file_format == "csv":
        return member_table_csv(rows, name)
    return member_table_xlsx(rows, name)
