"""Reads of the action plan, the indicators and the evaluation.

Access helpers (``*_get``) answer 404 for anything outside the association, whatever
exists elsewhere. The evaluation is built from a fixed number of queries, whatever
the number of indicators and measurements."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.associations.models import Module
from maillon.members.models import Person, Role
from maillon.metrics import registry

from ..engine.questionnaire import OBJECTIVES_QUESTION, SELF_RATING_QUESTION, load_questionnaire
from ..engine.scoring import level_label
from ..models import (
    Action,
    ActionStatus,
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticReminder,
    DiagnosticStatus,
    Indicator,
    IndicatorSource,
    Measurement,
)
from .charts import LineChart, line_chart
from .content import objective_labels

if TYPE_CHECKING:
    from maillon.associations.models import Association

# --- access helpers ------------------------------------------------------------------


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def action_get(*, association: Association, action_id: Any) -> Action:
    action = (
        Action.objects.filter(association=association, pk=_as_id(action_id))
        .select_related("owner")
        .first()
    )
    if action is None:
        raise Http404
    return action


def indicator_get(*, association: Association, indicator_id: Any) -> Indicator:
    indicator = (
        Indicator.objects.filter(association=association, pk=_as_id(indicator_id))
        .select_related("action")
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def measurement_get(
    *, association: Association, indicator: Indicator, measurement_id: Any
) -> Measurement:
    measurement = Measurement.objects.filter(
        association=association, indicator=indicator, pk=_as_id(measurement_id)
    ).first()
    if measurement is None:
        raise Http404
    return measurement


def completed_diagnostic_get(*, association: Association, diagnostic_id: Any) -> Diagnostic:
    """A completed diagnostic of ``association`` (recommendations come from one)."""
    diagnostic = Diagnostic.objects.filter(
        association=association, pk=_as_id(diagnostic_id), status=DiagnosticStatus.COMPLETED
    ).first()
    if diagnostic is None:
        raise Http404
    return diagnostic


def latest_completed_diagnostic(*, association: Association) -> Diagnostic | None:
    return (
        Diagnostic.objects.filter(association=association, status=DiagnosticStatus.COMPLETED)
        .order_by("-completed_at", "-id")
        .first()
    )


# --- the plan ------------------------------------------------------------------------


def owner_choices(*, association: Association, current: Person | None = None) -> QuerySet[Person]:
    """People who can own an action: the association's active people (and the
    current owner, so editing an action of someone who left does not lose them)."""
    condition = Q(left_on__isnull=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Person.objects.filter(condition, association=association).order_by(
        "last_name", "first_name", "id"
    )


def action_list(*, association: Association) -> QuerySet[Action]:
    return (
        Action.objects.filter(association=association)
        .select_related("owner")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.filter(association=association))
        )
        .order_by("due_date", "id")
    )


def is_overdue(action: Action, today: datetime.date) -> bool:
    return (
        action.due_date is not None
        and action.due_date < today
        and action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    )


@dataclass(frozen=True)
class PlanGroup:
    status: str
    label: str
    actions: list[Action]


def plan_groups(*, association: Association, today: datetime.date | None = None) -> list[PlanGroup]:
    """The plan's actions grouped by status (every status, even an empty one), each
    action marked ``overdue`` when its due date has passed and it is not finished,
    with the label of its objective in the reader's language."""
    today = today or timezone.localdate()
    objectives = objective_labels()
    by_status: dict[str, list[Action]] = {status: [] for status in ActionStatus.values}
    for action in action_list(association=association):
        action.overdue = is_overdue(action, today)
        action.objective_label = objectives.get(action.objective, action.objective)
        by_status[action.status].append(action)
    return [
        PlanGroup(status=value, label=str(label), actions=by_status[value])
        for value, label in ActionStatus.choices
    ]


# --- suggested indicators --------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSuggestion:
    """A way to measure an action. ``metric_code`` is set only when that metric is
    registered: before the module computing it exists, the suggestion is manual."""

    name: str
    unit: str
    metric_code: str = ""
    lower_is_better: bool = False

    @property
    def source(self) -> str:
        return IndicatorSource.METRIC if self.metric_code else IndicatorSource.MANUAL


