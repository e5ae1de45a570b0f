"""Writes on practice sheets: writing and revising (a revision kept each time),
publishing to networks or everyone, the network's moderation, "we did it too" and
questions to the author. Each writes its audit entry (both sides when a network acts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association
from maillon.core.text import fold
from maillon.members.permissions import Perm, check_permission
from maillon.strategy.models import Diagnostic
from maillon.strategy.plan import services as plan_services

from ..audit import log_both_sides
from ..memberships.services import INVITERS
from ..models import (
    MembershipStatus,
    Network,
    NetworkMembership,
    PracticeAdoption,
    PracticeEndorsement,
    PracticeQuestion,
    PracticeSheet,
    PracticeSheetNetwork,
    PracticeSheetRevision,
    QuestionStatus,
    ToolKind,
    Visibility,
)
from ..networks.services import check_network_role
from .selectors import sheet_network_ids_across_associations
from .tasks import notify_question

SHEET_FIELDS = (
    "title",
    "problem",
    "size_band",
    "sector",
    "budget_band",
    "staff",
    "what_was_done",
    "tools",
    "tool_kinds",
    "time_spent_hours",
    "money_spent",
    "pitfalls",
    "domains",
    "results",
    "licence",
    "recommendation_code",
    "evidence",
)


def _check_codes(sheet: PracticeSheet) -> None:
    from maillon.strategy.engine.questionnaire import DOMAIN_CODES
    from maillon.strategy.engine.rules import PITFALL_CODES

    errors = {}
    for name, allowed in (
        ("pitfalls", PITFALL_CODES),
        ("domains", DOMAIN_CODES),
        ("tool_kinds", ToolKind.values),
    ):
        unknown = sorted(set(getattr(sheet, name) or []) - set(allowed))
        if unknown:
            errors[name] = _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


def _snapshot(sheet: PracticeSheet) -> dict:
    data = {}
    for name in SHEET_FIELDS:
        value = getattr(sheet, "sector_id" if name == "sector" else name)
        data[name] = str(value) if isinstance(value, Decimal) else value
    return data


def _search_text(sheet: PracticeSheet) -> str:
    return fold(
        " ".join(
            [sheet.title, sheet.problem, sheet.what_was_done, sheet.results, " ".join(sheet.tools)]
        )
    )


def _save_revision(sheet: PracticeSheet, actor: User) -> None:
    PracticeSheetRevision.objects.create(
        association=sheet.association,
        sheet=sheet,
        number=sheet.revision,
        data=_snapshot(sheet),
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def practice_sheet_create(
    *, association: Association, actor: User, source_action: Any = None, **fields: Any
) -> PracticeSheet:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    ensure_same_association(association, source_action)
    with scope(association=association):
        sheet = PracticeSheet(
            association=association,
            author=actor,
            source_action=source_action,
            **{k: v for k, v in fields.items() if k in SHEET_FIELDS},
        )
        sheet.search_text = _search_text(sheet)
        _check_codes(sheet)
        sheet.full_clean()
        sheet.save()
        _save_revision(sheet, actor)
        audit_log(
            association=association, actor=actor, action="network.practice_created", obj=sheet
        )
    return sheet


@transaction.atomic
def practice_sheet_update(
    *, association: Association, actor: User, sheet: PracticeSheet, **fields: Any
) -> PracticeSheet:
    """A new version of the sheet; the previous ones stay in its history."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    ensure_same_association(association, sheet)
    with scope(association=association):
        sheet = PracticeSheet.objects.select_for_update().get(pk=sheet.pk)
        changed = sorted(
            k for k, v in fields.items() if k in SHEET_FIELDS and getattr(sheet, k) != v
        )
        if not changed:
            return sheet
        for name in changed:
            setattr(sheet, name, fields[name])
        sheet.revision += 1
        sheet.search_text = _search_text(sheet)
        _check_codes(sheet)
        sheet.full_clean()
        sheet.save()
        _save_revision(sheet, actor)
        audit_log(
            association=association,
            actor=actor,
            action="network.practice_revised",
            obj=sheet,
            data={"fields": changed, "revision": sheet.revision},
        )
    return sheet


def _member_networks(association: Association) -> set[int]:
    return set(
        NetworkMembership.objects.filter(
            association=association, status=MembershipStatus.ACTIVE
        ).values_list("network_id", flat=True)
    )


