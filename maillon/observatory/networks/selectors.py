"""A network's own observatory, computed from a set of member associations.

The networks module (``/n/<slug>/observatory/``, for network staff) calls
``network_observatory_across_associations(association_ids=...)`` with its member
associations' ids. Only associations that consented to the latest wave count, with
their latest diagnostic of the last twelve months; figures are unweighted (a network
has no population margins), under the same suppression as the published waves; and
nothing at all is computed for a network smaller than
``settings.OBSERVATORY_NETWORK_MINIMUM`` associations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.strategy.diagnostic.selectors import (
    latest_completed_diagnostics_across_associations,
)

from ..indicators.engine import BREAKDOWNS, Unit, compute_indicators
from ..indicators.mapping import load_mapping
from ..models import Wave, WaveConsent, WaveStatus
from ..waves.collect import LOOKBACK


@dataclass(frozen=True)
class NetworkObservatory:
    wave_year: int
    members: int
    counted: int
    indicators: list[dict[str, Any]]


def network_observatory_across_associations(
    *, association_ids: Iterable[int], minimum: int | None = None
) -> NetworkObservatory | None:
    """``None`` below the minimum size or without any wave."""
    ids = set(association_ids)
    minimum = settings.OBSERVATORY_NETWORK_MINIMUM if minimum is None else minimum
    wave = Wave.objects.filter(network__isnull=True).order_by("-year").first()
    if len(ids) < minimum or wave is None:
        return None
    with scopes_disabled():
        consenting = set(
            WaveConsent.objects.filter(
                wave=wave, consented=True, association_id__in=ids
            ).values_list("association_id", flat=True)
        )
    diagnostics = latest_completed_diagnostics_across_associations(
        association_ids=consenting, since=timezone.now() - LOOKBACK
    )
    places = {
        pk: (region or "unknown", sector or "unknown")
        for pk, region, sector in Association.objects.filter(pk__in=diagnostics).values_list(
            "pk", "department__region__code", "sector__code"
        )
    }
    mapping = load_mapping()
    units = [
        Unit(
            {
                "size_band": str(d.answers.get("profile.size_band") or "unknown"),
                "sector": str(d.answers.get("profile.sector") or places[pk][1]),
                "region": places[pk][0],
            },
            d.answers,
        )
        for pk, d in diagnostics.items()
        if d.questionnaire_version == mapping.questionnaire_version and pk in places
    ]
    categories = {v: sorted({u.profile[v] for u in units}) for v in BREAKDOWNS}
    return NetworkObservatory(
        wave_year=wave.year,
        members=len(ids),
        counted=len(units),
        indicators=compute_indicators(
            units,
            mapping,
            year=wave.year,
            min_cell=settings.OBSERVATORY_MIN_CELL,
            categories=categories,
        ),
    )


def network_waves(*, network_id: int) -> list[Wave]:
    """The network's own waves, the latest first."""
    return list(Wave.objects.filter(network_id=network_id).order_by("-year"))


def network_wave_get(*, network_id: int, year: object) -> Wave:
    from django.http import Http404

    try:
        wave = Wave.objects.filter(network_id=network_id, year=int(str(year))).first()
    except ValueError:
        raise Http404 from None
    if wave is None:
        raise Http404
    return wave


def latest_published_network_wave(*, network_id: int) -> Wave | None:
    return (
        Wave.objects.filter(network_id=network_id, status=WaveStatus.PUBLISHED)
        .order_by("-year")
        .first()
    )
