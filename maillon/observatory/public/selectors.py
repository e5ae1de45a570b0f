"""Reads of the published observatory: waves, their tables, the trends. Only
published waves are ever read here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ..models import Wave, WaveStatus


def published_waves() -> QuerySet[Wave]:
    return Wave.objects.filter(status=WaveStatus.PUBLISHED, network__isnull=True).order_by("-year")


def latest_published_wave() -> Wave | None:
    return published_waves().first()


def published_wave_get(*, year: object) -> Wave:
    """Access helper: the published wave of ``year`` or 404."""
    try:
        year_number = int(str(year))
    except ValueError:
        raise Http404 from None
    wave = published_waves().filter(year=year_number).first()
    if wave is None:
        raise Http404
    return wave


def trends() -> tuple[list[int], dict[str, dict[int, dict]]]:
    """Years of the published waves (oldest first) and, per indicator code, its
    published entry of each year."""
    waves = list(published_waves().order_by("year").only("year", "results"))
    series: dict[str, dict[int, dict]] = {}
    for wave in waves:
        for entry in wave.results.get("indicators", []):
            series.setdefault(entry["code"], {})[wave.year] = entry
    return [w.year for w in waves], series
