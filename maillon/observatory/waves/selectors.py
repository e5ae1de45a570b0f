"""Reads of the waves for their management and for the consent question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.http import Http404

from ..models import AnonymousOptIn, Wave, WaveConsent, WaveStatus

if TYPE_CHECKING:
    from maillon.associations.models import Association


def open_wave() -> Wave | None:
    return Wave.objects.filter(status=WaveStatus.OPEN, network__isnull=True).first()


def waves_for_staff() -> QuerySet[Wave]:
    return (
        Wave.objects.filter(network__isnull=True)
        .annotate(snapshot_count=Count("snapshots"))
        .order_by("-year")
    )


def open_wave_get(*, year: object) -> Wave:
    try:
        wave = Wave.objects.filter(
            status=WaveStatus.OPEN, network__isnull=True, year=int(str(year))
        ).first()
    except ValueError:
        raise Http404 from None
    if wave is None:
        raise Http404
    return wave


def consent_of(*, association: Association, wave: Wave) -> bool:
    return WaveConsent.objects.filter(association=association, wave=wave, consented=True).exists()


def public_opted_in(*, token: str) -> bool:
    return AnonymousOptIn.objects.filter(token=token).exists()
