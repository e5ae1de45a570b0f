"""Pages of pooled resources, under ``/a/<slug>/resources/``: the catalogue of what
the association may borrow, its own resources, and its bookings on both sides (as
owner and as borrower). The list and the booking work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..selectors import networks_of
from . import selectors, services
from .forms import (
    BlackoutForm,
    BookingRequestForm,
    CancelForm,
    CatalogueSearchForm,
    CloseForm,
    ConditionForm,
    DecisionForm,
    ExtendForm,
    PhotoForm,
    SharedResourceForm,
)
from .ical import resource_ics
from .pdf import loan_agreement_pdf

MANAGE = Perm.MANAGE_ASSOCIATION
VIEW = Perm.VIEW_BACKOFFICE
PAGE_SIZE = 20


def _slug(request) -> str:
    return request.association.slug


@association_required(VIEW)
def catalogue(request, association_slug: str):
    networks = networks_of(request.association)
    form = CatalogueSearchForm(request.GET or None, networks=networks)
    search = selectors.CatalogueSearch()
    if form.is_valid():
        data = form.cleaned_data
        search = selectors.CatalogueSearch(
            kind=data["kind"],
            department_id=data["department"].pk if data["department"] else None,
            network_id=int(data["network"]) if data["network"] else None,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
    resources = selectors.catalogue_across_associations(viewer=request.association, search=search)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/pooling/catalogue.html",
        {"form": form, "page": page, "query": query.urlencode(), "search": search},
    )


@association_required(VIEW)
def own_resources(request, association_slug: str):
    return render(
        request,
        "network/pooling/own_resources.html",
        {
            "resources": selectors.own_resources(association=request.association),
            "can_manage": MANAGE in request.permissions,
        },
    )


@association_required(MANAGE)
def resource_create(request, association_slug: str):
    form = SharedResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            services.resource_create,
            success=_("The resource is in the catalogue."),
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("pooling:detail", _slug(request), outcome.value.pk)
    return render(request, "network/pooling/resource_form.html", {"form": form})


@association_required(MANAGE)
def resource_edit(request, association_slug: str, resource_id: int):
    resource = selectors.own_resource_get(association=request.association, resource_id=resource_id)
    form = SharedResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        resource.refresh_from_db()
        outcome = run_service(
            request,
            services.resource_update,
            success=_("Changes saved."),
            resource=resource,
            **fields,
        )
        if outcome.ok:
            return redirect("pooling:detail", _slug(request), resource.pk)
    return render(
        request, "network/pooling/resource_form.html", {"form": form, "resource": resource}
    )


@association_required(VIEW)
def resource_detail(request, association_slug: str, resource_id: int, clash=None, form=None):
    resource = selectors.visible_resource_get_across_associations(
        viewer=request.association, resource_id=resource_id
    )
    is_owner = resource.association_id == request.association.pk
    context = {
        "resource": resource,
        "is_owner": is_owner,
        "can_manage": MANAGE in request.permissions,
        "may_borrow": selectors.may_borrow(viewer=request.association, resource=resource),
        "form": form or BookingRequestForm(),
        "clash": clash,
        "photos": selectors.resource_photos(resource=resource),
        "blackouts": selectors.resource_blackouts(resource=resource),
    }
    if is_owner:
        context.update(
            bookings=selectors.resource_bookings(resource=resource),
            waitlist=selectors.resource_waitlist(resource=resource),
            blackout_form=BlackoutForm(),
            photo_form=PhotoForm(),
        )
    return render(request, "network/pooling/resource_detail.html", context)


@require_POST
@association_required(MANAGE)
def resource_book(request, association_slug: str, resource_id: int):
    resource = selectors.visible_resource_get_across_associations(
        viewer=request.association, resource_id=resource_id
    )
    form = BookingRequestForm(request.POST)
    if not form.is_valid():
        return resource_detail(request, association_slug, resource_id=resource_id, form=form)
    try:
        booking = services.booking_request(
            association=request.association,
            actor=request.user,
            resource=resource,
            **form.cleaned_data,
        )
    except services.BookingClash as clash:
        return resource_detail(
            request, association_slug, resource_id=resource_id, clash=clash, form=form
        )
    except ValidationError as error:
        form.add_error(None, error)
        return resource_detail(request, association_slug, resource_id=resource_id, form=form)
    if booking.status == "approved":
        messages.success(request, _("Booked: the slot is yours."))
    else:
        messages.success(request, _("Request sent; the owner answers it."))
    return redirect("pooling:booking", _slug(request), booking.pk)


@require_POST
@association_required(MANAGE)
def resource_waitlist_join(request, association_slug: str, resource_id: int):
    resource = selectors.visible_resource_get_across_associations(
        viewer=request.association, resource_id=resource_id
    )
    form = BookingRequestForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.waitlist_join,
            success=_("You are on the waiting list; you get the slot if it comes free."),
            resource=resource,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Choose the dates again."))
    return redirect("pooling:detail", _slug(request), resource.pk)


@require_POST
@association_required(MANAGE)
def resource_blackout_add(request, association_slug: str, resource_id: int):
    resource = selectors.own_resource_get(association=request.association, resource_id=resource_id)
    form = BlackoutForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.resource_blackout_add,
            success=_("These dates are now unavailable."),
            resource=resource,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Give the first and the last day."))
    return redirect("pooling:detail", _slug(request), resource.pk)


@require_POST
@association_required(MANAGE)
def resource_photo_add(request, association_slug: str, resource_id: int):
    resource = selectors.own_resource_get(association=request.association, resource_id=resource_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            services.resource_photo_add,
            success=_("Photo added."),
            resource=resource,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Choose an image and describe it."))
    return redirect("pooling:detail", _slug(request), resource.pk)


@association_required(VIEW)
def resource_calendar(request, association_slug: str, resource_id: int):
    resource = selectors.own_resource_get(association=request.association, resource_id=resource_id)
    response = HttpResponse(
        resource_ics(resource, selectors.resource_calendar_bookings(resource=resource)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="resource-{resource.pk}.ics"'
    return response


# --- bookings -------------------------------------------------------------------------------


@association_required(VIEW)
def bookings(request, association_slug: str):
    association = request.association
    return render(
        request,
        "network/pooling/bookings.html",
        {
            "lent": selectors.owner_bookings(association=association),
            "borrowed": selectors.borrowed_bookings_across_associations(borrower=association),
            "waiting": selectors.waitlist_of_borrower_across_associations(borrower=association),
        },
    )


def _booking(request, booking_id: int):
    return selectors.booking_for_party_across_associations(
        association=request.association, booking_id=booking_id
    )


@association_required(VIEW)
def booking_detail(request, association_slug: str, booking_id: int):
    booking = _booking(request, booking_id)
    return render(
        request,
        "network/pooling/booking_detail.html",
        {
            "booking": booking,
            "is_owner": booking.association_id == request.association.pk,
            "can_manage": MANAGE in request.permissions,
            "decision_form": DecisionForm(),
            "condition_form": ConditionForm(),
            "close_form": CloseForm(initial={"value_in_kind": booking.value_in_kind}),
            "cancel_form": CancelForm(),
            "extend_form": ExtendForm(),
        },
    )


def _step(request, booking_id: int, form_class, service, success: str, **extra):
    booking = _booking(request, booking_id)
    form = form_class(request.POST)
    if form.is_valid():
        run_service(
            request, service, success=success, booking=booking, **extra, **form.cleaned_data
        )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("pooling:booking", _slug(request), booking.pk)


@require_POST
@association_required(MANAGE)
def booking_decide(request, association_slug: str, booking_id: int):
    booking = _booking(request, booking_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        run_service(
            request,
            services.booking_decide,
            success=_("Booking approved.") if approve else _("Booking declined."),
            booking=booking,
            approve=approve,
            note=form.cleaned_data["note"],
        )
    return redirect("pooling:booking", _slug(request), booking.pk)


@require_POST
@association_required(MANAGE)
def booking_check_out(request, association_slug: str, booking_id: int):
    return _step(
        request, booking_id, ConditionForm, services.booking_check_out, _("Lent out: enjoy!")
    )


@require_POST
@association_required(MANAGE)
def booking_check_in(request, association_slug: str, booking_id: int):
    return _step(
        request, booking_id, ConditionForm, services.booking_check_in, _("Returned: thank you.")
    )


@require_POST
@association_required(MANAGE)
def booking_close(request, association_slug: str, booking_id: int):
    return _step(request, booking_id, CloseForm, services.booking_close, _("Loan closed."))


@require_POST
@association_required(MANAGE)
def booking_cancel(request, association_slug: str, booking_id: int):
    return _step(request, booking_id, CancelForm, services.booking_cancel, _("Booking cancelled."))


@require_POST
@association_required(MANAGE)
def booking_extend(request, association_slug: str, booking_id: int):
    return _step(request, booking_id, ExtendForm, services.booking_extend, _("Loan extended."))


@association_required(VIEW)
def booking_agreement(request, association_slug: str, booking_id: int):
    booking = _booking(request, booking_id)
    response = HttpResponse(
        loan_agreement_pdf(booking=booking, language=request.LANGUAGE_CODE),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="loan-agreement-{booking.pk}.pdf"'
    return response
