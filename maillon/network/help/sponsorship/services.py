"""Writes of skills sponsorship. Each service acts for one side: the association
(``company=None``: the actor needs ``association.manage``) or the company (the actor
is one of ``company``'s coordinators and the agreement is the company's). Rows live
in the association's scope; every change leaves an entry in its audit log."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association
from maillon.core.tenancy import in_association_scope as _in_scope
from maillon.members.permissions import Perm, check_permission

from ..companies.selectors import is_company_coordinator
from ..models import Company, Engagement, EngagementKind, LentEmployee
from . import caps, selectors
from .models import (
    AgreementEmployee,
    SponsorshipAgreement,
    TimesheetEntry,
    TimesheetStatus,
    new_link_key,
)

if TYPE_CHECKING:
    from maillon.funding.models import Receipt

MANAGE = Perm.MANAGE_ASSOCIATION
TERMS = (
    "tasks",
    "starts_on",
    "ends_on",
    "planned_hours",
    "association_signatory",
    "company_signatory",
)
MAX_HOURS_A_DAY = Decimal(24)


def _check_side(association: Association, actor: Any, company: Company | None, obj) -> None:
    """The actor acts for the association (``company`` None) or for ``company``,
    which must be the party of ``obj`` (an engagement or an agreement)."""
    ensure_same_association(association, obj)
    if company is None:
        check_permission(association=association, actor=actor, permission=MANAGE)
        return
    if not is_company_coordinator(company=company, user=actor):
        raise PermissionDenied
    if obj.company_id != company.pk:
        raise ObjectOutsideAssociation


def _log(agreement: SponsorshipAgreement, actor: Any, action: str, data: dict | None = None):
    audit_log(
        association=agreement.association,
        actor=actor,
        action=f"network.sponsorship_{action}",
        obj=agreement,
        data={"company": agreement.company.siren, **(data or {})},
    )


def _check_terms(fields: dict[str, Any]) -> None:
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The agreement must end after it starts.")})


# --- the agreement ------------------------------------------------------------------------------


@_in_scope
@transaction.atomic
def agreement_draft(
    *,
    association: Association,
    actor: Any,
    engagement: Engagement,
    company: Company | None = None,
    tasks: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    planned_hours: Decimal,
    association_signatory: str = "",
    company_signatory: str = "",
) -> SponsorshipAgreement:
    """The written agreement of an accepted company engagement, drafted by either
    side; the other side sees it at once."""
    _check_side(association, actor, company, engagement)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.kind != EngagementKind.COMPANY or engagement.status not in selectors.AGREEABLE:
        raise ValidationError(
            _("An agreement is drafted for a company’s offer once the association accepted it.")
        )
    if SponsorshipAgreement.objects.filter(engagement=engagement).exists():
        raise ValidationError(_("This engagement already has its agreement."))
    fields = {
        "tasks": tasks,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "planned_hours": planned_hours,
        "association_signatory": association_signatory,
        "company_signatory": company_signatory,
    }
    _check_terms(fields)
    agreement = SponsorshipAgreement(
        association=association,
        engagement=engagement,
        company=engagement.company,
        drafted_by=actor,
        drafted_by_company=company is not None,
        **fields,
    )
    agreement.full_clean()
    agreement.save()
    _log(agreement, actor, "drafted", {"by_company": company is not None})
    return agreement


def _lock(agreement: SponsorshipAgreement) -> SponsorshipAgreement:
    return (
        SponsorshipAgreement.objects.select_for_update()
        .select_related("association", "company")
        .get(pk=agreement.pk)
    )


def _unsign(agreement: SponsorshipAgreement) -> list[str]:
    """A change of the terms: what each side signed is no longer the agreement."""
    if agreement.is_signed:
        raise ValidationError(
            _("Both sides signed this agreement: its terms can no longer change.")
        )
    agreement.association_signed_at = agreement.company_signed_at = None
    agreement.association_signed_by = agreement.company_signed_by = None
    return [
        "association_signed_at",
        "association_signed_by",
        "company_signed_at",
        "company_signed_by",
    ]


@_in_scope
@transaction.atomic
def agreement_update(
    *,
    association: Association,
    actor: Any,
    agreement: SponsorshipAgreement,
    company: Company | None = None,
    **fields: Any,
) -> SponsorshipAgreement:
    _check_side(association, actor, company, agreement)
    agreement = _lock(agreement)
    changes = {k: v for k, v in fields.items() if k in TERMS and getattr(agreement, k) != v}
    if not changes:
        return agreement
    _check_terms({"starts_on": agreement.starts_on, "ends_on": agreement.ends_on, **changes})
    updated = _unsign(agreement)
    for name, value in changes.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save(update_fields=[*changes, *updated, "updated_at"])
    _log(agreement, actor, "updated", {"fields": sorted(changes)})
    return agreement


@_in_scope
@transaction.atomic
def agreement_employee_set(
    *,
    association: Association,
    actor: Any,
    agreement: SponsorshipAgreement,
    company: Company,
    employee: LentEmployee,
    hourly_cost: Decimal,
    planned_hours: Decimal,
) -> AgreementEmployee:
    """The company puts one of its lent employees on the agreement, with the hourly
    cost (salary plus employer charges) it states and the hours planned; again for
    the same employee changes the figures. Only the company gives the cost."""
    if company is None:
        raise PermissionDenied
    _check_side(association, actor, company, agreement)
    if employee.company_id != company.pk:
        raise ObjectOutsideAssociation
    agreement = _lock(agreement)
    row = AgreementEmployee.objects.filter(agreement=agreement, employee=employee).first()
    if row is None:
        row = AgreementEmployee(association=association, agreement=agreement, employee=employee)
    before = (row.hourly_cost, row.planned_hours) if row.pk else None
    row.hourly_cost, row.planned_hours = hourly_cost, planned_hours
    row.full_clean()
    if before == (row.hourly_cost, row.planned_hours):
        return row
    updated = _unsign(agreement)
    agreement.save(update_fields=[*updated, "updated_at"])
    row.save()
    _log(
        agreement,
        actor,
        "employee_set",
        {"employee": employee.pk, "hourly_cost": str(hourly_cost), "hours": str(planned_hours)},
    )
    return row


@_in_scope
@transaction.atomic
def agreement_sign(
    *,
    association: Association,
    actor: Any,
    agreement: SponsorshipAgreement,
    company: Company | None = None,
) -> SponsorshipAgreement:
    """Mark the agreement signed by the actor's side (the paper copy, printed from
    the PDF, carries the signatures)."""
    _check_side(association, actor, company, agreement)
    agreement = _lock(agreement)
    if not AgreementEmployee.objects.filter(agreement=agreement).exists():
        raise ValidationError(
            _("The company must first name the employees it lends and their hourly cost.")
        )
    if company is None:
        if not agreement.association_signatory:
            raise ValidationError(_("Name the association’s signatory before signing."))
        agreement.association_signed_at, agreement.association_signed_by = timezone.now(), actor
        fields = ["association_signed_at", "association_signed_by"]
    else:
        if not agreement.company_signatory:
            raise ValidationError(_("Name the company’s signatory before signing."))
        agreement.company_signed_at, agreement.company_signed_by = timezone.now(), actor
        fields = ["company_signed_at", "company_signed_by"]
    agreement.save(update_fields=[*fields, "updated_at"])
    _log(agreement, actor, "signed", {"side": "company" if company else "association"})
    return agreement


@_in_scope
@transaction.atomic
def employee_link_renew(
    *, association: Association, actor: Any, row: AgreementEmployee, company: Company
) -> AgreementEmployee:
    """A new link for the employee to enter their time; the former one stops working."""
    _check_side(association, actor, company, row.agreement)
    row.link_key = new_link_key()
    row.save(update_fields=["link_key"])
    _log(row.agreement, actor, "link_renewed", {"employee": row.employee_id})
    return row


# --- time sheets --------------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _check_entry(
    agreement: SponsorshipAgreement,
    row: AgreementEmployee,
    date: datetime.date,
    hours: Any,
    description: str,
) -> Decimal:
    if not agreement.is_signed:
        raise ValidationError(_("Time is entered once both sides have signed the agreement."))
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Give the hours as a number, e.g. 3.5.")}) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({"hours": _("The hours must be more than zero.")})
    if hours > MAX_HOURS_A_DAY:
        raise ValidationError({"hours": _("A day has 24 hours: enter the hours of one day.")})
    if (hours * 4) % 1:
        raise ValidationError({"hours": _("Count the hours in quarters of an hour, e.g. 1.75.")})
    if not agreement.starts_on <= date <= agreement.ends_on:
        raise ValidationError(
            {
                "date": _(
                    "The agreement runs from %(start)s to %(end)s: time outside this "
                    "period does not count."
                )
                % {"start": _day(agreement.starts_on), "end": _day(agreement.ends_on)}
            }
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Time is entered once it has been given, not ahead.")})
    if not description.strip():
        raise ValidationError({"description": _("Say briefly what was done.")})
    already = sum(
        TimesheetEntry.objects.filter(agreement_employee__employee_id=row.employee_id, date=date)
        .exclude(status=TimesheetStatus.REJECTED)
        .values_list("hours", flat=True),
        Decimal(0),
    )
    if already + hours > MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": _(
                    "%(name)s already has %(hours)s h entered on %(day)s: a day has 24 hours."
                )
                % {"name": row.employee.full_name, "hours": already, "day": _day(date)}
            }
        )
    return hours


def _enter(
    *,
    association: Association,
    actor: Any,
    row: AgreementEmployee,
    date: datetime.date,
    hours: Any,
    description: str,
    through_link: bool,
) -> TimesheetEntry:
    # Lock the employee's row: two entries of the same day are checked one after the other.
    row = (
        AgreementEmployee.objects.select_for_update()
        .select_related("employee", "agreement__company", "agreement__association")
        .get(pk=row.pk)
    )
    agreement = row.agreement
    checked = _check_entry(agreement, row, date, hours, description)
    entry = TimesheetEntry(
        association=association,
        agreement=agreement,
        agreement_employee=row,
        date=date,
        hours=checked,
        description=description.strip(),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        entered_through_link=through_link,
    )
    entry.full_clean()
    entry.save()
    _log(
        agreement,
        actor,
        "time_entered",
        {
            "entry": entry.pk,
            "employee": row.employee_id,
            "date": date.isoformat(),
            "hours": str(checked),
            "through_link": through_link,
        },
    )
    return entry


@_in_scope
@transaction.atomic
def timesheet_enter(
    *,
    association: Association,
    actor: Any,
    company: Company,
    row: AgreementEmployee,
    date: datetime.date,
    hours: Any,
    description: str,
) -> TimesheetEntry:
    """Time of one lent employee, entered by the company's coordinator; it waits for
    the association's validation."""
    if company is None:
        raise PermissionDenied
    _check_side(association, actor, company, row.agreement)
    ensure_same_association(association, row)
    return _enter(
        association=association,
        actor=actor,
        row=row,
        date=date,
        hours=hours,
        description=description,
        through_link=False,
    )


