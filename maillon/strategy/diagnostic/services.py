"""Writes of the self-diagnostic: start, save answers as you go, complete (scores
frozen), and the anonymous diagnostic (taken without an account, attached later).

The action plan has its own services in ``strategy.plan.services``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association
from maillon.members.permissions import Perm, check_permission

from ..engine import questionnaire as qn
from ..engine import scoring
from ..models import AnonymousDiagnostic, Diagnostic, DiagnosticAnswer, DiagnosticStatus

if TYPE_CHECKING:
    from maillon.accounts.models import User
    from maillon.associations.models import Association


def _questionnaire(version: int) -> qn.Questionnaire:
    try:
        return qn.load_questionnaire(version)
    except LookupError as error:
        raise ValidationError(
            _("The questionnaire version %(version)s is not available.") % {"version": version}
        ) from error


def scores_to_json(scores: scoring.Scores) -> dict[str, Any]:
    """What a completed diagnostic freezes: read back by ``selectors.scores_from_json``."""
    return {
        "version": scores.version,
        "domains": {
            code: {
                "score": d.score,
                "level": d.level,
                "answered": d.answered,
                "total": d.total,
                "points": d.points,
                "max_points": d.max_points,
            }
            for code, d in scores.domains.items()
        },
        "overall": scores.overall,
        "level": scores.level,
        "self_rating": scores.self_rating,
    }


def _clean_answers(
    questionnaire: qn.Questionnaire, answers: Mapping[str, Any]
) -> dict[str, Any | None]:
    """Answers in the engine's canonical form; None for an emptied answer. Unknown
    question ids and malformed values are refused, naming the question."""
    questions = {qid: questionnaire.question(qid) for qid in answers}
    unknown = sorted(qid for qid, question in questions.items() if question is None)
    if unknown:
        raise ValidationError(
            _("Unknown question: %(question)s") % {"question": ", ".join(unknown)}
        )
    cleaned = {
        qid: qn.normalise_answer(question, answers[qid])
        for qid, question in questions.items()
        if question is not None
    }
    errors = qn.validate_answers(
        questionnaire,
        {qid: value for qid, value in cleaned.items() if value is not None},
        partial=True,
        language=_language(),
    )
    if errors:
        raise ValidationError(dict(errors))
    return cleaned


def _language() -> str:
    """The active language, for the engine's messages (fr or en)."""
    return (get_language() or "fr")[:2]


def _check_in_progress(diagnostic: Diagnostic) -> None:
    if diagnostic.status != DiagnosticStatus.IN_PROGRESS:
        raise ValidationError(_("This diagnostic is completed: its answers can no longer change."))


# --- diagnostic of an association ---------------------------------------------------------------


@transaction.atomic
def diagnostic_start(
    *, association: Association, actor: User, questionnaire_version: int | None = None
) -> Diagnostic:
    """Start a diagnostic with the latest questionnaire (only one in progress)."""
    check_permission(association=association, actor=actor, permission=Perm.CONTRIBUTE_DIAGNOSTIC)
    questionnaire = (
        _questionnaire(questionnaire_version) if questionnaire_version else qn.load_questionnaire()
    )
    if Diagnostic.objects.filter(
        association=association, status=DiagnosticStatus.IN_PROGRESS
    ).exists():
        raise ValidationError(_("A diagnostic is already in progress: continue it."))
    diagnostic = Diagnostic(
        association=association,
        questionnaire_version=questionnaire.version,
        started_by=actor,
    )
    diagnostic.full_clean(exclude=["association", "started_by"])
    try:
        # Two people clicking "start" at once: the database keeps one.
        with transaction.atomic():
            diagnostic.save()
    except IntegrityError as error:
        raise ValidationError(_("A diagnostic is already in progress: continue it.")) from error
    prefilled = _prefill_from_profile(association, actor, diagnostic, questionnaire)
    audit_log(
        association=association,
        actor=actor,
        action="strategy.diagnostic_started",
        obj=diagnostic,
        data={"questionnaire_version": questionnaire.version, "prefilled": prefilled},
    )
    return diagnostic


