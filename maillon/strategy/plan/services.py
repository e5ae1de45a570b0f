"""Writes of the action plan, its indicators and their measurements.

Every service takes keyword-only arguments with ``association=`` and ``actor=``,
checks the permission, refuses objects of another association (as "not found"),
validates the model, and writes one audit entry in its transaction."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission
from maillon.metrics import registry

from ..models import (
    Action,
    ActionStatus,
    Diagnostic,
    DiagnosticReminder,
    DiagnosticStatus,
    Indicator,
    IndicatorSource,
    Measurement,
)
from .content import objective_codes, rule_for
from .selectors import reminder_recipients

if TYPE_CHECKING:
    from maillon.accounts.models import User
    from maillon.associations.models import Association


def _can_manage(association: Association, actor: User) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)


def _check_owner(
    association: Association, owner: Person | None, *, previous: Person | None = None
) -> None:
    if owner is None:
        return
    ensure_same_association(association, owner)
    if owner.left_on is not None and (previous is None or owner.pk != previous.pk):
        raise ValidationError({"owner": _("%(name)s has left the association.") % {"name": owner}})


def _check_objective(objective: str) -> None:
    if objective and objective not in objective_codes():
        raise ValidationError({"objective": _("Choose an objective of the list.")})


# --- actions ---------------------------------------------------------------------------

ACTION_FIELDS = ("title", "description", "objective", "owner", "due_date", "notes")


def _already_adopted_error() -> ValidationError:
    # Translated when raised, in the language of the person acting.
    return ValidationError(
        _(
            "This recommendation is already in your action plan. Change the existing "
            "action, or drop it first to adopt the recommendation again."
        ),
        code="recommendation_adopted_once",
    )


def _save_new_action(action: Action) -> None:
    """Save, answering the "adopted once" constraint with a readable error even when
    two people adopt the same recommendation at the same moment."""
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError as error:
        if action.recommendation_code:
            raise _already_adopted_error() from error
        raise


@transaction.atomic
def action_adopt(
    *,
    association: Association,
    actor: User,
    diagnostic: Diagnostic,
    recommendation_code: str,
    language: str | None = None,
) -> Action:
    """Put a recommendation of a completed diagnostic in the plan, worded in the
    language of the person adopting it. A recommendation is in the plan once."""
    _can_manage(association, actor)
    ensure_same_association(association, diagnostic)
    if diagnostic.status != DiagnosticStatus.COMPLETED:
        raise ValidationError(_("Only a completed diagnostic gives recommendations."))
    language = language or translation.get_language() or "fr"
    rule = rule_for(version=diagnostic.questionnaire_version, code=recommendation_code)
    if rule is None:
        raise ValidationError(_("This recommendation does not exist."))
    if (
        Action.objects.filter(association=association, recommendation_code=rule.code)
        .exclude(status=ActionStatus.DROPPED)
        .exists()
    ):
        raise _already_adopted_error()
    action = Action(
        association=association,
        diagnostic=diagnostic,
        recommendation_code=rule.code,
        title=rule.title(language)[:200],
        description=rule.why(language),
        objective=rule.objectives[0] if rule.objectives else "",
        created_by=actor,
    )
    action.full_clean(exclude=["association", "diagnostic", "created_by", "owner"])
    _save_new_action(action)
    audit_log(
        association=association,
        actor=actor,
        action="strategy.action_adopted",
        obj=action,
        data={"recommendation": rule.code, "diagnostic": diagnostic.pk},
    )
    return action


@transaction.atomic
def action_create(
    *,
    association: Association,
    actor: User,
    title: str,
    description: str = "",
    objective: str = "",
    owner: Person | None = None,
    due_date: datetime.date | None = None,
    notes: str = "",
) -> Action:
    """An action the association writes itself."""
    _can_manage(association, actor)
    _check_owner(association, owner)
    _check_objective(objective)
    action = Action(
        association=association,
        title=title,
        description=description,
        objective=objective,
        owner=owner,
        due_date=due_date,
        notes=notes,
        created_by=actor,
    )
    action.full_clean(exclude=["association", "diagnostic", "created_by"])
    action.save()
    audit_log(
        association=association,
        actor=actor,
        action="strategy.action_created",
        obj=action,
        data={"title": action.title},
    )
    return action


@transaction.atomic
def action_update(
    *, association: Association, actor: User, action: Action, **fields: Any
) -> Action:
    """Change an action's wording, objective, owner, due date or notes."""
    _can_manage(association, actor)
    ensure_same_association(association, action)
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
    )
    data = {k: v for k, v in fields.items() if k in ACTION_FIELDS}
    if "owner" in data:
        _check_owner(association, data["owner"], previous=action.owner)
    if "objective" in data:
        _check_objective(data["objective"])
    changes = apply_changes(action, data)
    action.full_clean(exclude=["association", "diagnostic", "created_by"])
    if changes:
        action.save(update_fields=[*changes, "updated_at"])
        audit_log(
            association=association,
            actor=actor,
            action="strategy.action_updated",
            obj=action,
            data={"changes": changes},
        )
    return action


