"""The self-diagnostic in the back-office (home, sections, summary, results,
comparison) and without an account (``/diagnostic/``, ``public_urlpatterns`` in
``urls.py``).

Views parse input, call a service or a selector and render. The association's and
the anonymous diagnostic share their pages through ``_Taking``: only where answers
are read and saved, and where the links go, differ."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope

from maillon.associations.models import Association, Module
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm

from ..engine import questionnaire as qn
from ..engine import rules as engine_rules
from ..models import DiagnosticStatus
from . import charts, selectors, services
from .forms import AttachForm, CompareForm, SectionForm, field_name

MODULE = Module.STRATEGY
DIAGNOSTICS_PER_PAGE = getattr(settings, "STRATEGY_DIAGNOSTICS_PER_PAGE", 20)

EFFORT_LABELS = {
    "low": gettext_lazy("low"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
}
COST_LABELS = {
    "none": gettext_lazy("free"),
    "low": gettext_lazy("low"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
}


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]


def _strategy_links(association: Association) -> dict[str, str]:
    slug = {"association_slug": association.slug}
    return {
        "plan_url": reverse("strategy:plan", kwargs=slug),
        "evaluation_url": reverse("strategy:evaluation", kwargs=slug),
        "adopt_url": reverse("strategy:action_adopt", kwargs=slug),
    }


# --- taking a diagnostic: shared by the association's and the anonymous one --------------------


@dataclass
class _Taking:
    """Where a diagnostic's answers live and where its pages are."""

    diagnostic: Any
    questionnaire: qn.Questionnaire
    answers: dict[str, Any]
    save: Callable[[dict[str, Any]], Any]
    section_url: Callable[[str], str]
    summary_url: str
    complete_url: str
    results_url: str
    last_answers: dict | None = None  # question id -> DiagnosticAnswer (who, when)
    is_anonymous: bool = False
    key_url: str = ""  # the anonymous diagnostic's address: its only key


def _section_page(request, taking: _Taking, section_code: str, template_extra: dict):
    section = taking.questionnaire.section(section_code)
    if section is None:
        raise Http404
    language = _language(request)
    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = SectionForm(
            request.POST,
            section=section,
            language=language,
            require_answers=action == "next",
        )
        form.is_valid()
        try:
            changed = taking.save(form.valid_answers())
        except ValidationError as error:
            _add_answer_errors(form, error)
            changed = None
        if not form.errors:
            if changed != []:
                messages.success(request, _("Your answers have been saved."))
            progress = selectors.diagnostic_progress(
                taking.questionnaire, {**taking.answers, **form.valid_answers()}, language=language
            )
            if action == "previous" and progress.before(section.code):
                return redirect(taking.section_url(progress.before(section.code).code))
            if action == "next" and progress.after(section.code):
                return redirect(taking.section_url(progress.after(section.code).code))
            return redirect(taking.summary_url)
        if changed:
            messages.info(request, _("Your other answers in this section have been saved."))
    else:
        form = SectionForm(section=section, language=language, answers=taking.answers)
    progress = selectors.diagnostic_progress(
        taking.questionnaire, taking.answers, language=language
    )
    current = next(s for s in progress.sections if s.code == section.code)
    return render(
        request,
        "strategy/diagnostic_section.html",
        {
            "taking": taking,
            "form": form,
            "section": current,
            "questions": form.question_rows(taking.last_answers),
            "progress": progress,
            "previous": progress.before(section.code),
            "next": progress.after(section.code),
            **template_extra,
        },
    )