def known_profile_answers(
    association: Association, questionnaire: qn.Questionnaire
) -> dict[str, str]:
    """What the association already recorded in its profile (employees band, sector),
    as answers of the questionnaire's profile questions: not asked again."""
    sector = association.sector
    known = {
        "profile.size_band": association.size_band,
        "profile.sector": sector.code if sector is not None else "",
    }
    answers = {}
    for question_id, value in known.items():
        question = questionnaire.question(question_id)
        if question is not None and value and value in question.values:
            answers[question_id] = value
    return answers


def _prefill_from_profile(association, actor, diagnostic, questionnaire) -> list[str]:
    answers = known_profile_answers(association, questionnaire)
    DiagnosticAnswer.objects.bulk_create(
        DiagnosticAnswer(
            association=association,
            diagnostic=diagnostic,
            question_id=question_id,
            value=value,
            answered_by=actor,
            updated_at=timezone.now(),
        )
        for question_id, value in answers.items()
    )
    return sorted(answers)


@transaction.atomic
def diagnostic_save_answers(
    *,
    association: Association,
    actor: User,
    diagnostic: Diagnostic,
    answers: Mapping[str, Any],
) -> list[str]:
    """Save answers as they come (an upsert per question; None or an empty value
    removes the answer). An unchanged answer keeps who gave it. Returns the ids of
    the questions that changed; one audit entry for the whole save."""
    check_permission(association=association, actor=actor, permission=Perm.CONTRIBUTE_DIAGNOSTIC)
    ensure_same_association(association, diagnostic)
    diagnostic = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    _check_in_progress(diagnostic)
    cleaned = _clean_answers(_questionnaire(diagnostic.questionnaire_version), answers)
    if not cleaned:
        return []
    existing = {
        a.question_id: a
        for a in DiagnosticAnswer.objects.filter(diagnostic=diagnostic, question_id__in=cleaned)
    }
    now = timezone.now()
    created, updated, removed = [], [], []
    for qid, value in cleaned.items():
        answer = existing.get(qid)
        if value is None:
            if answer is not None:
                removed.append(answer.pk)
        elif answer is None:
            created.append(
                DiagnosticAnswer(
                    association=association,
                    diagnostic=diagnostic,
                    question_id=qid,
                    value=value,
                    answered_by=actor,
                    updated_at=now,
                )
            )
        elif answer.value != value:
            answer.value, answer.answered_by, answer.updated_at = value, actor, now
            updated.append(answer)
    for answer in created:
        answer.full_clean(exclude=["association", "diagnostic", "answered_by"])
    DiagnosticAnswer.objects.bulk_create(created)
    DiagnosticAnswer.objects.bulk_update(updated, ["value", "answered_by", "updated_at"])
    DiagnosticAnswer.objects.filter(pk__in=removed).delete()
    changed = sorted(
        [a.question_id for a in created]
        + [a.question_id for a in updated]
        + [qid for qid, a in existing.items() if a.pk in removed]
    )
    if changed:
        diagnostic.save(update_fields=["updated_at"])
        audit_log(
            association=association,
            actor=actor,
            action="strategy.diagnostic_answers_saved",
            obj=diagnostic,
            data={"questions": changed},
        )
    return changed


def _require_complete_answers(questionnaire: qn.Questionnaire, answers: Mapping) -> None:
    errors = qn.validate_answers(questionnaire, answers, language=_language())
    if errors:
        missing = [q for q in questionnaire.questions if q.id in errors]
        raise ValidationError(
            ngettext(
                "%(count)s required question is not answered yet: %(question)s.",
                "%(count)s required questions are not answered yet, e.g. %(question)s.",
                len(missing),
            )
            % {
                "count": len(missing),
                "question": qn.text(missing[0].label, _language()),
            },
            code="incomplete",
        )


