"""The association's HelloAsso connection (treasurer)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.permissions import Perm

from ..selectors import provider_account_of
from .forms import ProviderAccountForm
from .services import provider_account_connect


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def account(request, association_slug):
    current = provider_account_of(association=request.association)
    initial = {}
    if current is not None:
        initial = {
            "organization_slug": current.organization_slug,
            "client_id": current.client_id,
            "membership_form_slug": current.membership_form_slug,
            "donation_form_slug": current.donation_form_slug,
        }
    form = ProviderAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            provider_account_connect(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your HelloAsso account is connected."))
            return redirect("payments:account", association_slug=association_slug)
    notification_url = (
        settings.SITE_URL + reverse("payment_notifications:helloasso", args=[current.webhook_token])
        if current
        else ""
    )
    return render(
        request,
        "payments/account.html",
        {"form": form, "account": current, "notification_url": notification_url},
    )