@dataclass(frozen=True)
class _Idea:
    metric_code: str  # may be a metric no module publishes yet
    name: object  # lazy translation, used when the metric is not registered
    unit: object
    lower_is_better: bool = False


# Objective served (questionnaire ``objectives.ranking`` choices) -> ways to measure it.
SUGGESTIONS_BY_OBJECTIVE: dict[str, list[_Idea]] = {
    "mobilise_volunteers": [
        _Idea("volunteering.new_volunteers", _("New volunteers per quarter"), _("people")),
        _Idea("volunteering.hours", _("Volunteer hours per quarter"), _("hours")),
    ],
    "involve_members": [
        _Idea(
            "governance.ag_participation_rate",
            _("Participation rate at the general assembly"),
            "%",
        ),
    ],
    "make_known": [
        _Idea("", _("Visits of the public page per quarter"), _("visits")),
        _Idea("members.new", _("New members per quarter"), _("people")),
    ],
    "animate_network": [
        _Idea("communication.newsletter_open_rate", _("Newsletter open rate"), "%"),
    ],
    "manage_efficiently": [
        _Idea("members.up_to_date_share", _("Members up to date with their fee"), "%"),
        _Idea("", _("Hours spent on administration per month"), _("hours")),
    ],
    "work_together": [
        _Idea("", _("People using the shared tools"), _("people")),
    ],
    "raise_funds": [
        _Idea("", _("Funds raised online per year"), "€"),
    ],
    "serve_members": [
        _Idea("members.active", _("Active members"), _("people")),
    ],
}


# Some recommendations have a more precise measure than their objective's.
SUGGESTIONS_BY_RECOMMENDATION: dict[str, list[_Idea]] = {
    "answer_volunteers_quickly": [
        _Idea(
            "volunteering.median_response_hours",
            _("Days to answer a volunteer's application"),
            _("days"),
            True,
        ),
    ],
    "track_volunteer_hours": [
        _Idea("volunteering.hours", _("Volunteer hours per quarter"), _("hours")),
    ],
    "remote_ag_with_proxies": [
        _Idea(
            "governance.ag_participation_rate",
            _("Participation rate at the general assembly"),
            "%",
        ),
    ],
    "online_fees_and_donations": [
        _Idea("members.up_to_date_share", _("Members up to date with their fee"), "%"),
        _Idea("", _("Donations received online per year"), "€"),
    ],
    "simple_web_presence": [
        _Idea("", _("Visits of the public page per quarter"), _("visits")),
    ],
}


def suggested_indicators(
    *, objective: str, recommendation_code: str = ""
) -> list[IndicatorSuggestion]:
    """Ways to measure an action: those of its recommendation first, then those of
    the objective it serves. A metric no module publishes yet becomes an indicator
    entered by hand."""
    ideas = SUGGESTIONS_BY_RECOMMENDATION.get(
        recommendation_code, []
    ) + SUGGESTIONS_BY_OBJECTIVE.get(objective, [])
    suggestions: list[IndicatorSuggestion] = []
    for idea in ideas:
        metric = registry.get(idea.metric_code) if idea.metric_code else None
        if metric is not None:
            suggestion = IndicatorSuggestion(
                name=str(metric.label),
                unit=str(metric.unit),
                metric_code=metric.code,
                lower_is_better=metric.lower_is_better,
            )
        else:
            suggestion = IndicatorSuggestion(
                name=str(idea.name), unit=str(idea.unit), lower_is_better=idea.lower_is_better
            )
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions


def metric_choices() -> list[tuple[str, str]]:
    """The metrics Maillon can compute now: only the registered ones."""
    return [(metric.code, str(metric.label)) for metric in registry.all_metrics()]


# --- evaluation ------------------------------------------------------------------------


def progress_toward_target(
    *, value: Decimal, baseline: Decimal, target: Decimal, lower_is_better: bool = False
) -> int:
    """Share of the way from the baseline to the target, in percent (100 = target
    reached; below 0 = moved away; above 100 = beyond). When the target equals the
    baseline, it is reached or not, in the direction that is better."""
    if target == baseline:
        reached = value <= target if lower_is_better else value >= target
        return 100 if reached else 0
    return round((value - baseline) / (target - baseline) * 100)


