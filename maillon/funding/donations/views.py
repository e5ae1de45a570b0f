"""Donations: the list of a year with its total, recording a gift, a gift's page,
cancelling it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm

from ..campaigns.selectors import campaign_list
from ..donors.selectors import donor_choices
from ..models import DonationStatus
from ..receipts.selectors import funding_settings
from . import selectors, services
from .forms import CancelForm, DonationForm, YearForm

MODULE = Module.FUNDING
PER_PAGE = 50


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def donation_list(request, association_slug):
    form = YearForm(request.GET or None)
    this_year = timezone.localdate().year
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or this_year
    donations = selectors.donation_list(association=request.association, year=year)
    page = Paginator(donations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/donations.html",
        {
            "page_obj": page,
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "total": selectors.total_recorded(donations),
            "settings": funding_settings(association=request.association),
        },
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def donation_create(request, association_slug):
    association = request.association
    initial = {}
    if request.GET.get("donor"):
        initial["donor"] = request.GET.get("donor")
    form = DonationForm(
        request.POST or None,
        initial=initial,
        donors=donor_choices(association=association),
        campaigns=campaign_list(association=association),
    )
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_record(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Gift of %(amount)s € recorded for %(donor)s.")
                % {"amount": donation.amount, "donor": donation.donor},
            )
            if "another" in request.POST:
                return redirect("funding:donation_create", association_slug=association_slug)
            return redirect("funding:donations", association_slug=association_slug)
    return render(
        request, "funding/form.html", {"form": form, "title": _("Record a gift"), "another": True}
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def donation_detail(request, association_slug, donation_id):
    donation = selectors.donation_get(association=request.association, donation_id=donation_id)
    return render(
        request,
        "funding/donation_detail.html",
        {
            "donation": donation,
            "cancel_form": CancelForm(),
            "is_cancelled": donation.status == DonationStatus.CANCELLED,
            "settings": funding_settings(association=request.association),
        },
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_POST
def donation_cancel(request, association_slug, donation_id):
    donation = selectors.donation_get(association=request.association, donation_id=donation_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, ValidationError(_("Give the reason of the cancellation.")))
    else:
        run_service(
            request,
            services.donation_cancel,
            success=_("The gift has been cancelled."),
            donation=donation,
            reason=form.cleaned_data["reason"],
        )
    return redirect(
        "funding:donation_detail", association_slug=association_slug, donation_id=donation.pk
    )
