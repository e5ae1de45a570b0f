"""Writes of volunteer hours and of the valuation settings.

A volunteer logs their own hours: they wait for a manager's validation. Hours logged
by a manager (Perm.MANAGE_HOURS), for anyone, are validated at once: the manager is
the one who would validate them. Only validated hours are valued, counted on the
dashboard and printed on a certificate.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission, permissions_for_roles
from maillon.members.roles.selectors import my_roles

from ..models import (
    HoursStatus,
    Mission,
    VolunteerHours,
    VolunteeringSettings,
    YearlyHourlyRate,
)

if TYPE_CHECKING:
    from maillon.accounts.models import User

HOURS_FIELDS = ("date", "hours", "activity", "mission", "description")
# A volunteer may log the day ahead (time zones, an evening entered the day before),
# not further: hours are given, not planned.
MAX_DAYS_AHEAD = 1


def _permissions(association: Association, actor: User) -> frozenset[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    return permissions_for_roles(my_roles(association=association, user=actor))


def _own_person(association: Association, actor: User) -> Person | None:
    return Person.objects.filter(association=association, user=actor).first()


def _check_entry_fields(association: Association, fields: dict) -> None:
    day = fields.get("date")
    if day is not None and day > timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"date": _("Hours cannot be logged for a future date.")})
    mission = fields.get("mission")
    if mission is not None:
        ensure_same_association(association, mission)


@transaction.atomic
def hours_log(
    *,
    association: Association,
    actor: User,
    person: Person | None = None,
    date: datetime.date,
    hours: Decimal,
    activity: str,
    mission: Mission | None = None,
    description: str = "",
) -> VolunteerHours:
    """Record time given. ``person`` defaults to the actor's own record; logging for
    someone else needs Perm.MANAGE_HOURS. A manager's entries are validated at once."""
    permissions = _permissions(association, actor)
    own = _own_person(association, actor)
    if person is None:
        person = own
        if person is None:
            raise PermissionDenied
    ensure_same_association(association, person)
    is_manager = Perm.MANAGE_HOURS in permissions
    if own is not None and person.pk == own.pk:
        if Perm.LOG_HOURS not in permissions:
            raise PermissionDenied
    elif not is_manager:
        raise PermissionDenied
    fields = {
        "date": date,
        "hours": hours,
        "activity": activity,
        "mission": mission,
        "description": description,
    }
    _check_entry_fields(association, fields)
    entry = VolunteerHours(association=association, person=person, logged_by=actor, **fields)
    if is_manager:
        entry.status = HoursStatus.VALIDATED
        entry.validated_by = actor
        entry.validated_at = timezone.now()
    entry.full_clean(exclude=["association", "person", "logged_by", "validated_by"])
    entry.save()
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.hours_logged",
        obj=entry,
        data={
            "person": person.pk,
            "date": date.isoformat(),
            "hours": str(entry.hours),
            "activity": activity,
            "status": entry.status,
        },
    )
    return entry


def _check_may_change(association: Association, actor: User, entry: VolunteerHours) -> None:
    """A volunteer changes their own entries while they wait for validation; a
    manager changes any entry waiting for validation. Validated or rejected entries
    are final (the valuation and certificates rely on them)."""
    ensure_same_association(association, entry)
    permissions = _permissions(association, actor)
    own = _own_person(association, actor)
    is_own = own is not None and entry.person_id == own.pk
    if not (Perm.MANAGE_HOURS in permissions or (is_own and Perm.LOG_HOURS in permissions)):
        raise PermissionDenied
    if entry.status != HoursStatus.PENDING:
        raise ValidationError(_("Only hours waiting for validation can be changed."))


@transaction.atomic
def hours_update(
    *, association: Association, actor: User, entry: VolunteerHours, **fields
) -> VolunteerHours:
    entry = VolunteerHours.objects.select_for_update().get(pk=entry.pk)
    _check_may_change(association, actor, entry)
    fields = {k: v for k, v in fields.items() if k in HOURS_FIELDS}
    _check_entry_fields(association, fields)
    changes = apply_changes(entry, fields)
    entry.full_clean(exclude=["association", "person", "logged_by", "validated_by"])
    entry.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="volunteering.hours_updated",
            obj=entry,
            data={"changes": changes},
        )
    return entry


@transaction.atomic
def hours_delete(*, association: Association, actor: User, entry: VolunteerHours) -> None:
    entry = VolunteerHours.objects.select_for_update().get(pk=entry.pk)
    _check_may_change(association, actor, entry)
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.hours_deleted",
        obj=entry,
        data={
            "person": entry.person_id,
            "date": entry.date.isoformat(),
            "hours": str(entry.hours),
        },
    )
    entry.delete()


@transaction.atomic
def hours_decide(
    *, association: Association, actor: User, entry_ids: Iterable[int], validate: bool
) -> list[VolunteerHours]:
    """Validate or reject entries waiting for validation (one or several at once).
    Entries already decided are left as they are; returns the entries decided."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_HOURS)
    ids = {int(i) for i in entry_ids}
    entries = list(
        VolunteerHours.objects.select_for_update()
        .filter(association=association, pk__in=ids, status=HoursStatus.PENDING)
        .order_by("pk")
    )
    if not entries:
        return []
    status = HoursStatus.VALIDATED if validate else HoursStatus.REJECTED
    now = timezone.now()
    VolunteerHours.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=status, validated_by=actor, validated_at=now
    )
    for entry in entries:
        entry.status, entry.validated_by, entry.validated_at = status, actor, now
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.hours_validated" if validate else "volunteering.hours_rejected",
        data={
            "entries": [e.pk for e in entries],
            "hours": str(sum((e.hours for e in entries), Decimal(0))),
        },
    )
    return entries


@transaction.atomic
def volunteering_settings_update(
    *,
    association: Association,
    actor: User,
    hourly_rate: Decimal,
    valuation_method: str,
    remind_after_days: int,
) -> VolunteeringSettings:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_HOURS)
    settings, _created = VolunteeringSettings.objects.select_for_update().get_or_create(
        association=association
    )
    changes = apply_changes(
        settings,
        {
            "hourly_rate": hourly_rate,
            "valuation_method": valuation_method,
            "remind_after_days": remind_after_days,
        },
    )
    settings.full_clean(exclude=["association"])
    settings.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="volunteering.settings_updated",
            obj=settings,
            data={"changes": changes},
        )
    return settings


@transaction.atomic
def yearly_rate_set(
    *, association: Association, actor: User, year: int, hourly_rate: Decimal
) -> YearlyHourlyRate:
    """Fix the hourly rate of one year: that year's valuation keeps it whatever the
    default rate becomes (the accounts of a closed year do not move)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_HOURS)
    rate = YearlyHourlyRate.objects.select_for_update().filter(
        association=association, year=year
    ).first() or YearlyHourlyRate(association=association, year=year)
    old = rate.hourly_rate if rate.pk else None
    rate.hourly_rate = hourly_rate
    rate.full_clean(exclude=["association"], validate_unique=False)
    rate.save()
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.yearly_rate_set",
        obj=rate,
        data={"year": year, "old": "" if old is None else str(old), "new": str(hourly_rate)},
    )
    return rate


@transaction.atomic
def yearly_rate_remove(*, association: Association, actor: User, rate: YearlyHourlyRate) -> None:
    """Unlock a year: its valuation follows the default rate again."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_HOURS)
    ensure_same_association(association, rate)
    audit_log(
        association=association,
        actor=actor,
        action="volunteering.yearly_rate_removed",
        obj=rate,
        data={"year": rate.year, "rate": str(rate.hourly_rate)},
    )
    rate.delete()