def target_reached(*, value: Decimal, target: Decimal, lower_is_better: bool) -> bool:
    return value <= target if lower_is_better else value >= target


@dataclass(frozen=True)
class EvaluationRow:
    pk: int
    date: datetime.date
    value: Decimal
    progress: int | None
    is_automatic: bool
    note: str


@dataclass(frozen=True)
class IndicatorEvaluation:
    indicator: Indicator
    baseline: Decimal | None  # the indicator's, or its first measurement's
    rows: list[EvaluationRow]
    chart: LineChart

    @property
    def latest(self) -> EvaluationRow | None:
        return self.rows[-1] if self.rows else None

    @property
    def reached(self) -> bool:
        latest = self.latest
        return latest is not None and target_reached(
            value=latest.value,
            target=self.indicator.target,
            lower_is_better=self.indicator.lower_is_better,
        )


def evaluate_indicator(
    indicator: Indicator, measurements: list[Measurement]
) -> IndicatorEvaluation:
    measurements = sorted(measurements, key=lambda m: (m.date, m.pk))
    baseline = indicator.baseline
    if baseline is None and measurements:
        baseline = measurements[0].value
    rows = [
        EvaluationRow(
            pk=m.pk,
            date=m.date,
            value=m.value,
            progress=None
            if baseline is None
            else progress_toward_target(
                value=m.value,
                baseline=baseline,
                target=indicator.target,
                lower_is_better=indicator.lower_is_better,
            ),
            is_automatic=m.is_automatic,
            note=m.note,
        )
        for m in measurements
    ]
    chart = line_chart(
        measurements=[(m.date, m.value) for m in measurements],
        target=indicator.target,
        baseline=indicator.baseline,
        target_date=indicator.target_date,
    )
    return IndicatorEvaluation(indicator=indicator, baseline=baseline, rows=rows, chart=chart)


def indicator_list(*, association: Association) -> QuerySet[Indicator]:
    """Indicators with their action and their measurements (one query each)."""
    return (
        Indicator.objects.filter(association=association)
        .select_related("action__owner")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(association=association).order_by("date", "id"),
            )
        )
        .order_by("action__title", "action_id", "id")
    )


