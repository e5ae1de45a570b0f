"""The association's fee schedule, and recording and deleting a person's fees."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service

from ..permissions import Perm
from ..register.selectors import person_get
from ..register.views import person_detail_redirect
from . import services
from .forms import FeeScheduleForm, FeeTypeForm, MembershipPeriodForm
from .selectors import fee_schedule_of, fee_type_get, fee_type_list, membership_period_get


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def fee_add(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = MembershipPeriodForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_period_add(
                association=request.association,
                actor=request.user,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The membership period has been recorded."))
            return redirect(
                "members:detail", association_slug=association_slug, person_id=person.pk
            )
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Record a membership fee for %(name)s") % {"name": person},
        },
    )


@association_required(Perm.MANAGE_FEES)
@require_POST
def fee_delete(request, association_slug, person_id, period_id):
    person = person_get(association=request.association, person_id=person_id)
    period = membership_period_get(
        association=request.association, person=person, period_id=period_id
    )
    run_service(
        request,
        services.membership_period_delete,
        success=_("The membership period has been deleted."),
        period=period,
    )
    return person_detail_redirect(request, person)


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def fee_schedule(request, association_slug):
    """The period rule, the reminders and the list of fee types."""
    schedule = fee_schedule_of(association=request.association)
    form = FeeScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_schedule_update(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The fee schedule has been saved."))
            return redirect("members:fee_schedule", association_slug=association_slug)
    return render(
        request,
        "members/fee_schedule.html",
        {
            "form": form,
            "fee_types": fee_type_list(association=request.association, include_archived=True),
        },
    )


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def fee_type_edit(request, association_slug, fee_type_id=None):
    fee_type = (
        None
        if fee_type_id is None
        else fee_type_get(association=request.association, fee_type_id=fee_type_id)
    )
    form = FeeTypeForm(request.POST or None, instance=fee_type)
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_type_save(
                association=request.association,
                actor=request.user,
                fee_type=fee_type,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The fee type has been saved."))
            return redirect("members:fee_schedule", association_slug=association_slug)
    title = _("New fee type") if fee_type is None else _("Fee type %(name)s") % {"name": fee_type}
    return render(request, "members/fee_type_form.html", {"form": form, "title": title})
