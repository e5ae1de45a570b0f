"""Recording and deleting a person's membership fees."""

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
from .forms import MembershipPeriodForm
from .selectors import membership_period_get


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def fee_add(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = MembershipPeriodForm(request.POST or None)
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
