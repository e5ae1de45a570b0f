"""{% response_stats association %}: an association's public response rate and median
response time to applications of the last 12 months (nothing below 3 applications)."""

from __future__ import annotations

import datetime
import math

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.associations.models import Module
from maillon.volunteering.applications.selectors import ResponseStats
from maillon.volunteering.applications.selectors import response_stats as compute_stats

register = template.Library()

MINIMUM_APPLICATIONS = 3


def response_delay_text(median: datetime.timedelta) -> str:
    hours = median.total_seconds() / 3600
    if hours <= 1:
        return _("usually within an hour")
    if hours < 24:
        count = math.ceil(hours)
        return ngettext(
            "usually within %(count)s hour", "usually within %(count)s hours", count
        ) % {"count": count}
    count = math.ceil(hours / 24)
    return ngettext("usually within %(count)s day", "usually within %(count)s days", count) % {
        "count": count
    }


def response_stats_text(stats: ResponseStats) -> str:
    if stats.applications < MINIMUM_APPLICATIONS:
        return ""
    rate = _("Answers %(rate)s%% of applications") % {"rate": stats.rate}
    if stats.median is None:
        return rate
    return _("%(rate)s, %(delay)s") % {"rate": rate, "delay": response_delay_text(stats.median)}


@register.inclusion_tag("volunteering/partials/response_stats.html")
def response_stats(association, stats: ResponseStats | None = None):
    """``stats`` may be given when the page has already computed them."""
    if association is None or not association.has_module(Module.VOLUNTEERING):
        return {"text": ""}
    stats = stats if stats is not None else compute_stats(association)
    return {"text": response_stats_text(stats), "stats": stats}
