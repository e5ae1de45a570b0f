"""The chart-of-accounts mapping and the journal export."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillon.associations.models import Module
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..donations.forms import YearForm
from ..models import DEFAULT_ACCOUNTS
from ..receipts.selectors import funding_settings
from . import services
from .forms import AccountsForm
from .journal import journal_csv, journal_lines

MODULE = Module.FUNDING


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def accounts(request, association_slug):
    settings = funding_settings(association=request.association)
    initial = {key: settings.account(key) for key in DEFAULT_ACCOUNTS}
    form = AccountsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            services.accounts_update,
            success=_("The accounts have been saved."),
            accounts=form.cleaned_data,
        )
        if outcome.ok:
            return redirect("funding:accounts", association_slug=association_slug)
    this_year = timezone.localdate().year
    return render(
        request,
        "funding/accounts.html",
        {"form": form, "years": range(this_year, this_year - 6, -1)},
    )


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def journal(request, association_slug):
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    settings = funding_settings(association=request.association)
    # Read inside the scope (the response streams after the view returns).
    lines = list(journal_lines(association=request.association, settings=settings, year=year))
    response = StreamingHttpResponse(
        journal_csv(iter(lines)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.association.slug}-journal-{year}.csv"'
    )
    return response
