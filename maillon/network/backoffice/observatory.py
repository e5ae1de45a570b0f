"""The network's own observatory (``/n/<slug>/observatory/``): the indicators of the
observatory computed over the network's member associations that consented to the
latest wave, unweighted, under the same suppression, and only for a network large
enough (``settings.OBSERVATORY_NETWORK_MINIMUM``)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from maillon.observatory.networks.selectors import network_observatory_across_associations
from maillon.observatory.public.presentation import indicator_cards

from ..scope import network_required
from ..selectors import member_associations


@require_safe
@network_required()
def network_observatory(request):
    members = member_associations(request.network)
    result = network_observatory_across_associations(association_ids=[a.pk for a in members])
    return render(
        request,
        "network/observatory.html",
        {
            "network": request.network,
            "result": result,
            "members": len(members),
            "minimum": settings.OBSERVATORY_NETWORK_MINIMUM,
            "cards": indicator_cards(result.indicators) if result else [],
        },
    )