@transaction.atomic
def diagnostic_complete(
    *, association: Association, actor: User, diagnostic: Diagnostic
) -> Diagnostic:
    """Close the diagnostic: compute its scores with its questionnaire version and
    freeze them, so later versions or rules never change a past result."""
    check_permission(association=association, actor=actor, permission=Perm.CONTRIBUTE_DIAGNOSTIC)
    ensure_same_association(association, diagnostic)
    diagnostic = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    _check_in_progress(diagnostic)
    questionnaire = _questionnaire(diagnostic.questionnaire_version)
    answers = dict(
        DiagnosticAnswer.objects.filter(diagnostic=diagnostic).values_list("question_id", "value")
    )
    _require_complete_answers(questionnaire, answers)
    scores = scoring.score(questionnaire, answers)
    diagnostic.scores = scores_to_json(scores)
    diagnostic.status = DiagnosticStatus.COMPLETED
    diagnostic.completed_at = timezone.now()
    diagnostic.full_clean(exclude=["association", "started_by"])
    diagnostic.save(update_fields=["scores", "status", "completed_at", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="strategy.diagnostic_completed",
        obj=diagnostic,
        data={"overall": scores.overall, "level": scores.level},
    )
    return diagnostic


# --- anonymous diagnostic -------------------------------------------------------------------------
# Taken without an account: the row holds the questionnaire version and the answers
# under a random token, nothing about who answered (no user, no IP address).


def anonymous_diagnostic_start() -> AnonymousDiagnostic:
    questionnaire = qn.load_questionnaire()
    anonymous = AnonymousDiagnostic(questionnaire_version=questionnaire.version)
    anonymous.full_clean()
    anonymous.save()
    return anonymous


@transaction.atomic
def anonymous_diagnostic_save_answers(
    *, anonymous: AnonymousDiagnostic, answers: Mapping[str, Any]
) -> AnonymousDiagnostic:
    anonymous = AnonymousDiagnostic.objects.select_for_update().get(pk=anonymous.pk)
    if anonymous.completed_at is not None:
        raise ValidationError(_("This diagnostic is completed: its answers can no longer change."))
    cleaned = _clean_answers(_questionnaire(anonymous.questionnaire_version), answers)
    stored = dict(anonymous.answers or {})
    for qid, value in cleaned.items():
        if value is None:
            stored.pop(qid, None)
        else:
            stored[qid] = value
    anonymous.answers = stored
    anonymous.save(update_fields=["answers", "updated_at"])
    return anonymous


@transaction.atomic
def anonymous_diagnostic_complete(*, anonymous: AnonymousDiagnostic) -> AnonymousDiagnostic:
    anonymous = AnonymousDiagnostic.objects.select_for_update().get(pk=anonymous.pk)
    if anonymous.completed_at is not None:
        return anonymous
    _require_complete_answers(
        _questionnaire(anonymous.questionnaire_version), anonymous.answers or {}
    )
    anonymous.completed_at = timezone.now()
    anonymous.save(update_fields=["completed_at", "updated_at"])
    return anonymous


@transaction.atomic
def anonymous_diagnostic_attach(
    *, association: Association, actor: User, anonymous: AnonymousDiagnostic
) -> Diagnostic:
    """Turn a completed anonymous diagnostic into a completed diagnostic of
    ``association`` (same answers, scores frozen), then delete the anonymous one.
    A diagnostic in progress in the association is left alone."""
    check_permission(association=association, actor=actor, permission=Perm.CONTRIBUTE_DIAGNOSTIC)
    locked = AnonymousDiagnostic.objects.select_for_update().filter(pk=anonymous.pk).first()
    if locked is None:
        raise ValidationError(_("This diagnostic has already been attached."))
    anonymous = locked
    if anonymous.completed_at is None:
        raise ValidationError(_("Finish the diagnostic before attaching it to an association."))
    questionnaire = _questionnaire(anonymous.questionnaire_version)
    answers = qn.normalise_answers(questionnaire, anonymous.answers)
    _require_complete_answers(questionnaire, answers)
    scores = scoring.score(questionnaire, answers)
    now = timezone.now()
    diagnostic = Diagnostic(
        association=association,
        questionnaire_version=questionnaire.version,
        status=DiagnosticStatus.COMPLETED,
        started_by=actor,
        completed_at=anonymous.completed_at,
        scores=scores_to_json(scores),
        attached_from_anonymous_at=now,
    )
    diagnostic.full_clean(exclude=["association", "started_by"])
    diagnostic.save()
    DiagnosticAnswer.objects.bulk_create(
        [
            DiagnosticAnswer(
                association=association,
                diagnostic=diagnostic,
                question_id=qid,
                value=value,
                answered_by=actor,
                updated_at=anonymous.updated_at,
            )
            for qid, value in answers.items()
        ]
    )
    anonymous.delete()
    audit_log(
        association=association,
        actor=actor,
        action="strategy.diagnostic_attached",
        obj=diagnostic,
        data={"overall": scores.overall, "level": scores.level},
    )
    return diagnostic
