"""Words of the published tables in the reader's language: categories of the
breakdowns (from the questionnaire and the regions' reference list), percentages."""

from __future__ import annotations

from functools import cache

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from maillon.strategy.engine.questionnaire import load_questionnaire
from maillon.taxonomy.models import Region


def language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def percent(share: float | None, digits: int = 0) -> str:
    if share is None:
        return "—"
    value = formats.number_format(round(share * 100, digits), digits, use_l10n=True)
    return pgettext("percentage", "%(value)s%%") % {"value": value}


@cache
def _region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def category_label(variable: str, category: str) -> str:
    if category == "unknown":
        return _("Not stated")
    if variable == "region":
        return _region_names().get(category, category)
    question_id = {"size_band": "profile.size_band", "sector": "profile.sector"}.get(variable)
    question = load_questionnaire(1).question(question_id) if question_id else None
    if question is None or question.choice(category) is None:
        return category
    return question.choice_label(category, language())


def variable_label(variable: str) -> str:
    return {
        "size_band": _("Size (employees)"),
        "sector": _("Sector"),
        "region": _("Region"),
    }.get(variable, variable)