@transaction.atomic
def action_set_status(
    *, association: Association, actor: User, action: Action, status: str
) -> Action:
    _can_manage(association, actor)
    ensure_same_association(association, action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status of the list.")})
    action = Action.objects.select_for_update().get(pk=action.pk)
    previous = action.status
    if previous == status:
        return action
    if (
        previous == ActionStatus.DROPPED
        and action.recommendation_code
        and Action.objects.filter(
            association=association, recommendation_code=action.recommendation_code
        )
        .exclude(pk=action.pk)
        .exclude(status=ActionStatus.DROPPED)
        .exists()
    ):
        # The recommendation was adopted again after this action was dropped.
        raise _already_adopted_error()
    action.status = status
    action.full_clean(exclude=["association", "diagnostic", "created_by", "owner"])
    action.save(update_fields=["status", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="strategy.action_status_changed",
        obj=action,
        data={"from": previous, "to": status},
    )
    return action


# --- indicators ------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "name",
    "unit",
    "source",
    "metric_code",
    "baseline",
    "target",
    "target_date",
    "lower_is_better",
)


def _fill_from_metric(indicator: Indicator) -> registry.Metric | None:
    """For an indicator computed by Maillon: check the metric exists and take its
    name and unit when none was given."""
    if indicator.source != IndicatorSource.METRIC:
        indicator.metric_code = ""
        return None
    metric = registry.get(indicator.metric_code)
    if metric is None:
        raise ValidationError(
            {"metric_code": _("Maillon cannot compute this indicator on this instance.")}
        )
    if not indicator.name:
        indicator.name = str(metric.label)[:200]
    if not indicator.unit:
        indicator.unit = str(metric.unit)[:50]
    return metric


@transaction.atomic
def indicator_create(
    *,
    association: Association,
    actor: User,
    action: Action,
    target: Decimal,
    name: str = "",
    unit: str = "",
    source: str = IndicatorSource.MANUAL,
    metric_code: str = "",
    baseline: Decimal | None = None,
    target_date: datetime.date | None = None,
    lower_is_better: bool | None = None,
    today: datetime.date | None = None,
) -> Indicator:
    """How an action is measured. For an indicator computed by Maillon, the values of
    the previous and current quarters are computed at once; the baseline, when not
    given, is the previous quarter's value. ``lower_is_better`` defaults to the
    metric's own direction."""
    _can_manage(association, actor)
    ensure_same_association(association, action)
    indicator = Indicator(
        association=association,
        action=action,
        name=name,
        unit=unit,
        source=source,
        metric_code=metric_code,
        baseline=baseline,
        target=target,
        target_date=target_date,
        lower_is_better=bool(lower_is_better),
    )
    metric = _fill_from_metric(indicator)
    if metric is not None and lower_is_better is None:
        indicator.lower_is_better = metric.lower_is_better
    indicator.full_clean(exclude=["association", "action"])
    indicator.save()
    if metric is not None:
        _refresh_indicator(association, indicator, today=today or timezone.localdate(), full=True)
        if indicator.baseline is None:
            start, _end = registry.quarter_bounds(_local_date(indicator.created_at, association))
            previous_end = start - datetime.timedelta(days=1)
            first = indicator.measurements.filter(is_automatic=True, date=previous_end).first()
            if first is not None:
                indicator.baseline = first.value
                indicator.save(update_fields=["baseline", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="strategy.indicator_created",
        obj=indicator,
        data={
            "action": action.pk,
            "source": indicator.source,
            "metric": indicator.metric_code,
            "baseline": "" if indicator.baseline is None else str(indicator.baseline),
            "target": str(indicator.target),
        },
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, association: Association, actor: User, indicator: Indicator, **fields: Any
) -> Indicator:
    """Change an indicator. Changing what Maillon computes removes the computed values
    of the former source and computes the new ones."""
    _can_manage(association, actor)
    ensure_same_association(association, indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = (indicator.source, indicator.metric_code)
    data = {k: v for k, v in fields.items() if k in INDICATOR_FIELDS}
    if data.get("lower_is_better") is None:
        data.pop("lower_is_better", None)
    changes = apply_changes(indicator, data)
    _fill_from_metric(indicator)
    indicator.full_clean(exclude=["association", "action"])
    if not changes:
        return indicator
    indicator.save()
    if (indicator.source, indicator.metric_code) != before:
        indicator.measurements.filter(is_automatic=True).delete()
        if indicator.source == IndicatorSource.METRIC:
            _refresh_indicator(association, indicator, today=timezone.localdate(), full=True)
    audit_log(
        association=association,
        actor=actor,
        action="strategy.indicator_updated",
        obj=indicator,
        data={"changes": changes},
    )
    return indicator


@transaction.atomic
def indicator_delete(*, association: Association, actor: User, indicator: Indicator) -> None:
    _can_manage(association, actor)
    ensure_same_association(association, indicator)
    audit_log(
        association=association,
        actor=actor,
        action="strategy.indicator_deleted",
        obj=indicator,
        data={"action": indicator.action_id, "measurements": indicator.measurements.count()},
    )
    indicator.delete()


# --- measurements ------------------------------------------------------------------------


@transaction.atomic
def measurement_add(
    *,
    association: Association,
    actor: User,
    indicator: Indicator,
    date: datetime.date,
    value: Decimal,
    note: str = "",
) -> Measurement:
    _can_manage(association, actor)
    ensure_same_association(association, indicator)
    if indicator.source == IndicatorSource.METRIC:
        raise ValidationError(
            _("Maillon computes the values of this indicator; they cannot be entered by hand.")
        )
    measurement = Measurement(
        association=association,
        indicator=indicator,
        date=date,
        value=value,
        note=note,
        recorded_by=actor,
    )
    measurement.full_clean(exclude=["association", "indicator", "recorded_by"])
    measurement.save()
    audit_log(
        association=association,
        actor=actor,
        action="strategy.measurement_added",
        obj=indicator,
        data={"date": date.isoformat(), "value": str(measurement.value)},
    )
    return measurement


@transaction.atomic
def measurement_delete(*, association: Association, actor: User, measurement: Measurement) -> None:
    _can_manage(association, actor)
    ensure_same_association(association, measurement)
    if measurement.is_automatic:
        raise ValidationError(
            _("This value is computed by Maillon; it comes back at the next refresh.")
        )
    audit_log(
        association=association,
        actor=actor,
        action="strategy.measurement_deleted",
        obj=measurement.indicator,
        data={"date": measurement.date.isoformat(), "value": str(measurement.value)},
    )
    measurement.delete()


# --- automatic indicators ----------------------------------------------------------------


@dataclass
class RefreshResult:
    indicators: int = 0
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def quarters_between(
    first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The (start, end) of every calendar quarter from the one holding ``first`` to
    the one holding ``last``."""
    quarters = []
    start, end = registry.quarter_bounds(first)
    while start <= last:
        quarters.append((start, end))
        start, end = registry.quarter_bounds(end + datetime.timedelta(days=1))
    return quarters


def _local_date(moment: datetime.datetime, association: Association) -> datetime.date:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(association.time_zone)).date()


RECENT_QUARTERS = 2


def _refresh_indicator(
    association: Association,
    indicator: Indicator,
    *,
    today: datetime.date,
    full: bool,
    result: RefreshResult | None = None,
) -> RefreshResult:
    result = result or RefreshResult()
    result.indicators += 1
    created_on = _local_date(indicator.created_at, association)
    baseline_quarter_start, _end = registry.quarter_bounds(created_on)
    first = baseline_quarter_start - datetime.timedelta(days=1)  # the baseline quarter
    quarters = quarters_between(first, today)
    stored = {m.date: m for m in indicator.measurements.filter(is_automatic=True)}
    if not full:
        # Closed quarters already computed stay as they are; the last ones may still
        # move (late entries), so they are computed again.
        recent = {end for _start, end in quarters[-RECENT_QUARTERS:]}
        quarters = [(s, e) for s, e in quarters if e in recent or e not in stored]
    new_rows = []
    for start, end in quarters:
        value = registry.measure(
            indicator.metric_code, association=association, start=start, end=min(end, today)
        )
        if value is None:
            continue
        value = value.quantize(Decimal("0.01"))
        existing = stored.get(end)
        if existing is None:
            new_rows.append(
                Measurement(
                    association=association,
                    indicator=indicator,
                    date=end,
                    value=value,
                    is_automatic=True,
                )
            )
        elif existing.value != value:
            existing.value = value
            existing.save(update_fields=["value"])
            result.updated += 1
    Measurement.objects.bulk_create(new_rows)
    result.created += len(new_rows)
    return result


@transaction.atomic
def indicator_refresh_automatic(
    *,
    association: Association,
    indicator: Indicator | None = None,
    actor: User | None = None,
    full: bool = True,
    today: datetime.date | None = None,
) -> RefreshResult:
    """Compute the quarterly values of the association's indicators computed by
    Maillon (or of one), from the quarter before each indicator's creation to the
    current quarter: one automatic measurement per quarter, dated its last day.

    ``actor`` is None when the periodic task runs it; a person pressing "Refresh"
    needs the permission. ``full=False`` only computes the missing quarters and the
    last two."""
    if actor is not None:
        _can_manage(association, actor)
    today = today or timezone.localdate()
    indicators = Indicator.objects.filter(
        association=association, source=IndicatorSource.METRIC
    ).order_by("id")
    if indicator is not None:
        ensure_same_association(association, indicator)
        indicators = indicators.filter(pk=indicator.pk)
    result = RefreshResult()
    for item in indicators:
        _refresh_indicator(association, item, today=today, full=full, result=result)
    if result.changed:
        audit_log(
            association=association,
            actor=actor,
            action="strategy.indicators_refreshed",
            obj=indicator,
            data={
                "indicators": result.indicators,
                "created": result.created,
                "updated": result.updated,
            },
        )
    return result


# --- yearly reminder ----------------------------------------------------------------------


def _send_reminder_emails(association: Association, reminder_id: int) -> None:
    """One email per recipient, in their own language (after the reminder's commit)."""
    with scope(association=association):
        reminder = (
            DiagnosticReminder.objects.select_related("diagnostic")
            .filter(association=association, pk=reminder_id)
            .first()
        )
        if reminder is None:
            return
        recipients = reminder_recipients(association=association)
    url = settings.SITE_URL + reverse(
        "strategy:home", kwargs={"association_slug": association.slug}
    )
    completed_at = reminder.diagnostic.completed_at
    completed_on = _local_date(completed_at, association) if completed_at else None
    for person in recipients:
        user = person.user
        if user is None:  # recipients all have an account
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "person": person,
                "association": association,
                "diagnostic": reminder.diagnostic,
                "completed_on": completed_on,
                "url": url,
            }
            send_mail(
                subject=_("%(association)s: time to take the digital self-diagnostic again")
                % {"association": association.name},
                message=render_to_string("strategy/email/diagnostic_reminder.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )


@transaction.atomic
def diagnostic_reminder_send(
    *, association: Association, diagnostic: Diagnostic, now: datetime.datetime | None = None
) -> DiagnosticReminder | None:
    """Record and send the yearly reminder to take the diagnostic again, once per
    diagnostic: None when it was already sent. Called by the periodic task (no actor)."""
    ensure_same_association(association, diagnostic)
    try:
        with transaction.atomic():
            reminder = DiagnosticReminder.objects.create(
                association=association, diagnostic=diagnostic, sent_at=now or timezone.now()
            )
    except IntegrityError:
        return None  # another worker recorded it first: it sends the emails
    recipients = reminder_recipients(association=association)
    audit_log(
        association=association,
        actor=None,
        action="strategy.diagnostic_reminder_sent",
        obj=diagnostic,
        data={"recipients": len(recipients)},
    )
    transaction.on_commit(lambda: _send_reminder_emails(association, reminder.pk))
    return reminder
