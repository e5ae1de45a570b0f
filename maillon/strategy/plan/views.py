"""Pages of the action plan, its indicators, the evaluation and the strategy
document. Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from ..models import ActionStatus
from . import pdf, services
from .content import current_language, objective_choices
from .forms import ActionForm, ActionStatusForm, AdoptForm, IndicatorForm, MeasurementForm
from .selectors import (
    action_get,
    action_status_counts,
    completed_diagnostic_get,
    indicator_evaluations,
    indicator_get,
    indicator_with_measurements,
    measurement_get,
    metric_choices,
    owner_choices,
    plan_groups,
    suggested_indicators,
)

MODULE = Module.STRATEGY


def _plan(request):
    return redirect("strategy:plan", association_slug=request.association.slug)


def _indicator_page(request, indicator):
    return redirect(
        "strategy:indicator_detail",
        association_slug=request.association.slug,
        indicator_id=indicator.pk,
    )


# --- the plan ----------------------------------------------------------------------------


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def plan(request, association_slug):
    return render(
        request,
        "strategy/plan.html",
        {
            "groups": plan_groups(association=request.association),
            "statuses": ActionStatus.choices,
            "can_manage": Perm.MANAGE_STRATEGY in request.permissions,
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_POST
def action_adopt(request, association_slug):
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a recommendation to adopt."))
        return _plan(request)
    diagnostic = completed_diagnostic_get(
        association=request.association, diagnostic_id=form.cleaned_data["diagnostic_id"]
    )
    outcome = run_service(
        request,
        services.action_adopt,
        diagnostic=diagnostic,
        recommendation_code=form.cleaned_data["recommendation_code"],
        language=current_language(),
    )
    if not outcome.ok:
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
        return _plan(request)
    action = outcome.value
    messages.success(
        request,
        _("“%(title)s” is now in your action plan. Choose how you will measure it.")
        % {"title": action.title},
    )
    return redirect(
        "strategy:indicator_create", association_slug=association_slug, action_id=action.pk
    )


def _action_form(request, action=None):
    return ActionForm(
        request.POST or None,
        instance=copy.copy(action) if action is not None else None,
        owners=owner_choices(
            association=request.association, current=action.owner if action else None
        ),
        objectives=objective_choices(),
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_http_methods(["GET", "POST"])
def action_create(request, association_slug):
    form = _action_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The action has been added to the plan."))
            return _plan(request)
    return render(
        request, "strategy/plan_action_form.html", {"form": form, "title": _("Add an action")}
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_http_methods(["GET", "POST"])
def action_edit(request, association_slug, action_id):
    action = action_get(association=request.association, action_id=action_id)
    form = _action_form(request, action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                association=request.association,
                actor=request.user,
                action=action,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _plan(request)
    return render(
        request,
        "strategy/plan_action_form.html",
        {
            "form": form,
            "action": action,
            "title": _("Edit the action “%(title)s”") % {"title": action.title},
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_POST
def action_status(request, association_slug, action_id):
    action = action_get(association=request.association, action_id=action_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status of the list."))
        return _plan(request)
    outcome = run_service(
        request, services.action_set_status, action=action, status=form.cleaned_data["status"]
    )
    if outcome.ok:
        action = outcome.value
        messages.success(
            request,
            _("“%(title)s” is now: %(status)s.")
            % {"title": action.title, "status": action.get_status_display()},
        )
    return _plan(request)


# --- indicators ------------------------------------------------------------------------------


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_http_methods(["GET", "POST"])
def indicator_create(request, association_slug, action_id):
    action = action_get(association=request.association, action_id=action_id)
    suggestions = suggested_indicators(
        objective=action.objective, recommendation_code=action.recommendation_code
    )
    initial = {}
    chosen = request.GET.get("suggestion", "")
    if chosen.isdigit() and int(chosen) < len(suggestions):
        suggestion = suggestions[int(chosen)]
        initial = {
            "name": suggestion.name,
            "unit": suggestion.unit,
            "source": suggestion.source,
            "metric_code": suggestion.metric_code,
            "lower_is_better": suggestion.lower_is_better,
        }
    form = IndicatorForm(request.POST or None, initial=initial, metrics=metric_choices())
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                association=request.association,
                actor=request.user,
                action=action,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The indicator has been added."))
            return _indicator_page(request, indicator)
    return render(
        request,
        "strategy/plan_indicator_form.html",
        {
            "form": form,
            "action": action,
            "suggestions": suggestions,
            "title": _("Measure “%(title)s”") % {"title": action.title},
        },
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def indicator_detail(request, association_slug, indicator_id):
    evaluation = indicator_with_measurements(
        association=request.association, indicator_id=indicator_id
    )
    return render(
        request,
        "strategy/plan_indicator_detail.html",
        {
            "evaluation": evaluation,
            "indicator": evaluation.indicator,
            "measurement_form": MeasurementForm(),
            "can_manage": Perm.MANAGE_STRATEGY in request.permissions,
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, association_slug, indicator_id):
    indicator = indicator_get(association=request.association, indicator_id=indicator_id)
    form = IndicatorForm(
        request.POST or None,
        initial={name: getattr(indicator, name) for name in IndicatorForm.FIELDS},
        metrics=metric_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                association=request.association,
                actor=request.user,
                indicator=indicator,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _indicator_page(request, indicator)
    return render(
        request,
        "strategy/plan_indicator_form.html",
        {
            "form": form,
            "action": indicator.action,
            "indicator": indicator,
            "title": _("Edit the indicator “%(name)s”") % {"name": indicator.name},
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_POST
def indicator_delete(request, association_slug, indicator_id):
    indicator = indicator_get(association=request.association, indicator_id=indicator_id)
    services.indicator_delete(
        association=request.association, actor=request.user, indicator=indicator
    )
    messages.success(request, _("The indicator “%(name)s” has been deleted.") % {"name": indicator})
    return _plan(request)


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_POST
def indicators_refresh(request, association_slug):
    result = services.indicator_refresh_automatic(
        association=request.association, actor=request.user, full=False
    )
    if result.indicators:
        messages.success(request, _("The values computed by Maillon are up to date."))
    else:
        messages.info(request, _("No indicator of the plan is computed by Maillon."))
    back = request.POST.get("next", "")
    if back == "evaluation":
        return redirect("strategy:evaluation", association_slug=association_slug)
    return _plan(request)


# --- measurements --------------------------------------------------------------------------


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_http_methods(["GET", "POST"])
def measurement_add(request, association_slug, indicator_id):
    indicator = indicator_get(association=request.association, indicator_id=indicator_id)
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_add(
                association=request.association,
                actor=request.user,
                indicator=indicator,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The value has been recorded."))
            return _indicator_page(request, indicator)
    return render(
        request,
        "strategy/plan_measurement_form.html",
        {
            "form": form,
            "indicator": indicator,
            "title": _("Record a value of “%(name)s”") % {"name": indicator.name},
        },
    )


@association_required(Perm.MANAGE_STRATEGY, module=MODULE)
@require_POST
def measurement_delete(request, association_slug, indicator_id, measurement_id):
    indicator = indicator_get(association=request.association, indicator_id=indicator_id)
    measurement = measurement_get(
        association=request.association, indicator=indicator, measurement_id=measurement_id
    )
    run_service(
        request,
        services.measurement_delete,
        measurement=measurement,
        success=_("The value has been deleted."),
    )
    return _indicator_page(request, indicator)


# --- evaluation and document ---------------------------------------------------------------


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def evaluation(request, association_slug):
    return render(
        request,
        "strategy/evaluation.html",
        {
            "evaluations": indicator_evaluations(association=request.association),
            "status_counts": action_status_counts(association=request.association),
            "can_manage": Perm.MANAGE_STRATEGY in request.permissions,
        },
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def document(request, association_slug):
    association = request.association
    today = timezone.localdate()
    content = pdf.strategy_document(
        association=association, language=current_language(), today=today
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{association.slug}-strategy-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