@_in_scope
@transaction.atomic
def timesheet_enter_through_link(
    *,
    association: Association,
    row: AgreementEmployee,
    date: datetime.date,
    hours: Any,
    description: str,
) -> TimesheetEntry:
    """Time entered by the employee through the signed link the company gave them
    (``selectors.agreement_employee_for_token`` found ``row``)."""
    ensure_same_association(association, row)
    return _enter(
        association=association,
        actor=None,
        row=row,
        date=date,
        hours=hours,
        description=description,
        through_link=True,
    )


@_in_scope
@transaction.atomic
def timesheet_decide(
    *,
    association: Association,
    actor: Any,
    entry: TimesheetEntry,
    validate: bool,
    reason: str = "",
) -> TimesheetEntry:
    """The association validates an entry (its hours count) or rejects it with a
    reason the company reads."""
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, entry)
    entry = (
        TimesheetEntry.objects.select_for_update()
        .select_related("agreement__company", "agreement__association")
        .get(pk=entry.pk)
    )
    if entry.status != TimesheetStatus.SUBMITTED:
        raise ValidationError(_("This entry has already been decided; reload the page."))
    reason = reason.strip()
    if not validate and not reason:
        raise ValidationError({"reason": _("Say why the time is rejected: the company reads it.")})
    entry.status = TimesheetStatus.VALIDATED if validate else TimesheetStatus.REJECTED
    entry.rejection_reason = "" if validate else reason
    entry.decided_by, entry.decided_at = actor, timezone.now()
    entry.save(
        update_fields=["status", "rejection_reason", "decided_by", "decided_at", "updated_at"]
    )
    _log(
        entry.agreement,
        actor,
        "time_validated" if validate else "time_rejected",
        {"entry": entry.pk, "hours": str(entry.hours), "reason": entry.rejection_reason},
    )
    return entry


