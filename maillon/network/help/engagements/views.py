"""Pages of engagements, for each party:

- the association, under ``/a/<slug>/help/engagements/`` (namespace ``engagements``):
  the offers it received, one engagement with its thread and its steps;
- a skills volunteer: the public page of an open request, ``/help/<id>/``, where
  they offer (namespace ``help``), and their offers, ``/me/help/`` (``my_help``);
- a company's coordinators, in the company space ``/companies/<slug>/help/``
  (``company_help``): offer naming lent employees, the company's engagements;
- a network's team, in its back-office ``/n/<slug>/help/`` (``network:help_*``): the
  requests its member associations asked of it, offers, the network's engagements.

The helpers' pages read the engagement through the selectors named
``*_across_associations``, filtered by the volunteer, the company or the network:
anyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, submit_form
from maillon.members.permissions import Perm

from ...scope import network_required
from ..companies.views import company_required
from ..models import Engagement, EngagementKind, HelpAudience
from ..selectors import public_open_help_requests
from ..sponsorship.selectors import AGREEABLE, agreement_of_engagement
from . import selectors, services
from .forms import CloseForm, CompanyOfferForm, DeclineForm, DeliverForm, MessageForm, OfferForm

MANAGE = Perm.MANAGE_ASSOCIATION


# --- the steps, for both sides -------------------------------------------------------------

# step -> (form, service, success message); the association's side and the helper's.
ASSOCIATION_STEPS: dict[str, tuple] = {
    "accept": (None, services.engagement_accept, "accepted"),
    "decline": (DeclineForm, services.engagement_decline, "declined"),
    "start": (None, services.engagement_start, "started"),
    "deliver": (DeliverForm, services.engagement_deliver, "delivered"),
    "close": (CloseForm, services.engagement_close, "closed"),
    "message": (MessageForm, services.engagement_message_post, "message"),
}
HELPER_STEPS: dict[str, tuple] = {
    "withdraw": (None, services.engagement_withdraw, "withdrawn"),
    "start": (None, services.engagement_start, "started"),
    "deliver": (DeliverForm, services.engagement_deliver, "delivered"),
    "message": (MessageForm, services.engagement_message_post, "message"),
}


def _success(key: str) -> str:
    return {
        "accepted": _("Offer accepted: the helper is told."),
        "declined": _("Offer declined: the helper gets your reason."),
        "withdrawn": _("Your offer is withdrawn."),
        "started": _("The work is marked as started."),
        "delivered": _("The work is marked as delivered."),
        "closed": _("Engagement closed. Thank you for the handover!"),
        "message": _("Message sent."),
    }[key]


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _run_step(request, engagement: Engagement, step: str, steps: dict, **side) -> bool:
    """Run ``step`` on ``engagement``; flash its outcome. ``side`` is
    ``association=...`` for the association, nothing for the helper."""
    if step not in steps:
        raise Http404
    form_class, service, success = steps[step]
    data = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return False
        data = form.cleaned_data
    try:
        service(actor=request.user, engagement=engagement, **side, **data)
    except ValidationError as error:
        flash_refusal(request, error)
        return False
    messages.success(request, _success(success))
    return True


def _document(engagement: Engagement):
    if not engagement.handover_document:
        raise Http404
    try:
        handle = engagement.handover_document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = engagement.handover_document.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


def _detail_context(engagement: Engagement, *, side: str, step_url: Callable[[str], str], **extra):
    forms = {"message_form": MessageForm(auto_id="id_message_%s")}
    if side == "association":
        forms.update(
            decline_form=DeclineForm(auto_id="id_decline_%s"),
            deliver_form=DeliverForm(auto_id="id_deliver_%s"),
            close_form=CloseForm(auto_id="id_close_%s"),
        )
    else:
        forms["deliver_form"] = DeliverForm(auto_id="id_deliver_%s")
    steps = ASSOCIATION_STEPS if side == "association" else HELPER_STEPS
    return {
        "engagement": engagement,
        "help_request": engagement.help_request,
        "helper": selectors.helper_label(engagement),
        "thread": selectors.engagement_messages(engagement=engagement),
        "side": side,
        "step_urls": {step: step_url(step) for step in steps},
        "thread_open": engagement.status in selectors.OPEN_STATUSES,
        "can_withdraw": engagement.status in selectors.WITHDRAWABLE_STATUSES,
        "can_post": extra.get("can_manage", True),
        **forms,
        **extra,
    }


def _sponsorship(engagement: Engagement, *, agreement_url, draft_url) -> dict:
    """For a company's engagement: the link to its skills sponsorship agreement, or
    to draft it once the offer is accepted (``draft_url`` is None when the reader may
    not draft it)."""
    if engagement.kind != EngagementKind.COMPANY:
        return {}
    agreement = agreement_of_engagement(engagement)
    if agreement is not None:
        return {"sponsorship_agreement_url": agreement_url(agreement.pk)}
    if engagement.status in AGREEABLE and draft_url is not None:
        return {"sponsorship_draft_url": draft_url}
    return {}


# --- the association's side ---------------------------------------------------------------


@association_required(Perm.VIEW_BACKOFFICE)
@require_safe
def engagement_list(request, association_slug: str):
    return render(
        request,
        "network/help/engagements/list.html",
        {
            "engagements": selectors.engagements_of_association(association=request.association),
            "stats": selectors.response_stats(association=request.association),
        },
    )


@association_required(Perm.VIEW_BACKOFFICE)
@require_safe
def engagement_detail(request, association_slug: str, engagement_id: int):
    engagement = selectors.engagement_get(
        association=request.association, engagement_id=engagement_id
    )
    slug = request.association.slug
    context = _detail_context(
        engagement,
        side="association",
        step_url=lambda step: reverse("engagements:step", args=[slug, engagement.pk, step]),
        can_manage=MANAGE in request.permissions,
        document_url=reverse("engagements:document", args=[slug, engagement.pk]),
        plan_action_id=engagement.help_request.plan_action_id,
        can_write_sheet=Perm.MANAGE_STRATEGY in request.permissions,
        **_sponsorship(
            engagement,
            agreement_url=lambda pk: reverse("sponsorship:detail", args=[slug, pk]),
            draft_url=(
                reverse("sponsorship:create", args=[slug, engagement.pk])
                if MANAGE in request.permissions
                else None
            ),
        ),
    )
    return render(request, "network/help/engagements/detail.html", context)


@require_POST
@association_required(MANAGE)
def engagement_step(request, association_slug: str, engagement_id: int, step: str):
    engagement = selectors.engagement_get(
        association=request.association, engagement_id=engagement_id
    )
    _run_step(request, engagement, step, ASSOCIATION_STEPS, association=request.association)
    return redirect("engagements:detail", request.association.slug, engagement.pk)


@association_required(Perm.VIEW_BACKOFFICE)
@require_safe
def engagement_document(request, association_slug: str, engagement_id: int):
    return _document(
        selectors.engagement_get(association=request.association, engagement_id=engagement_id)
    )


# --- a skills volunteer: the public page of a request, and their offers --------------------------


@require_safe
def public_list(request):
    return render(
        request,
        "network/help/engagements/public_list.html",
        {"help_requests": public_open_help_requests(audience=HelpAudience.VOLUNTEERS, limit=100)},
    )


def public_detail(request, help_request_id: int):
    """An open request's public page; a signed-in volunteer offers from it."""
    help_request = selectors.public_help_request_get_across_associations(
        help_request_id=help_request_id
    )
    for_volunteers = HelpAudience.VOLUNTEERS in help_request.audiences
    form = OfferForm(request.POST or None) if for_volunteers else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            messages.error(request, _("This request is not asked of skills volunteers."))
        elif form.is_valid():
            try:
                engagement = services.engagement_offer(
                    actor=request.user,
                    help_request=help_request,
                    kind=EngagementKind.VOLUNTEER,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Your offer is sent: the association answers here."))
                return redirect("my_help:engagement", engagement.pk)
    profile = None
    if request.user.is_authenticated:
        from maillon.volunteering.profiles.selectors import profile_of

        profile = profile_of(request.user)
    return render(
        request,
        "network/help/engagements/public_detail.html",
        {"help_request": help_request, "form": form, "profile": profile},
    )


@login_required
@require_safe
def my_engagements(request):
    return render(
        request,
        "network/help/engagements/mine.html",
        {
            "engagements": selectors.volunteer_engagements_across_associations(user=request.user),
        },
    )


def _volunteer_engagement(request, engagement_id):
    return selectors.volunteer_engagement_get_across_associations(
        user=request.user, engagement_id=engagement_id
    )


@login_required
@require_safe
def my_engagement(request, engagement_id: int):
    engagement = _volunteer_engagement(request, engagement_id)
    context = _detail_context(
        engagement,
        side="helper",
        step_url=lambda step: reverse("my_help:step", args=[engagement.pk, step]),
        document_url=reverse("my_help:document", args=[engagement.pk]),
        back_url=reverse("my_help:list"),
    )
    return render(request, "network/help/engagements/helper_detail.html", context)


@require_POST
@login_required
def my_engagement_step(request, engagement_id: int, step: str):
    engagement = _volunteer_engagement(request, engagement_id)
    _run_step(request, engagement, step, HELPER_STEPS)
    return redirect("my_help:engagement", engagement.pk)


@login_required
@require_safe
def my_engagement_document(request, engagement_id: int):
    return _document(_volunteer_engagement(request, engagement_id))


# --- a company's coordinators ---------------------------------------------------------------------


@require_safe
@company_required
def company_engagements(request):
    company = request.company
    return render(
        request,
        "network/help/engagements/mine.html",
        {
            "company": company,
            "engagements": selectors.company_engagements_across_associations(company=company),
            "requests": public_open_help_requests(audience=HelpAudience.COMPANIES, limit=50),
        },
    )


@company_required
def company_offer(request, help_request_id: int):
    company = request.company
    help_request = selectors.public_help_request_get_across_associations(
        help_request_id=help_request_id
    )
    form = CompanyOfferForm(request.POST or None, company=company)
    outcome = submit_form(
        request,
        form,
        services.engagement_offer,
        success=_("Your offer is sent: the association answers here."),
        actor=request.user,
        help_request=help_request,
        kind=EngagementKind.COMPANY,
        company=company,
    )
    if outcome.ok:
        return redirect("company_help:engagement", company.slug, outcome.value.pk)
    return render(
        request,
        "network/help/engagements/offer.html",
        {
            "help_request": help_request,
            "form": form,
            "company": company,
            "asked": HelpAudience.COMPANIES in help_request.audiences,
            "has_employees": form.fields["employees"].queryset.exists(),
        },
    )


def _company_engagement(request, engagement_id):
    return selectors.company_engagement_get_across_associations(
        company=request.company, engagement_id=engagement_id
    )


@require_safe
@company_required
def company_engagement(request, engagement_id: int):
    engagement = _company_engagement(request, engagement_id)
    slug = request.company.slug
    context = _detail_context(
        engagement,
        side="helper",
        step_url=lambda step: reverse("company_help:step", args=[slug, engagement.pk, step]),
        document_url=reverse("company_help:document", args=[slug, engagement.pk]),
        back_url=reverse("company_help:list", args=[slug]),
        company=request.company,
        **_sponsorship(
            engagement,
            agreement_url=lambda pk: reverse("company_sponsorship:detail", args=[slug, pk]),
            draft_url=reverse("company_sponsorship:create", args=[slug, engagement.pk]),
        ),
    )
    return render(request, "network/help/engagements/helper_detail.html", context)


@require_POST
@company_required
def company_engagement_step(request, engagement_id: int, step: str):
    engagement = _company_engagement(request, engagement_id)
    _run_step(request, engagement, step, HELPER_STEPS)
    return redirect("company_help:engagement", request.company.slug, engagement.pk)


@require_safe
@company_required
def company_engagement_document(request, engagement_id: int):
    return _document(_company_engagement(request, engagement_id))


# --- a network's team ------------------------------------------------------------------------


@require_safe
@network_required()
def network_help(request):
    network = request.network
    return render(
        request,
        "network/help/engagements/network_help.html",
        {
            "network": network,
            "requests": selectors.network_help_requests_across_associations(network=network),
            "engagements": selectors.network_engagements_across_associations(network=network),
        },
    )


@network_required()
def network_offer(request, help_request_id: int):
    network = request.network
    help_request = selectors.network_help_request_get_across_associations(
        network=network, help_request_id=help_request_id
    )
    form = OfferForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        services.engagement_offer,
        success=_("Your offer is sent: the association answers here."),
        actor=request.user,
        help_request=help_request,
        kind=EngagementKind.NETWORK,
        network=network,
    )
    if outcome.ok:
        return redirect("network:help_engagement", network.slug, outcome.value.pk)
    return render(
        request,
        "network/help/engagements/network_offer.html",
        {"help_request": help_request, "form": form, "network": network, "asked": True},
    )


def _network_engagement(request, engagement_id):
    return selectors.network_engagement_get_across_associations(
        network=request.network, engagement_id=engagement_id
    )


@require_safe
@network_required()
def network_engagement(request, engagement_id: int):
    engagement = _network_engagement(request, engagement_id)
    slug = request.network.slug
    context = _detail_context(
        engagement,
        side="helper",
        step_url=lambda step: reverse("network:help_step", args=[slug, engagement.pk, step]),
        document_url=reverse("network:help_document", args=[slug, engagement.pk]),
        back_url=reverse("network:help", args=[slug]),
        network=request.network,
    )
    return render(request, "network/help/engagements/network_detail.html", context)


@require_POST
@network_required()
def network_engagement_step(request, engagement_id: int, step: str):
    engagement = _network_engagement(request, engagement_id)
    _run_step(request, engagement, step, HELPER_STEPS)
    return redirect("network:help_engagement", request.network.slug, engagement.pk)


@require_safe
@network_required()
def network_engagement_document(request, engagement_id: int):
    return _document(_network_engagement(request, engagement_id))
