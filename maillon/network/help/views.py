"""Help requests of an association, under ``/a/<slug>/help/``."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from . import selectors, services
from .engagements import selectors as engagements
from .forms import HelpRequestForm
from .matching.selectors import helpers_for_request

MANAGE = Perm.MANAGE_ASSOCIATION


@association_required(Perm.VIEW_BACKOFFICE)
def help_request_list(request, association_slug: str):
    return render(
        request,
        "network/help/list.html",
        {
            "help_requests": selectors.help_requests(association=request.association),
            "can_manage": MANAGE in request.permissions,
            "stats": engagements.response_stats(association=request.association),
        },
    )


@association_required(MANAGE)
def help_request_create(request, association_slug: str):
    prefill = selectors.help_request_prefill(
        association=request.association,
        action_id=request.GET.get("action", "") or request.POST.get("plan_action", ""),
        recommendation=request.GET.get("recommendation", "")
        or request.POST.get("recommendation", ""),
    )
    form = HelpRequestForm(request.POST or None, initial=prefill.initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            services.help_request_create,
            success=_("Your request is published to the helpers you chose."),
            plan_action_id=prefill.plan_action_id,
            recommendation_code=prefill.recommendation_code,
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("help_requests:detail", request.association.slug, outcome.value.pk)
    return render(request, "network/help/form.html", {"form": form, "prefill": prefill})


@association_required(Perm.VIEW_BACKOFFICE)
def help_request_detail(request, association_slug: str, help_request_id: int):
    help_request = selectors.help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    can_manage = MANAGE in request.permissions
    # Who may answer the request is for those who manage it (names of volunteers).
    suggestions = (
        helpers_for_request(association=request.association, help_request=help_request)
        if can_manage
        else None
    )
    return render(
        request,
        "network/help/detail.html",
        {
            "help_request": help_request,
            "can_manage": can_manage,
            "suggestions": suggestions,
            "engagements": engagements.engagements_of_association(
                association=request.association, help_request=help_request
            ),
        },
    )


@association_required(MANAGE)
def help_request_edit(request, association_slug: str, help_request_id: int):
    help_request = selectors.help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    initial = {
        "title": help_request.title,
        "need": help_request.need,
        "deliverable": help_request.deliverable,
        "skills": list(help_request.skills.all()),
        "format": help_request.format,
        "hours_estimate": help_request.hours_estimate,
        "deadline": help_request.deadline,
        "audiences": help_request.audiences,
    }
    form = HelpRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            services.help_request_update,
            success=_("Changes saved."),
            help_request=help_request,
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("help_requests:detail", request.association.slug, help_request.pk)
    return render(request, "network/help/form.html", {"form": form, "help_request": help_request})


@require_POST
@association_required(MANAGE)
def help_request_close(request, association_slug: str, help_request_id: int):
    help_request = selectors.help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    run_service(
        request,
        services.help_request_close,
        success=_("Request closed."),
        help_request=help_request,
    )
    return redirect("help_requests:detail", request.association.slug, help_request.pk)
