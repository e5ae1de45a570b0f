"""Reads of the diagnostic: access helpers (404 outside the association), the
diagnostic's answers, its progress, its results and the comparison of two of them.

Questions and labels always come from the questionnaire version the diagnostic was
taken with, so a new version never changes how a past diagnostic reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import FloatField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.associations.models import Module
from maillon.members.permissions import Perm, permissions_for_roles
from maillon.members.roles.selectors import my_associations

from ..engine import questionnaire as qn
from ..engine import scoring
from ..models import Action, AnonymousDiagnostic, Diagnostic, DiagnosticAnswer, DiagnosticStatus

if TYPE_CHECKING:
    from maillon.accounts.models import User
    from maillon.associations.models import Association

LEVEL_LABELS = {
    "peu_initiee": _("Little initiated"),
    "en_progres": _("Making progress"),
    "experimentee": _("Experienced"),
}


def latest_diagnostic_subqueries_across_associations(
    *, association_ref: str, end: datetime.date
) -> dict[str, Any]:
    """For another party's list (a network's member table) to filter in SQL: the
    completion time and overall score of the latest diagnostic completed on or before
    ``end`` by the association ``OuterRef(association_ref)`` — the diagnostic the
    ``strategy.diagnostic_score`` metric reads. Annotate with them; the caller checks
    that the association consents to share its diagnostic."""
    with scopes_disabled():
        latest = Diagnostic.objects.filter(
            association_id=OuterRef(association_ref),
            status=DiagnosticStatus.COMPLETED,
            completed_at__date__lte=end,
        ).order_by("-completed_at", "-id")
        return {
            "latest_diagnostic_at": Subquery(latest.values("completed_at")[:1]),
            "latest_diagnostic_score": Subquery(
                latest.annotate(
                    overall=Cast(KeyTextTransform("overall", "scores"), FloatField())
                ).values("overall")[:1],
                output_field=FloatField(),
            ),
        }


def level_score_bounds(level: str) -> tuple[float | None, float | None]:
    """``(lowest, below)`` overall scores of ``level`` (``scoring.level_for``): a score
    ``s`` has the level when ``lowest <= s < below``; None is unbounded."""
    thresholds = scoring.LEVEL_THRESHOLDS  # highest first
    for index, (lowest, code) in enumerate(thresholds):
        if code == level:
            below = thresholds[index - 1][0] if index else None
            is_lowest_level = index == len(thresholds) - 1
            return (None if is_lowest_level else float(lowest)), (
                None if below is None else float(below)
            )
    raise ValueError(level)


def level_label(level: str | None) -> str:
    return str(LEVEL_LABELS.get(level or "", "—"))


# --- access helpers ---------------------------------------------------------------------------


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def diagnostic_get(*, association: Association, diagnostic_id: Any) -> Diagnostic:
    """Access helper: a diagnostic of ``association`` or 404, whatever exists elsewhere."""
    diagnostic = (
        Diagnostic.objects.filter(association=association, pk=_as_id(diagnostic_id))
        .select_related("started_by")
        .first()
    )
    if diagnostic is None:
        raise Http404
    return diagnostic


def diagnostic_completed_get(*, association: Association, diagnostic_id: Any) -> Diagnostic:
    diagnostic = diagnostic_get(association=association, diagnostic_id=diagnostic_id)
    if diagnostic.status != DiagnosticStatus.COMPLETED:
        raise Http404
    return diagnostic


def anonymous_diagnostic_get(*, token: str) -> AnonymousDiagnostic:
    """The anonymous diagnostic whose link is ``token``, or 404."""
    diagnostic = AnonymousDiagnostic.objects.filter(token=str(token)[:64]).first()
    if diagnostic is None:
        raise Http404
    return diagnostic


# --- lists ------------------------------------------------------------------------------------


def diagnostic_in_progress(*, association: Association) -> Diagnostic | None:
    return (
        Diagnostic.objects.filter(association=association, status=DiagnosticStatus.IN_PROGRESS)
        .select_related("started_by")
        .first()
    )


def diagnostics_completed(*, association: Association) -> QuerySet[Diagnostic]:
    """Completed diagnostics, latest first."""
    return (
        Diagnostic.objects.filter(association=association, status=DiagnosticStatus.COMPLETED)
        .select_related("started_by")
        .order_by("-completed_at", "-id")
    )


def associations_for_attach(*, user: User) -> list[Association]:
    """The user's associations where they may contribute to a diagnostic and that
    have the strategy module switched on."""
    return [
        association
        for association, roles in my_associations(user=user)
        if Perm.CONTRIBUTE_DIAGNOSTIC in permissions_for_roles(roles)
        and association.has_module(Module.STRATEGY)
    ]


def adopted_recommendation_codes(*, association: Association) -> set[str]:
    """Recommendations already in the action plan (not dropped)."""
    return set(
        Action.objects.filter(association=association)
        .exclude(recommendation_code="")
        .exclude(status="dropped")
        .values_list("recommendation_code", flat=True)
    )


# --- answers ----------------------------------------------------------------------------------


def questionnaire_of(diagnostic: Diagnostic | AnonymousDiagnostic) -> qn.Questionnaire:
    """The questionnaire a diagnostic (of an association or anonymous) is taken with."""
    try:
        return qn.load_questionnaire(diagnostic.questionnaire_version)
    except LookupError:
        raise Http404 from None


def diagnostic_answer_records(*, diagnostic: Diagnostic) -> dict[str, DiagnosticAnswer]:
    """The stored answers by question id, with who gave them last."""
    return {
        answer.question_id: answer
        for answer in DiagnosticAnswer.objects.filter(
            association_id=diagnostic.association_id, diagnostic=diagnostic
        ).select_related("answered_by")
    }


def diagnostic_answers(*, diagnostic: Diagnostic) -> dict[str, Any]:
    """The answer values by question id."""
    return dict(
        DiagnosticAnswer.objects.filter(
            association_id=diagnostic.association_id, diagnostic=diagnostic
        ).values_list("question_id", "value")
    )


@dataclass
class SectionProgress:
    code: str
    kind: str
    title: str
    answered: int
    total: int
    required_missing: int
    position: int

    @property
    def is_complete(self) -> bool:
        return self.answered == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass
class DiagnosticProgress:
    sections: list[SectionProgress]
    answered: int
    total: int
    minutes_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def required_missing(self) -> int:
        return sum(s.required_missing for s in self.sections)

    @property
    def can_complete(self) -> bool:
        return self.required_missing == 0

    def first_unfinished(self) -> SectionProgress | None:
        return next((s for s in self.sections if not s.is_complete), None)

    def after(self, code: str) -> SectionProgress | None:
        codes = [s.code for s in self.sections]
        index = codes.index(code) + 1 if code in codes else len(codes)
        return self.sections[index] if index < len(codes) else None

    def before(self, code: str) -> SectionProgress | None:
        codes = [s.code for s in self.sections]
        index = codes.index(code) - 1 if code in codes else -1
        return self.sections[index] if index >= 0 else None


def diagnostic_progress(
    questionnaire: qn.Questionnaire, answers: Mapping[str, Any], *, language: str
) -> DiagnosticProgress:
    sections = []
    seconds_left = 0
    for position, section in enumerate(questionnaire.sections, start=1):
        answered = required_missing = 0
        for question in section.questions:
            if qn.is_answered(question, answers.get(question.id)):
                answered += 1
            else:
                seconds_left += qn.SECONDS_PER_TYPE.get(question.type, 15)
                required_missing += question.required
        sections.append(
            SectionProgress(
                code=section.code,
                kind=section.kind,
                title=qn.text(section.title, language),
                answered=answered,
                total=len(section.questions),
                required_missing=required_missing,
                position=position,
            )
        )
    answered, total = qn.progress(questionnaire, answers)
    return DiagnosticProgress(
        sections=sections, answered=answered, total=total, minutes_left=-(-seconds_left // 60)
    )


# --- results ----------------------------------------------------------------------------------


def scores_from_json(data: Mapping[str, Any]) -> scoring.Scores:
    """The engine's scores from the JSON frozen on a completed diagnostic."""
    domains = {
        code: scoring.DomainScore(
            code=code,
            score=int(d.get("score", 0)),
            level=d.get("level", "peu_initiee"),
            answered=int(d.get("answered", 0)),
            total=int(d.get("total", 0)),
            points=int(d.get("points", 0)),
            max_points=int(d.get("max_points", 0)),
        )
        for code, d in (data.get("domains") or {}).items()
    }
    return scoring.Scores(
        version=int(data.get("version", 0)),
        domains=domains,
        overall=int(data.get("overall", 0)),
        level=data.get("level", "peu_initiee"),
        self_rating=data.get("self_rating"),
    )