def _add_answer_errors(form: SectionForm, error: ValidationError) -> None:
    """The service names questions by id; the form names their fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for qid, errors in error.error_dict.items():
        name = field_name(qid)
        if name in form.fields:
            form.add_error(name, errors)
        else:
            ranked = [f for f in form.fields if f.startswith(name + "--")]
            form.add_error(ranked[0] if ranked else None, errors)


def _summary_context(request, taking: _Taking) -> dict:
    language = _language(request)
    progress = selectors.diagnostic_progress(
        taking.questionnaire, taking.answers, language=language
    )
    contributors: dict[str, list] = {}
    for answer in (taking.last_answers or {}).values():
        question = taking.questionnaire.question(answer.question_id)
        if question is not None and answer.answered_by is not None:
            names = contributors.setdefault(question.section, [])
            if str(answer.answered_by) not in names:
                names.append(str(answer.answered_by))
    return {
        "taking": taking,
        "progress": progress,
        "rows": [(step, contributors.get(step.code, [])) for step in progress.sections],
        "title": qn.text(taking.questionnaire.title, language),
        "intro": qn.text(taking.questionnaire.intro, language),
        "estimated_minutes": qn.estimated_minutes(taking.questionnaire),
    }


def _results_context(request, *, questionnaire, diagnostic, answers, adopted=frozenset()) -> dict:
    language = _language(request)
    scores = selectors.scores_of(diagnostic, answers)
    results = selectors.results_of(
        questionnaire=questionnaire, scores=scores, answers=answers, language=language
    )
    rule_set = engine_rules.rules_for_questionnaire(questionnaire.version)
    recommendations = engine_rules.recommend(
        questionnaire, rule_set, answers, scores, language=language
    )
    title = _("Scores per domain, out of 100")
    radar = charts.radar_svg(
        axes=[d.title for d in results.domains],
        series=[charts.Series(name=title, values=[d.score for d in results.domains])],
        title=title,
        description=ngettext(
            "Radar chart of the %(count)s domain of the diagnostic; the same scores are "
            "in the table below.",
            "Radar chart of the %(count)s domains of the diagnostic; the same scores are "
            "in the table below.",
            len(results.domains),
        )
        % {"count": len(results.domains)},
        chart_id=f"radar-{diagnostic.pk or 'anonymous'}",
    )
    return {
        "results": results,
        "radar": radar,
        "recommendations": [
            _recommendation_view(r, adopted, getattr(request, "association", None))
            for r in recommendations
        ],
    }


@dataclass
class _RecommendationView:
    rec: Any
    effort_label: str
    cost_label: str
    feature_label: str
    feature_enabled: bool
    adopted: bool


def _recommendation_view(rec, adopted, association) -> _RecommendationView:
    feature_label = str(Module(rec.feature).label) if rec.feature in Module.values else ""
    return _RecommendationView(
        rec=rec,
        effort_label=str(EFFORT_LABELS.get(rec.effort, rec.effort)),
        cost_label=str(COST_LABELS.get(rec.cost, rec.cost)),
        feature_label=feature_label,
        feature_enabled=bool(association and rec.feature and association.has_module(rec.feature)),
        adopted=rec.code in adopted,
    )


# --- the association's diagnostic ---------------------------------------------------------------


def _association_taking(request, diagnostic) -> _Taking:
    association = request.association
    records = selectors.diagnostic_answer_records(diagnostic=diagnostic)
    slug = association.slug

    def save(answers):
        return services.diagnostic_save_answers(
            association=association, actor=request.user, diagnostic=diagnostic, answers=answers
        )

    return _Taking(
        diagnostic=diagnostic,
        questionnaire=selectors.questionnaire_of(diagnostic),
        answers={qid: a.value for qid, a in records.items()},
        save=save,
        section_url=lambda code: reverse(
            "strategy:diagnostic_section",
            kwargs={"association_slug": slug, "diagnostic_id": diagnostic.pk, "section": code},
        ),
        summary_url=reverse(
            "strategy:diagnostic",
            kwargs={"association_slug": slug, "diagnostic_id": diagnostic.pk},
        ),
        complete_url=reverse(
            "strategy:diagnostic_complete",
            kwargs={"association_slug": slug, "diagnostic_id": diagnostic.pk},
        ),
        results_url=reverse(
            "strategy:results", kwargs={"association_slug": slug, "diagnostic_id": diagnostic.pk}
        ),
        last_answers=records,
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def home(request, association_slug):
    association = request.association
    language = _language(request)
    in_progress = selectors.diagnostic_in_progress(association=association)
    progress = None
    if in_progress is not None:
        progress = selectors.diagnostic_progress(
            selectors.questionnaire_of(in_progress),
            selectors.diagnostic_answers(diagnostic=in_progress),
            language=language,
        )
    completed = selectors.diagnostics_completed(association=association)
    page = Paginator(completed, DIAGNOSTICS_PER_PAGE).get_page(request.GET.get("page"))
    latest = completed.first()
    latest_results = None
    if latest is not None:
        questionnaire = selectors.questionnaire_of(latest)
        scores = selectors.scores_of(latest)
        latest_results = selectors.results_of(
            questionnaire=questionnaire, scores=scores, answers={}, language=language
        )
    return render(
        request,
        "strategy/home.html",
        {
            "in_progress": in_progress,
            "progress": progress,
            "page_obj": page,
            "past": [(d, selectors.level_label(d.scores.get("level"))) for d in page],
            "latest": latest,
            "latest_results": latest_results,
            "estimated_minutes": qn.estimated_minutes(qn.load_questionnaire()),
            "can_contribute": Perm.CONTRIBUTE_DIAGNOSTIC in request.permissions,
            **_strategy_links(association),
        },
    )


@association_required(Perm.CONTRIBUTE_DIAGNOSTIC, module=MODULE)
@require_POST
def diagnostic_start(request, association_slug):
    outcome = run_service(request, services.diagnostic_start)
    if not outcome.ok:
        return redirect("strategy:home", association_slug=association_slug)
    diagnostic = outcome.value
    first = selectors.questionnaire_of(diagnostic).sections[0].code
    return redirect(
        "strategy:diagnostic_section",
        association_slug=association_slug,
        diagnostic_id=diagnostic.pk,
        section=first,
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def diagnostic_summary(request, association_slug, diagnostic_id):
    diagnostic = selectors.diagnostic_get(
        association=request.association, diagnostic_id=diagnostic_id
    )
    if diagnostic.status == DiagnosticStatus.COMPLETED:
        return redirect(
            "strategy:results", association_slug=association_slug, diagnostic_id=diagnostic.pk
        )
    taking = _association_taking(request, diagnostic)
    context = _summary_context(request, taking)
    context["can_contribute"] = Perm.CONTRIBUTE_DIAGNOSTIC in request.permissions
    return render(request, "strategy/diagnostic_summary.html", context)


@association_required(Perm.CONTRIBUTE_DIAGNOSTIC, module=MODULE)
@require_http_methods(["GET", "POST"])
def diagnostic_section(request, association_slug, diagnostic_id, section):
    diagnostic = selectors.diagnostic_get(
        association=request.association, diagnostic_id=diagnostic_id
    )
    if diagnostic.status == DiagnosticStatus.COMPLETED:
        messages.info(request, _("This diagnostic is completed: its answers can no longer change."))
        return redirect(
            "strategy:results", association_slug=association_slug, diagnostic_id=diagnostic.pk
        )
    return _section_page(request, _association_taking(request, diagnostic), section, {})


@association_required(Perm.CONTRIBUTE_DIAGNOSTIC, module=MODULE)
@require_POST
def diagnostic_complete(request, association_slug, diagnostic_id):
    diagnostic = selectors.diagnostic_get(
        association=request.association, diagnostic_id=diagnostic_id
    )
    if diagnostic.status == DiagnosticStatus.COMPLETED:
        return redirect(
            "strategy:results", association_slug=association_slug, diagnostic_id=diagnostic.pk
        )
    outcome = run_service(
        request,
        services.diagnostic_complete,
        diagnostic=diagnostic,
        success=_("The diagnostic is completed. Here are your results."),
    )
    if not outcome.ok:
        return redirect(
            "strategy:diagnostic", association_slug=association_slug, diagnostic_id=diagnostic.pk
        )
    return redirect(
        "strategy:results", association_slug=association_slug, diagnostic_id=diagnostic.pk
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def results(request, association_slug, diagnostic_id):
    association = request.association
    diagnostic = selectors.diagnostic_get(association=association, diagnostic_id=diagnostic_id)
    if diagnostic.status != DiagnosticStatus.COMPLETED:
        return redirect(
            "strategy:diagnostic", association_slug=association_slug, diagnostic_id=diagnostic.pk
        )
    can_manage = Perm.MANAGE_STRATEGY in request.permissions
    context = _results_context(
        request,
        questionnaire=selectors.questionnaire_of(diagnostic),
        diagnostic=diagnostic,
        answers=selectors.diagnostic_answers(diagnostic=diagnostic),
        adopted=(
            selectors.adopted_recommendation_codes(association=association)
            if can_manage
            else frozenset()
        ),
    )
    return render(
        request,
        "strategy/results.html",
        {
            **context,
            "diagnostic": diagnostic,
            "can_adopt": can_manage,
            "can_manage_modules": Perm.MANAGE_ASSOCIATION in request.permissions,
            **_strategy_links(association),
        },
    )


@association_required(Perm.VIEW_STRATEGY, module=MODULE)
@require_safe
def compare(request, association_slug):
    association = request.association
    completed = list(selectors.diagnostics_completed(association=association))
    comparison = chart = None
    if "a" in request.GET or "b" in request.GET:
        # Ids come from the address bar: through the access helper, 404 for any other.
        before = selectors.diagnostic_completed_get(
            association=association, diagnostic_id=request.GET.get("a")
        )
        after = selectors.diagnostic_completed_get(
            association=association, diagnostic_id=request.GET.get("b")
        )
        form = CompareForm(request.GET, diagnostics=completed, time_zone=association.time_zone)
        if form.is_valid():
            comparison = selectors.diagnostic_comparison(
                before=before, after=after, language=_language(request)
            )
    else:
        initial = {"b": completed[0].pk, "a": completed[1].pk} if len(completed) > 1 else {}
        form = CompareForm(initial=initial, diagnostics=completed, time_zone=association.time_zone)
        if initial:
            comparison = selectors.diagnostic_comparison(
                before=completed[1], after=completed[0], language=_language(request)
            )
    if comparison is not None:
        chart = charts.comparison_svg(
            rows=[
                charts.ComparedRow(label=d.title, before=d.before, after=d.after)
                for d in comparison.domains
            ],
            before_name=_("Earlier diagnostic"),
            after_name=_("Later diagnostic"),
            title=_("Scores per domain, earlier and later diagnostic"),
            description=_(
                "Two bars per domain: the earlier score (outlined) and the later score "
                "(filled); the same figures are in the table."
            ),
        )
    return render(
        request,
        "strategy/results_compare.html",
        {"form": form, "comparison": comparison, "chart": chart, "completed": completed},
    )


# --- the anonymous diagnostic ------------------------------------------------------------------


def _anonymous_taking(request, anonymous) -> _Taking:
    token = anonymous.token
    summary_url = reverse("diagnostic:summary", kwargs={"token": token})

    def save(answers):
        saved = services.anonymous_diagnostic_save_answers(anonymous=anonymous, answers=answers)
        return list(answers) if saved else []

    return _Taking(
        diagnostic=anonymous,
        questionnaire=selectors.questionnaire_of(anonymous),
        answers=dict(anonymous.answers or {}),
        save=save,
        section_url=lambda code: reverse(
            "diagnostic:section", kwargs={"token": token, "section": code}
        ),
        summary_url=summary_url,
        complete_url=reverse("diagnostic:complete", kwargs={"token": token}),
        results_url=reverse("diagnostic:results", kwargs={"token": token}),
        is_anonymous=True,
        key_url=request.build_absolute_uri(summary_url),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_start(request):
    if request.method == "POST":
        anonymous = services.anonymous_diagnostic_start()
        first = selectors.questionnaire_of(anonymous).sections[0].code
        return redirect("diagnostic:section", token=anonymous.token, section=first)
    questionnaire = qn.load_questionnaire()
    language = _language(request)
    return render(
        request,
        "strategy/diagnostic_public_start.html",
        {
            "title": qn.text(questionnaire.title, language),
            "intro": qn.text(questionnaire.intro, language),
            "estimated_minutes": qn.estimated_minutes(questionnaire),
        },
    )


@never_cache
@require_safe
def public_summary(request, token):
    anonymous = selectors.anonymous_diagnostic_get(token=token)
    if anonymous.completed_at is not None:
        return redirect("diagnostic:results", token=anonymous.token)
    return render(
        request,
        "strategy/diagnostic_summary.html",
        {
            **_summary_context(request, _anonymous_taking(request, anonymous)),
            "can_contribute": True,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_section(request, token, section):
    anonymous = selectors.anonymous_diagnostic_get(token=token)
    if anonymous.completed_at is not None:
        return redirect("diagnostic:results", token=anonymous.token)
    return _section_page(request, _anonymous_taking(request, anonymous), section, {})


@never_cache
@require_POST
def public_complete(request, token):
    anonymous = selectors.anonymous_diagnostic_get(token=token)
    try:
        services.anonymous_diagnostic_complete(anonymous=anonymous)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("diagnostic:summary", token=anonymous.token)
    return redirect("diagnostic:results", token=anonymous.token)


@never_cache
@require_safe
def public_results(request, token):
    anonymous = selectors.anonymous_diagnostic_get(token=token)
    if anonymous.completed_at is None:
        return redirect("diagnostic:summary", token=anonymous.token)
    taking = _anonymous_taking(request, anonymous)
    context = _results_context(
        request,
        questionnaire=taking.questionnaire,
        diagnostic=anonymous,
        answers=taking.answers,
    )
    return render(
        request,
        "strategy/results_public.html",
        {**context, "taking": taking, "anonymous": anonymous},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def public_attach(request, token):
    anonymous = selectors.anonymous_diagnostic_get(token=token)
    if anonymous.completed_at is None:
        return redirect("diagnostic:summary", token=anonymous.token)
    associations = selectors.associations_for_attach(user=request.user)
    form = AttachForm(request.POST or None, associations=associations)
    if request.method == "POST" and form.is_valid():
        association = form.cleaned_data["association"]
        with scope(association=association):
            try:
                diagnostic = services.anonymous_diagnostic_attach(
                    association=association, actor=request.user, anonymous=anonymous
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The diagnostic is now part of %(association)s's diagnostics.")
                    % {"association": association.name},
                )
                return redirect(
                    "strategy:results",
                    association_slug=association.slug,
                    diagnostic_id=diagnostic.pk,
                )
    return render(
        request,
        "strategy/diagnostic_attach.html",
        {"form": form, "anonymous": anonymous, "associations": associations},
    )