# --- the receipt --------------------------------------------------------------------------------


def sponsorship_receipt_issue(
    *, association: Association, actor: Any, company: Company, year: int
) -> Receipt:
    """The cerfa 16216 receipt of ``company``'s skills sponsorship of ``year``: the
    validated hours valued at cost, each employee capped at 3 × PASS, certified as a
    gift in kind of the company (funding's donor, found by its SIREN) and numbered in
    the association's sequence of receipts. Once per company and year."""
    from maillon.funding.receipts.services import in_kind_company_receipt_issue

    try:
        total = selectors.yearly_total(association=association, company=company, year=year)
    except caps.PassYearMissing as missing:
        raise ValidationError(pass_missing_text(missing.year)) from None
    if total.valued <= 0:
        raise ValidationError(
            _("%(company)s has no validated time in %(year)s: there is nothing to certify.")
            % {"company": company.name, "year": year}
        )
    return in_kind_company_receipt_issue(
        association=association,
        actor=actor,
        company_name=company.name,
        siren=company.siren,
        gift_year=year,
        amount=total.valued,
        description=_(
            "Skills sponsorship (mécénat de compétences) %(year)s: %(hours)s h validated, "
            "valued at cost (salary and charges), capped at 3 × PASS per employee"
        )
        % {
            "year": year,
            "hours": formats.number_format(total.hours, 2, use_l10n=True, force_grouping=True),
        },
        reference=f"{company.siren}-{year}",
    )


def pass_missing_text(year: int) -> str:
    return _(
        "The social-security ceiling (PASS) of %(year)s is not in Maillon’s data yet, so "
        "the cap of 3 × PASS cannot be computed. Ask the platform’s administrators to add "
        "it (maillon/network/help/sponsorship/data/pass.yaml)."
    ) % {"year": year}
