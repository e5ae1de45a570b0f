"""The engagement dashboard: from mission views to volunteers still active."""

from __future__ import annotations

import math

from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from maillon.associations.models import Module
from maillon.core.tenancy import association_required
from maillon.members.permissions import Perm

from ..hours.formatting import hours_text
from . import selectors
from .charts import Bar, columns_svg, horizontal_bars_svg
from .forms import PeriodForm, last_twelve_months


def _hours_text(delta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return _("less than an hour")
    if hours < 48:
        return _("%(hours)s h") % {"hours": hours_text(round(hours, 1))}
    days = round(hours / 24, 1)
    # A fraction of a day reads as a plural ("1,5 jours", "1.5 days"): ceil picks the form.
    return ngettext("%(days)s day", "%(days)s days", math.ceil(days)) % {"days": hours_text(days)}


@association_required(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
@require_safe
def dashboard(request, association_slug):
    default = last_twelve_months()
    form = PeriodForm(request.GET or None)
    start, end = form.period(default)
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    data = selectors.engagement_dashboard(association=request.association, start=start, end=end)
    funnel = data.funnel
    funnel_bars = [
        Bar(_("Mission page views"), funnel.views),
        Bar(_("Applications"), funnel.applications),
        Bar(_("Accepted"), funnel.accepted),
        Bar(_("Still active after 90 days"), funnel.retained),
    ]
    month_label = lambda m: formats.date_format(m, "M y")  # noqa: E731
    charts = {
        "funnel": horizontal_bars_svg(
            bars=funnel_bars,
            title=_("From mission views to volunteers still active"),
            description=_(
                "Mission page views: %(views)s; applications: %(applications)s; accepted: "
                "%(accepted)s; still active after 90 days: %(retained)s."
            )
            % {
                "views": funnel.views,
                "applications": funnel.applications,
                "accepted": funnel.accepted,
                "retained": funnel.retained,
            },
            chart_id="chart-funnel",
        ),
        "sources": horizontal_bars_svg(
            bars=[Bar(row.label, row.accepted) for row in data.sources if row.accepted],
            title=_("Accepted volunteers by source"),
            description=_(
                "Where the accepted volunteers came from; the table below has the figures."
            ),
            chart_id="chart-sources",
        ),
        "volunteers": columns_svg(
            columns=[Bar(month_label(row.month), row.volunteers) for row in data.months],
            title=_("Active volunteers per month"),
            description=_(
                "People with validated hours, month by month; the table below has the figures."
            ),
            chart_id="chart-volunteers",
            whole_numbers=True,
        ),
        "hours": columns_svg(
            columns=[Bar(month_label(row.month), float(row.hours)) for row in data.months],
            title=_("Validated hours per month"),
            description=_(
                "Validated volunteer hours, month by month; the table below has the figures."
            ),
            chart_id="chart-hours",
        ),
    }
    return render(
        request,
        "volunteering/dashboard.html",
        {
            "form": form,
            "data": data,
            "funnel": funnel,
            "charts": charts,
            "median_text": _hours_text(data.median_response) if data.median_response else None,
            "retention_days": selectors.RETENTION_DAYS,
        },
    )