def indicator_evaluations(*, association: Association) -> list[IndicatorEvaluation]:
    return [
        evaluate_indicator(indicator, list(indicator.measurements.all()))
        for indicator in indicator_list(association=association)
    ]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def action_status_counts(*, association: Association) -> list[StatusCount]:
    """Number of actions per status, every status listed (aggregated in the database)."""
    counts = Counter(
        dict(
            Action.objects.filter(association=association)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    return [StatusCount(value, str(label), counts[value]) for value, label in ActionStatus.choices]


def indicator_with_measurements(
    *, association: Association, indicator_id: Any
) -> IndicatorEvaluation:
    """One indicator of ``association`` (or 404) with its evaluation."""
    indicator = indicator_list(association=association).filter(pk=_as_id(indicator_id)).first()
    if indicator is None:
        raise Http404
    return evaluate_indicator(indicator, list(indicator.measurements.all()))


# --- the strategy document --------------------------------------------------------------


@dataclass(frozen=True)
class DomainLine:
    title: str
    score: int
    level: str


@dataclass(frozen=True)
class DiagnosticSummary:
    diagnostic: Diagnostic
    overall: int
    level: str
    self_rating: str  # "" when the association gave none
    domains: list[DomainLine]
    objectives: list[str]  # labels, most important first


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    latest: Measurement | None


@dataclass(frozen=True)
class StrategyDocument:
    association: Association
    summary: DiagnosticSummary | None
    actions: list[Action]
    indicators: list[IndicatorLine]


def diagnostic_summary(*, diagnostic: Diagnostic, language: str) -> DiagnosticSummary:
    """The frozen results of a completed diagnostic, worded with the questionnaire
    version it was taken with; its objectives as the association ranked them."""
    questionnaire = load_questionnaire(diagnostic.questionnaire_version)
    scores = diagnostic.scores or {}
    answers = dict(
        DiagnosticAnswer.objects.filter(
            association_id=diagnostic.association_id,
            diagnostic=diagnostic,
            question_id__in=[OBJECTIVES_QUESTION, SELF_RATING_QUESTION],
        ).values_list("question_id", "value")
    )
    frozen = scores.get("domains") or {}
    domains = [
        DomainLine(
            title=questionnaire.domain_title(code, language),
            score=int(frozen[code].get("score", 0)),
            level=level_label(frozen[code].get("level", ""), language),
        )
        for code in questionnaire.domains
        if code in frozen
    ]
    objectives_question = questionnaire.question(OBJECTIVES_QUESTION)
    ranked = answers.get(OBJECTIVES_QUESTION) or []
    objectives = [
        objectives_question.choice_label(value, language)
        for value in (ranked if isinstance(ranked, list) else [])
        if objectives_question is not None and objectives_question.choice(value) is not None
    ]
    rating = scores.get("self_rating") or answers.get(SELF_RATING_QUESTION) or ""
    return DiagnosticSummary(
        diagnostic=diagnostic,
        overall=int(scores.get("overall", 0)),
        level=level_label(scores.get("level", ""), language) if scores.get("level") else "",
        self_rating=level_label(rating, language) if isinstance(rating, str) and rating else "",
        domains=domains,
        objectives=objectives,
    )


def strategy_document(*, association: Association, language: str) -> StrategyDocument:
    """What the strategy document shows: the latest completed diagnostic (if any),
    the plan and its indicators with their latest value."""
    diagnostic = latest_completed_diagnostic(association=association)
    summary = diagnostic_summary(diagnostic=diagnostic, language=language) if diagnostic else None
    today = timezone.localdate()
    order = {status: n for n, status in enumerate(ActionStatus.values)}
    actions = sorted(
        action_list(association=association),
        key=lambda a: (order[a.status], a.due_date or datetime.date.max, a.pk),
    )
    labels = objective_labels(language=language)
    for action in actions:
        action.overdue = is_overdue(action, today)
        action.objective_label = labels.get(action.objective, action.objective)
    indicators = []
    for indicator in indicator_list(association=association):
        measurements = list(indicator.measurements.all())
        latest = measurements[-1] if measurements else None
        indicators.append(IndicatorLine(indicator=indicator, latest=latest))
    return StrategyDocument(
        association=association, summary=summary, actions=actions, indicators=indicators
    )


# --- yearly reminder ----------------------------------------------------------------------

REMINDER_AFTER = datetime.timedelta(days=365)


def diagnostics_due_for_reminder_across_associations(
    *, now: datetime.datetime | None = None
) -> list[Diagnostic]:
    """Across associations (the periodic task's work list): each association's latest
    completed diagnostic when it is more than a year old and its reminder has not
    been sent, for associations using the strategy module."""
    now = now or timezone.now()
    with scopes_disabled():
        latest = (
            Diagnostic.objects.filter(
                association=OuterRef("association"), status=DiagnosticStatus.COMPLETED
            )
            .order_by("-completed_at", "-id")
            .values("pk")[:1]
        )
        due = (
            Diagnostic.objects.filter(
                status=DiagnosticStatus.COMPLETED, completed_at__lte=now - REMINDER_AFTER
            )
            .filter(pk=Subquery(latest))
            .exclude(Exists(DiagnosticReminder.objects.filter(diagnostic=OuterRef("pk"))))
            .select_related("association")
            .order_by("id")
        )
        return [d for d in due if d.association.has_module(Module.STRATEGY)]


def reminder_recipients(*, association: Association) -> list[Person]:
    """Who is reminded: active administrators, presidents and secretaries with an
    account and an email address (with their user, for the language)."""
    return list(
        Person.objects.filter(
            association=association,
            left_on__isnull=True,
            user__isnull=False,
            user__is_active=True,
            role_assignments__role__in=[Role.ADMIN, Role.PRESIDENT, Role.SECRETARY],
        )
        .exclude(user__email="")
        .select_related("user")
        .distinct()
        .order_by("id")
    )