def scores_of(
    diagnostic: Diagnostic | AnonymousDiagnostic, answers: Mapping[str, Any] | None = None
) -> scoring.Scores:
    """Frozen scores of a completed diagnostic; computed from the answers otherwise
    (an anonymous diagnostic keeps no scores)."""
    frozen = getattr(diagnostic, "scores", None)
    if frozen:
        return scores_from_json(frozen)
    return scoring.score(questionnaire_of(diagnostic), answers or {})


@dataclass
class DomainResult:
    code: str
    title: str
    score: int
    level: str
    answered: int
    total: int

    @property
    def level_label(self) -> str:
        return level_label(self.level)


@dataclass
class Results:
    scores: scoring.Scores
    domains: list[DomainResult]
    self_rating: str | None
    objectives: list[str] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return level_label(self.scores.level)

    @property
    def self_rating_label(self) -> str:
        return level_label(self.self_rating) if self.self_rating else ""

    @property
    def self_rating_gap(self) -> int | None:
        return self.scores.self_rating_gap


def results_of(
    *, questionnaire: qn.Questionnaire, scores: scoring.Scores, answers: Mapping, language: str
) -> Results:
    domains = [
        DomainResult(
            code=code,
            title=questionnaire.domain_title(code, language),
            score=d.score,
            level=d.level,
            answered=d.answered,
            total=d.total,
        )
        for code, d in scores.domains.items()
    ]
    objectives_question = questionnaire.question(qn.OBJECTIVES_QUESTION)
    objectives = []
    if objectives_question is not None:
        ranked = qn.normalise_answer(objectives_question, answers.get(qn.OBJECTIVES_QUESTION))
        objectives = [objectives_question.choice_label(v, language) for v in ranked or []]
    return Results(
        scores=scores, domains=domains, self_rating=scores.self_rating, objectives=objectives
    )


