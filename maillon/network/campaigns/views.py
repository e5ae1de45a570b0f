"""The network's campaigns in its back-office (``/n/<slug>/campaigns/``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.core.views import flash_refusal
from maillon.events.selectors import (
    campaign_participation_across_associations,
    network_campaign_get,
    network_campaigns_across_associations,
)

from ..memberships.services import INVITERS
from ..models import NetworkRoleKind
from ..scope import network_required
from . import services
from .forms import CampaignForm, CampaignInviteForm


@network_required()
def campaign_list(request):
    can_manage = request.network_role in INVITERS
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = services.network_campaign_create(
                    network=request.network, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                flash_refusal(request, error)
            else:
                messages.success(request, _("Campaign created."))
                return redirect(
                    "network:campaign", network_slug=request.network.slug, campaign_id=campaign.pk
                )
    return render(
        request,
        "network/campaigns/list.html",
        {
            "network": request.network,
            "campaigns": list(network_campaigns_across_associations(network=request.network)),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_safe
@network_required()
def campaign_detail(request, campaign_id: int):
    campaign = network_campaign_get(network=request.network, campaign_id=campaign_id)
    events = campaign_participation_across_associations(campaign=campaign)
    return render(
        request,
        "network/campaigns/detail.html",
        {
            "network": request.network,
            "campaign": campaign,
            "events": events,
            "association_count": len({e.association_id for e in events}),
            "seats": sum(e.seats_taken for e in events),
            "invite_form": CampaignInviteForm(),
            "can_manage": request.network_role in INVITERS,
        },
    )


@require_POST
@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def campaign_invite(request, campaign_id: int):
    campaign = network_campaign_get(network=request.network, campaign_id=campaign_id)
    form = CampaignInviteForm(request.POST)
    if form.is_valid():
        services.network_campaign_invite(
            network=request.network,
            actor=request.user,
            campaign=campaign,
            message=form.cleaned_data["message"],
        )
        messages.success(request, _("The member associations are invited."))
    return redirect("network:campaign", network_slug=request.network.slug, campaign_id=campaign.pk)
