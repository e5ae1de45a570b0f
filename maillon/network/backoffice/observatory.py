"""The network's own observatory (``/n/<slug>/observatory/``).

* the network's published waves (``observatory.networks.services``): opened and
  published by the network's head, frozen from the consenting member associations,
  unweighted, suppressed like the national tables; the latest one is shown;
* the live figures: the indicators of the observatory computed over the network's
  member associations that consented to the latest national wave, unweighted, under
  the same suppression, and only for a network large enough
  (``settings.OBSERVATORY_NETWORK_MINIMUM``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.core.views import flash_refusal
from maillon.observatory.networks.selectors import (
    latest_published_network_wave,
    network_observatory_across_associations,
    network_waves,
)
from maillon.observatory.networks.services import network_wave_open, network_wave_publish
from maillon.observatory.public.presentation import indicator_cards

from ..models import NetworkRoleKind
from ..networks.services import check_network_role
from ..scope import network_required
from ..selectors import member_associations


@require_safe
@network_required()
def network_observatory(request):
    members = member_associations(request.network)
    result = network_observatory_across_associations(association_ids=[a.pk for a in members])
    published = latest_published_network_wave(network_id=request.network.pk)
    waves = network_waves(network_id=request.network.pk)
    return render(
        request,
        "network/observatory.html",
        {
            "network": request.network,
            "result": result,
            "members": len(members),
            "minimum": settings.OBSERVATORY_NETWORK_MINIMUM,
            "cards": indicator_cards(result.indicators) if result else [],
            "published": published,
            "published_cards": (
                indicator_cards(published.results.get("indicators", []), published.mapping_version)
                if published
                else []
            ),
            "waves": waves,
            "open_wave": next((w for w in waves if w.status == "open"), None),
            "next_year": timezone.localdate().year,
            "is_head": request.network_role == NetworkRoleKind.HEAD,
        },
    )


def network_wave_open_for(*, network, actor, year: int):
    """The head opens the network's wave of ``year``."""
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    members = [a.pk for a in member_associations(network)]
    return network_wave_open(actor=actor, network_id=network.pk, year=year, member_ids=members)


def network_wave_publish_for(*, network, actor, wave):
    """The head publishes the network's open wave."""
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    members = [a.pk for a in member_associations(network)]
    return network_wave_publish(actor=actor, network_id=network.pk, wave=wave, member_ids=members)


@require_POST
@network_required(NetworkRoleKind.HEAD)
def network_wave_open_view(request):
    try:
        network_wave_open_for(
            network=request.network, actor=request.user, year=timezone.localdate().year
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The network's wave is open."))
    return redirect("network:observatory", network_slug=request.network.slug)


@require_POST
@network_required(NetworkRoleKind.HEAD)
def network_wave_publish_view(request):
    """Publish the network's open wave (there is at most one)."""
    wave = next(
        (w for w in network_waves(network_id=request.network.pk) if w.status == "open"), None
    )
    try:
        if wave is None:
            raise ValidationError(_("The network has no open wave."))
        network_wave_publish_for(network=request.network, actor=request.user, wave=wave)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The network's wave is published."))
    return redirect("network:observatory", network_slug=request.network.slug)
