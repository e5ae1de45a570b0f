"""The observatory's published waves: public and read-only, like /observatory/."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from maillon.observatory.models import Wave
from maillon.observatory.public.selectors import published_wave_get, published_waves

from ...schemas.common import ErrorOut
from ...schemas.observatory.waves import WaveDetailOut, WaveOut

router = Router(tags=["observatory"])


def _wave(wave: Wave) -> dict:
    return {
        "year": wave.year,
        "published_at": wave.published_at,
        "questionnaire_version": wave.results.get("questionnaire_version"),
        "mapping_version": wave.mapping_version,
        "min_cell": wave.min_cell,
        "weighting": wave.weighting,
    }


@router.get(
    "/observatory/waves",
    auth=None,
    response={200: list[WaveOut]},
    operation_id="observatory_waves",
    summary="Published waves of the observatory",
    description="No token needed. Newest first, with each wave's weighting report.",
)
def observatory_waves(request: HttpRequest):
    return [_wave(w) for w in published_waves()]


@router.get(
    "/observatory/waves/{year}",
    auth=None,
    response={200: WaveDetailOut, 404: ErrorOut},
    operation_id="observatory_wave",
    summary="A published wave and its indicators",
    description="No token needed. Weighted shares with their 95 % interval, the national "
    "figure of the nearest edition, the breakdowns by size, sector and region with "
    "suppression applied. 404 for a year without a published wave.",
)
def observatory_wave(request: HttpRequest, year: int):
    wave = published_wave_get(year=year)
    return {**_wave(wave), "indicators": wave.results.get("indicators", [])}
