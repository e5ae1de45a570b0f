"""A member's own space in one association, under /me/a/<slug>/: their membership
(status, up to date until, fee history, renewal) and their details and consents.
Everything reads ``request.person``, the signed-in user's own record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required

from ..fees.online import checkout_origins, online_payment_ready
from .forms import MyDetailsForm, RenewOnlineForm
from .selectors import my_membership_summary
from .services import my_details_update


@association_required()
@require_safe
def membership(request, association_slug):
    summary = my_membership_summary(association=request.association, person=request.person)
    renew_form = None
    if summary.online_fee_types and online_payment_ready(request.association):
        renew_form = RenewOnlineForm(association=request.association)
    response = render(
        request, "members/me/membership.html", {"summary": summary, "renew_form": renew_form}
    )
    if renew_form is not None:
        # The renewal redirects to the payment provider's page: allow it as a form target.
        response._csp_update = {"form-action": checkout_origins()}  # type: ignore[attr-defined]
    return response


@association_required()
@require_http_methods(["GET", "POST"])
def details(request, association_slug):
    form = MyDetailsForm(request.POST or None, instance=request.person)
    if request.method == "POST" and form.is_valid():
        try:
            my_details_update(
                association=request.association,
                actor=request.user,
                person=request.person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect("my:membership", association_slug=association_slug)
    return render(request, "members/me/details.html", {"form": form})