@transaction.atomic
def practice_sheet_publish(
    *,
    association: Association,
    actor: User,
    sheet: PracticeSheet,
    visibility: str,
    networks: list[Network] | None = None,
) -> PracticeSheet:
    """Draft, the chosen networks (those the association belongs to), or everyone
    (also shown in its networks)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    ensure_same_association(association, sheet)
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who may read the sheet."))
    with scope(association=association):
        allowed = _member_networks(association)
        chosen = {n.pk for n in networks or []}
        if chosen - allowed:
            raise ValidationError(_("Your association is not a member of this network."))
        if visibility == Visibility.NETWORK and not chosen:
            raise ValidationError(_("Choose at least one of your networks."))
        if visibility == Visibility.PUBLIC and not chosen:
            chosen = allowed
        sheet = PracticeSheet.objects.select_for_update().get(pk=sheet.pk)
        sheet.visibility = visibility
        if visibility != Visibility.DRAFT and sheet.published_at is None:
            sheet.published_at = timezone.now()
        sheet.save(update_fields=["visibility", "published_at", "updated_at"])
        PracticeSheetNetwork.objects.filter(sheet=sheet).exclude(network_id__in=chosen).delete()
        existing = set(
            PracticeSheetNetwork.objects.filter(sheet=sheet).values_list("network_id", flat=True)
        )
        PracticeSheetNetwork.objects.bulk_create(
            PracticeSheetNetwork(association=association, sheet=sheet, network_id=pk)
            for pk in sorted(chosen - existing)
        )
        audit_log(
            association=association,
            actor=actor,
            action="network.practice_visibility",
            obj=sheet,
            data={"visibility": visibility, "networks": sorted(chosen)},
        )
    return sheet


@transaction.atomic
def practice_sheet_moderate(
    *,
    network: Network,
    actor: User,
    share: PracticeSheetNetwork,
    featured: bool | None = None,
    hidden: bool | None = None,
) -> PracticeSheetNetwork:
    """A network's head or coordinator features a sheet shared with it, or takes it
    out of the network (the sheet itself stays its author's)."""
    check_network_role(network=network, actor=actor, roles=INVITERS)
    if share.network_id != network.pk:
        raise PermissionDenied
    if featured is not None:
        share.featured = featured
    if hidden is not None:
        share.hidden = hidden
    with scope(association=share.association_id):
        share.save(update_fields=["featured", "hidden"])
        log_both_sides(
            network=network,
            association=share.association,
            actor=actor,
            action="network.practice_moderated",
            obj=share.sheet,
            data={"featured": share.featured, "hidden": share.hidden},
        )
    return share


def _readable_by(association: Association, sheet: PracticeSheet) -> bool:
    if sheet.visibility == Visibility.PUBLIC:
        return True
    if sheet.visibility != Visibility.NETWORK:
        return False
    return bool(sheet_network_ids_across_associations(sheet=sheet) & _member_networks(association))


@transaction.atomic
def practice_endorse(
    *, association: Association, actor: User, sheet: PracticeSheet, outcome: str = ""
) -> PracticeEndorsement:
    """ "We did it too", with the endorsing association's own outcome."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    with scope(association=association):
        if sheet.association_id == association.pk or not _readable_by(association, sheet):
            raise ValidationError(_("You cannot endorse this sheet."))
        if PracticeEndorsement.objects.filter(sheet=sheet, association=association).exists():
            raise ValidationError(_("Your association already said it did it too."))
        endorsement = PracticeEndorsement.objects.create(
            association=association, sheet=sheet, outcome=outcome.strip(), author=actor
        )
        audit_log(
            association=association,
            actor=actor,
            action="network.practice_endorsed",
            obj=endorsement,
            data={"sheet": sheet.pk},
        )
    return endorsement


@transaction.atomic
def practice_adopt(
    *,
    association: Association,
    actor: User,
    sheet: PracticeSheet,
    diagnostic: Diagnostic | None = None,
    recommendation_code: str = "",
) -> PracticeAdoption:
    """Put a practice of another association in the plan, the action keeping a link to
    the sheet. With a diagnostic's recommendation the action is that recommendation
    (adopted once, as in the plan); without, it is a new action titled like the sheet."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    with scope(association=association):
        if sheet.association_id == association.pk or not _readable_by(association, sheet):
            raise ValidationError(_("You cannot adopt this sheet."))
        if diagnostic is not None and recommendation_code:
            action = plan_services.action_adopt(
                association=association,
                actor=actor,
                diagnostic=diagnostic,
                recommendation_code=recommendation_code,
            )
        else:
            action = plan_services.action_create(
                association=association,
                actor=actor,
                title=sheet.title[:200],
                description=sheet.problem,
            )
        adoption = PracticeAdoption.objects.create(
            association=association, action=action, sheet=sheet, adopted_by=actor
        )
        audit_log(
            association=association,
            actor=actor,
            action="network.practice_adopted",
            obj=adoption,
            data={"sheet": sheet.pk, "action": action.pk, "recommendation": recommendation_code},
        )
    return adoption


@transaction.atomic
def practice_question_ask(
    *, association: Association, actor: User, sheet: PracticeSheet, body: str
) -> PracticeQuestion:
    """A question to the author association, shown once it publishes it; the
    author association gets an email."""
    check_permission(association=association, actor=actor, permission=Perm.VIEW_BACKOFFICE)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your question."))
    with scope(association=association):
        if sheet.association_id == association.pk or not _readable_by(association, sheet):
            raise ValidationError(_("You cannot ask a question about this sheet."))
        question = PracticeQuestion.objects.create(
            association=association, sheet=sheet, body=body, author=actor
        )
        audit_log(
            association=association,
            actor=actor,
            action="network.practice_question_asked",
            obj=question,
            data={"sheet": sheet.pk},
        )
    transaction.on_commit(
        lambda: notify_question.enqueue(
            association_id=sheet.association_id,
            language=get_language() or "",
            question_id=question.pk,
        )
    )
    return question


@transaction.atomic
def practice_question_moderate(
    *,
    association: Association,
    actor: User,
    question: PracticeQuestion,
    publish: bool,
    answer: str = "",
) -> PracticeQuestion:
    """The author association publishes (with its answer) or rejects a question."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    if question.sheet.association_id != association.pk:
        raise PermissionDenied
    question.status = QuestionStatus.PUBLISHED if publish else QuestionStatus.REJECTED
    question.answer = answer.strip()
    question.moderated_at = timezone.now()
    with scope(association=question.association_id):
        question.save(update_fields=["status", "answer", "moderated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="network.practice_question_moderated",
        obj=question.sheet,
        data={"question": question.pk, "status": question.status},
    )
    return question
