"""Which indicators a network sees for each data family, read through the metrics
registry (never the modules' models): one column per metric."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import DataFamily


@dataclass(frozen=True)
class Column:
    code: str  # metric code
    family: str
    label: str
    # "year": over the last 12 months; "now": a stock at today.
    period: str = "now"


COLUMNS: tuple[Column, ...] = (
    Column("members.active", DataFamily.MEMBERS, _("Active members")),
    Column("members.up_to_date_share", DataFamily.MEMBERS, _("Fees up to date (%)")),
    Column(
        "governance.days_since_general_assembly",
        DataFamily.GOVERNANCE,
        _("Last general assembly"),
    ),
    Column(
        "governance.ag_participation_rate",
        DataFamily.GOVERNANCE,
        _("General assembly participation (%)"),
        period="year",
    ),
    Column(
        "volunteering.active_volunteers",
        DataFamily.VOLUNTEERING,
        _("Active volunteers (12 months)"),
        period="year",
    ),
    Column("volunteering.hours", DataFamily.VOLUNTEERING, _("Volunteer hours (12 months)"), "year"),
    Column("strategy.diagnostic_score", DataFamily.DIAGNOSTIC, _("Diagnostic score")),
    Column("strategy.days_since_diagnostic", DataFamily.DIAGNOSTIC, _("Latest diagnostic")),
    Column("strategy.plan_progress", DataFamily.PLAN, _("Plan actions done (%)")),
)

#: Columns shown as a date (the metric counts days back from today).
DATE_COLUMNS = {"governance.days_since_general_assembly", "strategy.days_since_diagnostic"}
DIAGNOSTIC_SCORE = "strategy.diagnostic_score"
DIAGNOSTIC_AGE = "strategy.days_since_diagnostic"
