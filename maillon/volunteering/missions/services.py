"""Writes of volunteer missions: create, update and the lifecycle
(draft → published → full / closed, and back), plus the public page-view counter.

Every service checks ``Perm.MANAGE_MISSIONS``, runs in a transaction, writes one audit
entry and keeps the search data up to date (``search_text`` for every database, the
PostgreSQL ``search_vector`` through ``mission_search.update_search_vectors``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association
from maillon.members.permissions import Perm, check_permission
from maillon.taxonomy import geo
from maillon.taxonomy.models import Department

from ..models import Mission, MissionStatus, MissionView, ScheduleKind, Source, TimeSlot
from .search import update_search_vectors

if TYPE_CHECKING:
    from maillon.accounts.models import User

MISSION_FIELDS = (
    "title",
    "description",
    "cause",
    "is_remote",
    "postal_code",
    "city",
    "schedule_kind",
    "start_date",
    "end_date",
    "schedule_note",
    "time_slots",
    "time_commitment",
    "hours_per_week",
    "volunteers_wanted",
    "minimum_age",
    "audience",
)

# Which status each lifecycle step starts from.
_TRANSITIONS = {
    "publish": ({MissionStatus.DRAFT}, MissionStatus.PUBLISHED),
    "mark_full": ({MissionStatus.PUBLISHED}, MissionStatus.FULL),
    "close": (
        {MissionStatus.DRAFT, MissionStatus.PUBLISHED, MissionStatus.FULL},
        MissionStatus.CLOSED,
    ),
    "reopen": ({MissionStatus.FULL, MissionStatus.CLOSED}, MissionStatus.PUBLISHED),
}


def _place_and_schedule(mission: Mission) -> None:
    """Derive the department from the postal code and check the rules a form alone
    cannot know (remote or a place, dates that fit the schedule)."""
    errors: dict[str, list[str]] = {}
    mission.postal_code = geo.normalise_postal_code(mission.postal_code)
    mission.city = (mission.city or "").strip()
    mission.department = None
    if mission.postal_code:
        code = geo.department_code_for_postal_code(mission.postal_code)
        department = Department.objects.filter(code=code).first() if code else None
        if department is None:
            errors["postal_code"] = [_("Enter a valid French postal code (5 digits).")]
        mission.department = department
    elif not mission.is_remote:
        errors["postal_code"] = [
            _("Give the postal code of the place, or tick “can be done remotely”.")
        ]
    if mission.schedule_kind == ScheduleKind.ONE_OFF and mission.start_date is None:
        errors["start_date"] = [_("A one-off mission needs its date.")]
    if mission.start_date and mission.end_date and mission.end_date < mission.start_date:
        errors["end_date"] = [_("The last day cannot be before the first day.")]
    unknown = set(mission.time_slots or []) - set(TimeSlot.values)
    if unknown:
        errors["time_slots"] = [_("Choose valid time slots.")]
    mission.time_slots = [s for s in TimeSlot.values if s in (mission.time_slots or [])]
    if errors:
        raise ValidationError(errors)


def _validate(mission: Mission) -> None:
    _place_and_schedule(mission)
    mission.full_clean(exclude=["association", "contact", "created_by", "department"])


def _refresh_search(mission: Mission) -> None:
    """search_text (every database) and search_vector (PostgreSQL), skills included."""
    skills = list(mission.skills.all())
    cause = mission.cause
    mission.refresh_search_text(
        skill_labels=[label for s in skills for label in (s.label_fr, s.label_en)],
        cause_label=f"{cause.label_fr} {cause.label_en}" if cause else "",
    )
    Mission.objects.filter(pk=mission.pk).update(search_text=mission.search_text)
    update_search_vectors([mission.pk])


@transaction.atomic
def mission_create(
    *,
    association: Association,
    actor: User,
    skills: Iterable = (),
    status: str = MissionStatus.DRAFT,
    **fields,
) -> Mission:
    """A new mission, a draft unless ``status="published"`` (publish at once)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MISSIONS)
    mission = Mission(
        association=association,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: v for k, v in fields.items() if k in MISSION_FIELDS},
    )
    if status == MissionStatus.PUBLISHED:
        mission.status = MissionStatus.PUBLISHED
        mission.published_at = timezone.now()
    elif status != MissionStatus.DRAFT:
        raise ValidationError(_("A new mission is a draft or is published."))
    _validate(mission)
    mission.save()
    mission.skills.set(list(skills))
    _refresh_search(mission)
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.mission_created",
        obj=mission,
        data={"status": mission.status, "skills": sorted(s.code for s in skills)},
    )
    return mission


