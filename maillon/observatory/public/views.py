"""Public pages of the observatory: the latest wave, any published wave, its
methodology, the trends, the open data. Everything here is published data only."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..indicators.mapping import load_mapping
from . import selectors
from .charts import TrendRow, trends_svg
from .exports import dictionary_csv, wave_csv, wave_xlsx
from .labels import language, percent
from .presentation import breakdown_tables, methodology, wave_cards


def _wave_context(wave) -> dict:
    cards = wave_cards(wave)
    breakdowns = {
        entry["code"]: breakdown_tables(entry)
        for entry in wave.results.get("indicators", [])
        if not entry.get("suppressed")
    }
    for card in cards:
        for row in card.rows:
            row.raw["tables"] = breakdowns.get(row.code, [])
    return {
        "wave": wave,
        "cards": cards,
        "weighting": wave.weighting,
        "waves": selectors.published_waves(),
        "source_label": load_mapping(wave.mapping_version).source_label,
    }


@require_safe
def index(request):
    wave = selectors.latest_published_wave()
    if wave is None:
        return render(request, "observatory/empty.html")
    return render(request, "observatory/wave.html", {**_wave_context(wave), "is_latest": True})


@require_safe
def wave_detail(request, year):
    wave = selectors.published_wave_get(year=year)
    return render(request, "observatory/wave.html", _wave_context(wave))


@require_safe
def wave_methodology(request, year):
    wave = selectors.published_wave_get(year=year)
    return render(
        request,
        "observatory/methodology.html",
        {"wave": wave, **methodology(wave), "min_cell": wave.min_cell},
    )


@require_safe
def trends(request):
    years, series = selectors.trends()
    lang = language()
    mapping = load_mapping()
    rows = []
    chart_rows = []
    for indicator in mapping.indicators:
        by_year = series.get(indicator.code, {})
        chart_rows.append(
            TrendRow(
                label=indicator.label[lang],
                shares=[
                    None
                    if year not in by_year or by_year[year].get("suppressed")
                    else by_year[year].get("share")
                    for year in years
                ],
            )
        )
        rows.append(
            {
                "label": indicator.label[lang],
                "values": [
                    "—"
                    if year not in by_year or by_year[year].get("suppressed")
                    else percent(by_year[year]["share"])
                    for year in years
                ],
            }
        )
    chart = (
        trends_svg(
            rows=chart_rows,
            years=years,
            title=_("Weighted share of each indicator, wave by wave"),
            description=_(
                "One line per indicator, from the oldest wave (hollow dot) to the latest "
                "(filled dot), on a scale of 0 to 100 percent. The table below gives the "
                "same figures."
            ),
            chart_id="observatory-trends",
        )
        if years
        else ""
    )
    return render(
        request, "observatory/trends.html", {"years": years, "rows": rows, "chart": chart}
    )


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def wave_download_csv(request, year):
    wave = selectors.published_wave_get(year=year)
    return _download(wave_csv(wave), "text/csv; charset=utf-8", f"observatoire-{wave.year}.csv")


@require_safe
def wave_download_xlsx(request, year):
    wave = selectors.published_wave_get(year=year)
    return _download(
        wave_xlsx(wave),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"observatoire-{wave.year}.xlsx",
    )


@require_safe
def data_dictionary(request):
    return _download(dictionary_csv(), "text/csv; charset=utf-8", "observatoire-dictionnaire.csv")
