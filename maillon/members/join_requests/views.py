"""The association's answer to join requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.core.tenancy import association_required
from maillon.core.views import run_service

from ..permissions import Perm
from . import services
from .selectors import join_request_get, join_request_list


@association_required(Perm.MANAGE_MEMBERS)
@require_safe
def join_requests(request, association_slug):
    status = request.GET.get("status", "pending")
    if status not in ("pending", "approved", "rejected"):
        status = "pending"
    page = Paginator(
        join_request_list(association=request.association, status=status), 50
    ).get_page(request.GET.get("page"))
    return render(request, "members/join_requests.html", {"page_obj": page, "status": status})


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def join_request_decide_view(request, association_slug, join_request_id):
    jr = join_request_get(association=request.association, join_request_id=join_request_id)
    approve = request.POST.get("decision") == "approve"
    outcome = run_service(request, services.join_request_decide, join_request=jr, approve=approve)
    if outcome.ok and approve:
        messages.success(request, _("%(name)s is now a member.") % {"name": outcome.value.person})
    elif outcome.ok:
        messages.success(request, _("The request has been declined."))
    return redirect("members:join_requests", association_slug=association_slug)
