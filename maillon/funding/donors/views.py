"""Donors: the list, a donor's page (gifts and receipts), adding and changing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.models import Person
from maillon.members.permissions import Perm

from ..donations.selectors import donation_list
from ..models import Receipt
from . import selectors, services
from .forms import DonorForm

MODULE = Module.FUNDING
PER_PAGE = 50


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def donor_list(request, association_slug):
    search = (request.GET.get("q") or "").strip()[:100]
    donors = selectors.donor_list(association=request.association, search=search)
    page = Paginator(donors, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "funding/donors.html", {"page_obj": page, "search": search})


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def donor_detail(request, association_slug, donor_id):
    donor = selectors.donor_get(association=request.association, donor_id=donor_id)
    donations = donation_list(association=request.association, donor_id=donor.pk)[:200]
    receipts = Receipt.objects.filter(association=request.association, donor=donor).order_by(
        "-year", "-sequence"
    )[:100]
    return render(
        request,
        "funding/donor_detail.html",
        {"donor": donor, "donations": donations, "receipts": receipts},
    )


def _people(association):
    return Person.objects.filter(association=association, anonymised_at__isnull=True).order_by(
        "last_name", "first_name"
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def donor_create(request, association_slug):
    form = DonorForm(request.POST or None, people=_people(request.association))
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(
                association=request.association, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The donor has been added."))
            return redirect(
                "funding:donor_detail", association_slug=association_slug, donor_id=donor.pk
            )
    return render(request, "funding/form.html", {"form": form, "title": _("New donor")})


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def donor_edit(request, association_slug, donor_id):
    donor = selectors.donor_get(association=request.association, donor_id=donor_id)
    initial = {f: getattr(donor, f) for f in services.DONOR_FIELDS}
    form = DonorForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_update(
                association=request.association,
                actor=request.user,
                donor=donor,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(
                "funding:donor_detail", association_slug=association_slug, donor_id=donor.pk
            )
    return render(
        request,
        "funding/form.html",
        {"form": form, "title": _("Change the donor %(name)s") % {"name": donor}},
    )
