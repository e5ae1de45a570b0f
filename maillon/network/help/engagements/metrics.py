"""The engagements' indicator in the metrics registry (registered by the network
app's config, beside those of ``pooling/metrics.py``): how fast the association
answers the helpers who offer on its help requests."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from maillon.associations.models import Association
from maillon.metrics.registry import Metric, get, register

from .selectors import response_stats


def help_response_hours(
    association: Association, start: datetime.date, end: datetime.date
) -> float | None:
    """Median hours between an offer made in the period and the association's
    first answer, over the offers answered; None without any."""
    return response_stats(association=association, start=start, end=end).median_hours


def register_engagement_metrics() -> None:
    metric = Metric(
        code="network.help_response_hours",
        label=_("Median time to answer an offer of help"),
        unit=_("hours"),
        compute=help_response_hours,
        kind="stock",
        lower_is_better=True,
        description=_(
            "Median time between a helper’s offer on a help request and the association’s "
            "first answer, for the offers of the period that got one."
        ),
    )
    if get(metric.code) is None:
        register(metric)