@transaction.atomic
def mission_update(
    *,
    association: Association,
    actor: User,
    mission: Mission,
    skills: Iterable | None = None,
    **fields,
):
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MISSIONS)
    ensure_same_association(association, mission)
    # Compare with the stored row: a bound ModelForm may have changed ``mission`` already.
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    changes = apply_changes(mission, {k: v for k, v in fields.items() if k in MISSION_FIELDS})
    _validate(mission)
    mission.save()
    if skills is not None:
        before = set(mission.skills.values_list("code", flat=True))
        skills = list(skills)
        after = {s.code for s in skills}
        if before != after:
            mission.skills.set(skills)
            changes["skills"] = [", ".join(sorted(before)), ", ".join(sorted(after))]
    _refresh_search(mission)
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="volunteering.mission_updated",
            obj=mission,
            data={"changes": changes},
        )
    return mission


def _transition(*, association: Association, actor: User, mission: Mission, step: str) -> Mission:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MISSIONS)
    ensure_same_association(association, mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    sources, target = _TRANSITIONS[step]
    if mission.status not in sources:
        raise ValidationError(
            _("This action is not possible for a mission with the status “%(status)s”.")
            % {"status": mission.get_status_display()}
        )
    before = mission.status
    mission.status = target
    fields = ["status", "updated_at"]
    if target == MissionStatus.PUBLISHED and mission.published_at is None:
        mission.published_at = timezone.now()
        fields.append("published_at")
    mission.save(update_fields=fields)
    audit_log(
        association=association,
        actor=actor,
        action=f"volunteering.mission_{step}",
        obj=mission,
        data={"from": before, "to": target},
    )
    return mission


@transaction.atomic
def mission_publish(*, association: Association, actor: User, mission: Mission) -> Mission:
    """Draft → published: the mission shows in the public search (if open to everyone)."""
    return _transition(association=association, actor=actor, mission=mission, step="publish")


@transaction.atomic
def mission_mark_full(*, association: Association, actor: User, mission: Mission) -> Mission:
    """Published → full: still visible to the association, no longer offered publicly."""
    return _transition(association=association, actor=actor, mission=mission, step="mark_full")


@transaction.atomic
def mission_close(*, association: Association, actor: User, mission: Mission) -> Mission:
    return _transition(association=association, actor=actor, mission=mission, step="close")


@transaction.atomic
def mission_reopen(*, association: Association, actor: User, mission: Mission) -> Mission:
    """Full or closed → published again (it keeps its first publication date)."""
    return _transition(association=association, actor=actor, mission=mission, step="reopen")


def source_from(value: str | None) -> str:
    """The ``?from=`` of a public link, as a known source ("other" when unknown)."""
    return value if value in Source.values else Source.OTHER


def mission_view_record(*, mission: Mission, source: str, day: datetime.date | None = None) -> None:
    """Count one view of a mission's public page (per day and source, no visitor
    recorded). An UPDATE ... count = count + 1 does not lose views under concurrency;
    the first view of the day creates the row, and a concurrent creation is retried as
    an update. Runs in the mission's association's scope (the public page has none)."""
    day = day or timezone.localdate()
    source = source_from(source)
    with scope(association=mission.association_id):
        rows = MissionView.objects.filter(mission=mission, day=day, source=source)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                MissionView.objects.create(
                    association_id=mission.association_id,
                    mission=mission,
                    day=day,
                    source=source,
                    count=1,
                )
        except IntegrityError:
            rows.update(count=F("count") + 1)
