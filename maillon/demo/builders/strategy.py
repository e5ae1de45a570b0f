"""The digital strategy of a demo association: a diagnostic answered by two
contributors and completed, two of its recommendations adopted as actions and measured
by indicators (one entered by hand, one computed by Maillon from a metric).

Added to the associations of ``STRATEGY_DEMOS`` that have no diagnostic yet, also when
they were seeded before it existed; one with any diagnostic is left alone. The
services write everything; the dates of the strategy's own rows are then moved back
(the audit log keeps the moment the seed ran, as for the rest of the demo)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association, Module
from maillon.associations.services import modules_update
from maillon.demo.builders.common import DemoRun
from maillon.members.models import Person
from maillon.metrics.registry import measure, quarter_bounds
from maillon.strategy.diagnostic.services import (
    diagnostic_complete,
    diagnostic_save_answers,
    diagnostic_start,
)
from maillon.strategy.engine.questionnaire import load_questionnaire
from maillon.strategy.engine.rules import recommend, rules_for_questionnaire
from maillon.strategy.engine.scoring import score
from maillon.strategy.models import (
    Action,
    ActionStatus,
    Diagnostic,
    DiagnosticAnswer,
    Indicator,
    IndicatorSource,
    Measurement,
)
from maillon.strategy.plan.services import (
    action_adopt,
    action_set_status,
    action_update,
    indicator_create,
    indicator_refresh_automatic,
    measurement_add,
    quarters_between,
)

#: ``moment(days_after_start, hour, minute=0)``: an aware datetime in the diagnostic's story.
Moment = Callable[..., datetime.datetime]


@dataclass(frozen=True)
class DemoIndicator:
    """How an adopted action is measured: by hand (``values``, oldest first, one per
    quarter end from a month after the adoption to today; those beyond are left out) or
    computed by Maillon (``metric_code``; the target is the baseline plus ``target_gain``)."""

    target: Decimal = Decimal("0")
    name: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    values: tuple[Decimal, ...] = ()
    metric_code: str = ""
    target_gain: Decimal = Decimal("0")


@dataclass(frozen=True)
class DemoAction:
    recommendation: str  # code of a recommendation of the diagnostic
    owner: tuple[str, str]  # (first name, last name) of a person of the association
    status: str
    due_after_days: int  # after the adoption
    notes: str
    indicator: DemoIndicator


@dataclass(frozen=True)
class DemoStrategy:
    slug: str
    contributors: tuple[str, str]  # emails: the first starts, completes and adopts
    second_sections: tuple[str, ...]  # sections the second contributor answers
    answers: dict
    actions: tuple[DemoAction, ...]
    days_ago: int  # when the diagnostic was started


# fmt: off
# The demo answers are written for this version of the questionnaire.
STRATEGY_QUESTIONNAIRE_VERSION = 1

STRATEGY_DEMOS: tuple[DemoStrategy, ...] = (
    DemoStrategy(
        slug="amis-croix-rousse",
        contributors=("presidente@amis-croix-rousse.test", "secretaire@amis-croix-rousse.test"),
        second_sections=("volunteering", "management", "fundraising", "inclusion",
                         "data_protection", "sobriety", "evaluation"),
        days_ago=300,
        answers={
            "profile.size_band": "none", "profile.sector": "leisure",
            "profile.budget_band": "under_10k", "profile.members_count": "50_200",
            "profile.digital_carriers": "few_volunteers", "profile.resource_time": "low",
            "profile.resource_budget": "small", "profile.resource_skills": "some",
            "profile.difficulties": ["human", "technical"],
            "profile.non_connected_members": "many",
            "objectives.ranking": ["involve_members", "animate_network", "make_known",
                                   "mobilise_volunteers", "serve_members"],
            "self_rating.level": "en_progres",
            "communication.tools_used": ["social_networks", "newsletter", "local_listings"],
            "communication.tools_planned": ["website"],
            "communication.update_frequency": "rarely", "communication.plan": "informal",
            "communication.who_publishes": "single_person",
            "communication.internal_channels": "four_plus",
            "communication.messages_answered": "sometimes",
            "volunteering.recruitment_channels": ["word_of_mouth", "local_events"],
            "volunteering.missions_described": "none",
            "volunteering.response_time": "over_two_weeks", "volunteering.follow_up": "informal",
            "governance.tools_used": ["shared_minutes"],
            "governance.tools_planned": ["online_votes"],
            "governance.ag_participation": "10_25", "governance.consultation": "never",
            "governance.meeting_format": "mostly_in_person",
            "management.tools_used": ["shared_documents", "team_chat"],
            "management.tools_planned": ["membership"], "management.tool_choice": "ad_hoc",
            "management.data_location": "mixed", "management.accounts_owner": "personal",
            "management.bureau_change": "some_lost",
            "fundraising.tools_used": ["none"], "fundraising.tools_planned": ["online_fees"],
            "fundraising.reconciliation": "not_applicable",
            "fundraising.donor_relation": "thanks",
            "digital_culture.key_person": "hard", "digital_culture.documentation": "nothing",
            "digital_culture.learning": ["peer_help"], "digital_culture.comfort": "2",
            "digital_culture.shared_vision": "when_problem",
            "digital_culture.tech_decides": "yes",
            "inclusion.alternatives": ["paper_mail", "phone"], "inclusion.support": "on_request",
            "inclusion.know_who": "roughly", "inclusion.accessibility": "not_considered",
            "data_protection.register": "dont_know", "data_protection.practices": ["consent"],
            "data_protection.passwords": "shared_plain", "data_protection.backups": "no",
            "data_protection.member_file_access": "several",
            "sobriety.equipment": "personal_only", "sobriety.responsible_tools": "some",
            "sobriety.practices": ["fewer_tools"],
            "evaluation.indicators": "none", "evaluation.tool_review": "when_problem",
            "evaluation.feedback": "informally",
            "evaluation.effects": ["information_sharing", "cohesion"],
        },
        actions=(
            DemoAction(
                recommendation="consult_between_assemblies",
                owner=("Nadia", "Benali"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=365,
                notes=("Sondage en ligne avant chaque conseil, et la même question sur papier "
                       "aux permanences du samedi pour les adhérents sans internet."),
                indicator=DemoIndicator(
                    name="Part des adhérents répondant aux consultations", unit="%",
                    baseline=Decimal("8"), target=Decimal("35"),
                    values=(Decimal("12"), Decimal("21"), Decimal("27")),
                ),
            ),
            DemoAction(
                recommendation="paper_phone_channel",
                owner=("Paulette", "Chambon"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=180,
                notes=("Convocations et lettre trimestrielle envoyées aussi par courrier ; "
                       "Paulette appelle les adhérents qui n'ont pas de courriel."),
                indicator=DemoIndicator(metric_code="members.active", target_gain=Decimal("12")),
            ),
        ),
    ),
    DemoStrategy(
        slug="epicerie-belle-de-mai",
        contributors=("directrice@epicerie-belle-de-mai.test",
                      "presidente@epicerie-belle-de-mai.test"),
        second_sections=("profile", "objectives", "self_rating", "governance", "inclusion"),
        days_ago=200,
        answers={
            "profile.size_band": "3-9", "profile.sector": "social-action",
            "profile.budget_band": "50k_200k", "profile.members_count": "50_200",
            "profile.digital_carriers": "staff", "profile.resource_time": "medium",
            "profile.resource_budget": "small", "profile.resource_skills": "some",
            "profile.difficulties": ["financial", "human"],
            "profile.non_connected_members": "many",
            "objectives.ranking": ["mobilise_volunteers", "serve_members", "manage_efficiently",
                                   "raise_funds", "work_together", "make_known"],
            "self_rating.level": "en_progres",
            "communication.tools_used": ["website", "social_networks", "local_listings"],
            "communication.tools_planned": ["newsletter"],
            "communication.update_frequency": "monthly", "communication.plan": "informal",
            "communication.who_publishes": "two_three",
            "communication.internal_channels": "two_three",
            "communication.messages_answered": "sometimes",
            "volunteering.recruitment_channels": ["word_of_mouth", "volunteer_platforms",
                                                  "partners"],
            "volunteering.missions_described": "some",
            "volunteering.response_time": "within_week", "volunteering.follow_up": "spreadsheet",
            "governance.tools_used": ["online_meetings", "shared_minutes"],
            "governance.tools_planned": ["remote_ag"],
            "governance.ag_participation": "10_25", "governance.consultation": "sometimes",
            "governance.meeting_format": "mixed",
            "management.tools_used": ["accounting", "shared_documents", "shared_calendar",
                                      "videoconference"],
            "management.tools_planned": ["membership"], "management.tool_choice": "compare",
            "management.data_location": "shared_space", "management.accounts_owner": "mixed",
            "management.bureau_change": "no_change_yet",
            "fundraising.tools_used": ["online_donations", "tax_receipts"],
            "fundraising.tools_planned": ["online_fees"],
            "fundraising.reconciliation": "retyped", "fundraising.donor_relation": "news",
            "digital_culture.key_person": "hard", "digital_culture.documentation": "partly",
            "digital_culture.learning": ["peer_help", "external_training"],
            "digital_culture.comfort": "3", "digital_culture.shared_vision": "yearly",
            "digital_culture.tech_decides": "no",
            "inclusion.alternatives": ["paper_mail", "phone", "secretary_records",
                                       "offline_payment"],
            "inclusion.support": "organised", "inclusion.know_who": "roughly",
            "inclusion.accessibility": "partly",
            "data_protection.register": "in_progress",
            "data_protection.practices": ["minimisation", "information_notice", "consent"],
            "data_protection.passwords": "one_person", "data_protection.backups": "sometimes",
            "data_protection.member_file_access": "need_to_know",
            "sobriety.equipment": "reuse", "sobriety.responsible_tools": "some",
            "sobriety.practices": ["fewer_tools", "cleanup"],
            "evaluation.indicators": "occasional", "evaluation.tool_review": "when_problem",
            "evaluation.feedback": "informally",
            "evaluation.effects": ["volunteer_involvement", "efficiency", "follow_up"],
        },
        actions=(
            DemoAction(
                recommendation="publish_missions",
                owner=("Sophie", "Marchetti"),
                status=ActionStatus.IN_PROGRESS,
                due_after_days=270,
                notes=("Missions publiées : accueil, tri des denrées, ateliers cuisine. "
                       "Reste à décrire les maraudes avec les partenaires."),
                indicator=DemoIndicator(
                    name="Nouveaux bénévoles par trimestre", unit="bénévoles",
                    baseline=Decimal("3"), target=Decimal("10"),
                    values=(Decimal("5"), Decimal("8"), Decimal("9")),
                ),
            ),
            DemoAction(
                recommendation="member_register",
                owner=("Jean-Pierre", "Santoni"),
                status=ActionStatus.DONE,
                due_after_days=90,
                notes="Le tableur des adhérents est importé ; les cotisations sont saisies ici.",
                indicator=DemoIndicator(metric_code="members.active", target_gain=Decimal("20")),
            ),
        ),
    ),
)
# fmt: on


def seed_strategy(run: DemoRun, spec: DemoStrategy) -> None:
    association = Association.objects.filter(slug=spec.slug).first()
    if association is None:
        return
    with scope(association=association):
        if Diagnostic.objects.filter(association=association).exists():
            run.kept(f"= {spec.slug}: digital strategy already there, left unchanged")
            return
        with transaction.atomic():
            indicators = create_strategy(run, association, spec)
    run.added(
        f"+ {spec.slug}: diagnostic completed, {len(spec.actions)} actions adopted, "
        f"{indicators} indicators"
    )


def create_strategy(run: DemoRun, association, spec: DemoStrategy) -> int:
    """A diagnostic started ``spec.days_ago`` days ago by two contributors, completed a
    week later, two recommendations adopted that evening and measured since. Returns
    the number of indicators of the association."""
    lead, second = (User.objects.get(email__iexact=email) for email in spec.contributors)
    tz = zoneinfo.ZoneInfo(association.time_zone)
    first_day = run.today - datetime.timedelta(days=spec.days_ago)

    def moment(days_after: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = first_day + datetime.timedelta(days=days_after)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)

    if not association.has_module(Module.STRATEGY):
        modules_update(
            association=association,
            actor=lead,
            modules=[*association.enabled_modules, Module.STRATEGY],
        )
    diagnostic = answer_diagnostic(association, spec, lead, second, moment)
    questionnaire = load_questionnaire(diagnostic.questionnaire_version)
    recommended = {
        recommendation.code
        for recommendation in recommend(
            questionnaire,
            rules_for_questionnaire(questionnaire.version),
            spec.answers,
            score(questionnaire, spec.answers),
        )
    }
    adopted_at = moment(7, 20, 40)
    for demo in spec.actions:
        if demo.recommendation not in recommended:
            raise CommandError(
                f"{spec.slug}: the demo answers no longer lead to the recommendation "
                f"{demo.recommendation!r}; update STRATEGY_DEMOS."
            )
        action = adopt_action(association, lead, diagnostic, demo, adopted_at, moment)
        measure_action(run, association, lead, action, demo.indicator, adopted_at)
    return Indicator.objects.filter(association=association).count()


def answer_diagnostic(
    association, spec: DemoStrategy, lead: User, second: User, moment: Moment
) -> Diagnostic:
    """Started by ``lead``, ``second`` answers the sections ``spec.second_sections``, the
    lead the rest and completes it a week later."""
    diagnostic = diagnostic_start(
        association=association,
        actor=lead,
        questionnaire_version=STRATEGY_QUESTIONNAIRE_VERSION,
    )
    questionnaire = load_questionnaire(diagnostic.questionnaire_version)
    second_questions = {
        question.id
        for section in questionnaire.sections
        if section.code in spec.second_sections
        for question in section.questions
    }
    for actor, theirs in ((lead, False), (second, True)):
        diagnostic_save_answers(
            association=association,
            actor=actor,
            diagnostic=diagnostic,
            answers={
                qid: value
                for qid, value in spec.answers.items()
                if (qid in second_questions) == theirs
            },
        )
    diagnostic = diagnostic_complete(association=association, actor=lead, diagnostic=diagnostic)
    completed_at = moment(7, 20, 15)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(
        created_at=moment(0, 18, 30), updated_at=completed_at, completed_at=completed_at
    )
    answers = DiagnosticAnswer.objects.filter(diagnostic=diagnostic)
    answers.filter(answered_by=lead).update(updated_at=moment(0, 19, 10))
    answers.filter(answered_by=second).update(updated_at=moment(3, 21, 5))
    diagnostic.refresh_from_db()
    return diagnostic


def adopt_action(
    association,
    lead: User,
    diagnostic: Diagnostic,
    demo: DemoAction,
    adopted_at: datetime.datetime,
    moment: Moment,
) -> Action:
    """The recommendation ``demo.recommendation`` adopted, given an owner, a due date,
    notes and a status."""
    action = action_adopt(
        association=association,
        actor=lead,
        diagnostic=diagnostic,
        recommendation_code=demo.recommendation,
        language="fr",
    )
    owner = (
        Person.objects.filter(
            association=association, first_name=demo.owner[0], last_name=demo.owner[1]
        )
        .order_by("id")
        .first()
    )
    action = action_update(
        association=association,
        actor=lead,
        action=action,
        owner=owner,
        due_date=adopted_at.date() + datetime.timedelta(days=demo.due_after_days),
        notes=demo.notes,
    )
    action = action_set_status(
        association=association, actor=lead, action=action, status=demo.status
    )
    Action.objects.filter(pk=action.pk).update(created_at=adopted_at, updated_at=moment(21, 19))
    return action


def measure_action(
    run: DemoRun,
    association,
    actor: User,
    action: Action,
    demo: DemoIndicator,
    adopted_at: datetime.datetime,
) -> None:
    """One indicator for ``action``, created when it was adopted; its values since."""
    if demo.metric_code:
        measure_by_metric(run, association, actor, action, demo, adopted_at)
    else:
        measure_by_hand(run, association, actor, action, demo, adopted_at)


def measure_by_metric(
    run: DemoRun,
    association,
    actor: User,
    action: Action,
    demo: DemoIndicator,
    adopted_at: datetime.datetime,
) -> None:
    """Computed by Maillon: the baseline is the value at the end of the quarter before
    the adoption; then one value per quarter, as the quarterly task does."""
    quarter_start, _end = quarter_bounds(adopted_at.date())
    before = quarter_start - datetime.timedelta(days=1)
    baseline = measure(
        demo.metric_code,
        association=association,
        start=quarter_bounds(before)[0],
        end=before,
    )
    indicator = indicator_create(
        association=association,
        actor=actor,
        action=action,
        source=IndicatorSource.METRIC,
        metric_code=demo.metric_code,
        baseline=baseline,
        target=(baseline or 0) + demo.target_gain,
        target_date=action.due_date,
    )
    Indicator.objects.filter(pk=indicator.pk).update(created_at=adopted_at, updated_at=adopted_at)
    indicator.refresh_from_db()
    indicator_refresh_automatic(
        association=association, indicator=indicator, full=True, today=run.today
    )


def measure_by_hand(
    run: DemoRun,
    association,
    actor: User,
    action: Action,
    demo: DemoIndicator,
    adopted_at: datetime.datetime,
) -> None:
    """Entered by hand: a first value at least a month after the adoption, then one per
    quarter end up to today (values beyond are left out)."""
    adopted_on = adopted_at.date()
    indicator = indicator_create(
        association=association,
        actor=actor,
        action=action,
        name=demo.name,
        unit=demo.unit,
        baseline=demo.baseline,
        target=demo.target,
        target_date=action.due_date,
    )
    Indicator.objects.filter(pk=indicator.pk).update(created_at=adopted_at, updated_at=adopted_at)
    first_value_on = adopted_on + datetime.timedelta(days=30)
    quarter_ends = [
        end
        for _start, end in quarters_between(adopted_on, run.today)
        if first_value_on <= end <= run.today
    ]
    for day, value in zip(quarter_ends, demo.values, strict=False):
        measurement = measurement_add(
            association=association, actor=actor, indicator=indicator, date=day, value=value
        )
        recorded_at = datetime.datetime.combine(day, datetime.time(18), tzinfo=adopted_at.tzinfo)
        Measurement.objects.filter(pk=measurement.pk).update(created_at=recorded_at)
