"""Blocks of the observatory on the diagnostic's results pages (loaded by their
templates, so that the strategy module needs no import of the observatory): the
consent question, the anonymous opt-in, and "you / associations like you / national"."""

from __future__ import annotations

from typing import Any

from django import template

from maillon.members.permissions import Perm
from maillon.strategy.diagnostic.selectors import diagnostic_answers

from ..indicators.mapping import evaluate, load_mapping
from ..public.labels import category_label, language, percent
from ..public.selectors import latest_published_wave
from ..waves.forms import OptInForm
from ..waves.selectors import consent_of, open_wave, public_opted_in

register = template.Library()


@register.inclusion_tag("observatory/partials/consent.html", takes_context=True)
def observatory_consent(context) -> dict[str, Any]:
    request = context["request"]
    association = getattr(request, "association", None)
    wave = open_wave()
    allowed = Perm.MANAGE_STRATEGY in getattr(request, "permissions", ())
    return {
        "wave": wave if association is not None and allowed else None,
        "association": association,
        "consented": bool(wave and association and consent_of(association=association, wave=wave)),
        "next": request.path,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("observatory/partials/opt_in.html", takes_context=True)
def observatory_opt_in(context, token: str) -> dict[str, Any]:
    return {
        "token": token,
        "opted_in": public_opted_in(token=token),
        "form": OptInForm(),
        "csrf_token": context.get("csrf_token"),
    }


def comparison_rows(answers: dict[str, Any]) -> dict[str, Any] | None:
    """For each published indicator: this association's answer, the weighted share of
    associations of the same size in the latest wave, and the national figure."""
    wave = latest_published_wave()
    if wave is None:
        return None
    lang = language()
    mapping = load_mapping(wave.mapping_version)
    rules = {i.code: i.rule for i in mapping.indicators}
    size_band = str(answers.get("profile.size_band") or "unknown")
    rows = []
    for entry in wave.results.get("indicators", []):
        if entry["code"] not in rules:
            continue
        held = evaluate(rules[entry["code"]], answers)
        cells = {c["category"]: c for c in entry.get("breakdowns", {}).get("size_band", [])}
        like = cells.get(size_band)
        national = entry.get("national") or {}
        rows.append(
            {
                "label": entry["label"][lang],
                "you": held,
                "like_you": percent(like["share"]) if like and not like["suppressed"] else "—",
                "network": "—" if entry.get("suppressed") else percent(entry["share"]),
                "national": percent(national["value"]) if national else "—",
                "edition": national.get("edition"),
            }
        )
    return {"wave": wave, "rows": rows, "size_label": category_label("size_band", size_band)}


@register.inclusion_tag("observatory/partials/compare.html")
def observatory_compare(diagnostic=None, answers=None) -> dict[str, Any]:
    if answers is None and diagnostic is not None:
        answers = diagnostic_answers(diagnostic=diagnostic)
    return {"comparison": comparison_rows(dict(answers or {}))}
