"""Campaigns: the back-office list and forms, and the public page with its progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.permissions import Perm

from ..giving.selectors import takes_gifts_online
from ..giving.views import campaign_page
from . import selectors, services
from .forms import CampaignForm

MODULE = Module.FUNDING


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_safe
def campaign_list(request, association_slug):
    campaigns = list(selectors.campaign_list(association=request.association))
    for campaign in campaigns:
        campaign.percent = selectors.progress_percent(campaign)
    return render(
        request,
        "funding/campaigns.html",
        {"campaigns": campaigns, "takes_gifts_online": takes_gifts_online(request.association)},
    )


def _save(request, association_slug, *, campaign=None):
    initial = {}
    if campaign is not None:
        initial = {f: getattr(campaign, f) for f in services.CAMPAIGN_FIELDS}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if campaign is None:
                services.campaign_create(
                    association=request.association, actor=request.user, **form.cleaned_data
                )
            else:
                services.campaign_update(
                    association=request.association,
                    actor=request.user,
                    campaign=campaign,
                    **form.cleaned_data,
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The campaign has been saved."))
            return redirect("funding:campaigns", association_slug=association_slug)
    title = _("New campaign") if campaign is None else _("Change the campaign")
    return render(request, "funding/form.html", {"form": form, "title": title})


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def campaign_create(request, association_slug):
    return _save(request, association_slug)


@association_required(Perm.MANAGE_FUNDING, module=MODULE)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, association_slug, campaign_id):
    campaign = selectors.campaign_get(association=request.association, campaign_id=campaign_id)
    return _save(request, association_slug, campaign=campaign)


@require_safe
def public_campaign(request, slug, campaign_slug):
    association, campaign = selectors.public_campaign(
        association_slug=slug, campaign_slug=campaign_slug
    )
    # The give form when the association takes gifts online (giving/).
    return campaign_page(request, association, campaign)