# --- comparison -------------------------------------------------------------------------------


@dataclass
class ComparedDomain:
    code: str
    title: str
    before: int
    after: int
    before_level: str
    after_level: str

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def before_level_label(self) -> str:
        return level_label(self.before_level)

    @property
    def after_level_label(self) -> str:
        return level_label(self.after_level)


@dataclass
class Comparison:
    before: Diagnostic
    after: Diagnostic
    domains: list[ComparedDomain]
    only_before: list[str]
    only_after: list[str]
    overall_before: int
    overall_after: int

    @property
    def same_domains(self) -> bool:
        """Overall scores compare only when both diagnostics cover the same domains."""
        return not self.only_before and not self.only_after

    @property
    def overall_delta(self) -> int:
        return self.overall_after - self.overall_before


def diagnostic_comparison(*, before: Diagnostic, after: Diagnostic, language: str) -> Comparison:
    """Progress per domain between two completed diagnostics. Two versions of the
    questionnaire may differ: only the domains present in both are compared, named
    as the later version names them."""
    if (before.completed_at, before.pk) > (after.completed_at, after.pk):
        before, after = after, before
    scores_before, scores_after = scores_of(before), scores_of(after)
    q_before, q_after = questionnaire_of(before), questionnaire_of(after)
    domains = [
        ComparedDomain(
            code=code,
            title=q_after.domain_title(code, language),
            before=scores_before.domains[code].score,
            after=d.score,
            before_level=scores_before.domains[code].level,
            after_level=d.level,
        )
        for code, d in scores_after.domains.items()
        if code in scores_before.domains
    ]
    return Comparison(
        before=before,
        after=after,
        domains=domains,
        only_before=[
            q_before.domain_title(code, language)
            for code in scores_before.domains
            if code not in scores_after.domains
        ],
        only_after=[
            q_after.domain_title(code, language)
            for code in scores_after.domains
            if code not in scores_before.domains
        ],
        overall_before=scores_before.overall,
        overall_after=scores_after.overall,
    )


# --- for the observatory (aggregated, anonymous figures) ---------------------------------------


@dataclass(frozen=True)
class FrozenAnswers:
    questionnaire_version: int
    answers: dict[str, Any]
    completed_at: Any


def latest_completed_diagnostics_across_associations(
    *, association_ids: Iterable[int], since: Any
) -> dict[int, FrozenAnswers]:
    """The latest diagnostic completed since ``since`` of each association of
    ``association_ids`` with its answers (two queries, whatever the number). Crosses
    associations: only the observatory's wave building calls it."""
    ids = list(association_ids)
    with scopes_disabled():
        latest: dict[int, Diagnostic] = {}
        for diagnostic in Diagnostic.objects.filter(
            association_id__in=ids, status=DiagnosticStatus.COMPLETED, completed_at__gte=since
        ).order_by("association_id", "-completed_at", "-id"):
            latest.setdefault(diagnostic.association_id, diagnostic)
        answers: dict[int, dict[str, Any]] = {d.pk: {} for d in latest.values()}
        for row in DiagnosticAnswer.objects.filter(diagnostic_id__in=answers).values_list(
            "diagnostic_id", "question_id", "value"
        ):
            answers[row[0]][row[1]] = row[2]
    return {
        association_id: FrozenAnswers(d.questionnaire_version, answers[d.pk], d.completed_at)
        for association_id, d in latest.items()
    }


def completed_anonymous_diagnostics_for_token(
    *, tokens: Iterable[str], since: Any
) -> dict[str, FrozenAnswers]:
    """Completed anonymous diagnostics of ``tokens`` since ``since`` (one query)."""
    return {
        a.token: FrozenAnswers(a.questionnaire_version, dict(a.answers), a.completed_at)
        for a in AnonymousDiagnostic.objects.filter(
            token__in=list(tokens), completed_at__isnull=False, completed_at__gte=since
        )
    }
