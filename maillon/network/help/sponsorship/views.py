"""Pages of skills sponsorship, on both sides of an agreement:

- the association's, under ``/a/<slug>/sponsorship/`` (namespace ``sponsorship``):
  agreements, the time sheets to validate, the yearly totals and their receipts;
- the company's, under ``/companies/<company_slug>/sponsorship/`` (namespace
  ``company_sponsorship``), for its coordinators: the agreements of the company, the
  employees' costing, the time entered;
- the employee's signed link, ``/sponsorship/time/<token>/``, to enter their own time.

Anything outside the side's reach answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service, submit_form
from maillon.members.permissions import Perm

from ..companies.views import company_required
from . import caps, selectors, services
from .forms import (
    AgreementEmployeeForm,
    AgreementForm,
    CompanyTimesheetEntryForm,
    DecisionForm,
    ReceiptForm,
    TimesheetEntryForm,
)
from .models import AgreementEmployee, SponsorshipAgreement
from .pdf import agreement_pdf

VIEW = Perm.VIEW_BACKOFFICE
MANAGE = Perm.MANAGE_ASSOCIATION
FUNDING = Perm.MANAGE_FUNDING


def _year(request) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("year", today))
    except ValueError:
        return today
    return year if 2000 <= year <= today + 1 else today


def _totals(load, year: int) -> tuple[list, str]:
    """The yearly totals, or why they cannot be computed (the PASS is missing)."""
    try:
        return load(year=year), ""
    except caps.PassYearMissing as missing:
        return [], services.pass_missing_text(missing.year)


def _terms_initial(agreement: SponsorshipAgreement) -> dict:
    return {name: getattr(agreement, name) for name in services.TERMS}


def _pdf_response(request, agreement: SponsorshipAgreement) -> HttpResponse:
    response = HttpResponse(
        agreement_pdf(agreement=agreement, language=request.LANGUAGE_CODE),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="skills-sponsorship-agreement-{agreement.pk}.pdf"'
    )
    return response


def _detail_context(agreement: SponsorshipAgreement, **extra) -> dict:
    plans = selectors.employee_plans(agreement)
    return {
        "agreement": agreement,
        "plans": plans,
        "entries": selectors.timesheet_of(agreement),
        "missing_pass": sorted({y for plan in plans for y in plan.missing_years}),
        **extra,
    }


# --- the association's side ------------------------------------------------------------------


@association_required(VIEW)
def overview(request, association_slug: str):
    association = request.association
    year = _year(request)
    totals, totals_problem = _totals(
        lambda year: selectors.yearly_totals(association=association, year=year), year
    )
    return render(
        request,
        "network/help/sponsorship/overview.html",
        {
            "side": "association",
            "agreements": selectors.agreements(association=association),
            "awaiting": selectors.engagements_awaiting_agreement(association=association),
            "waiting_entries": selectors.timesheet_entries(
                association=association, status="submitted"
            ),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "totals": totals,
            "totals_problem": totals_problem,
            "can_manage": MANAGE in request.permissions,
            "can_issue_receipts": FUNDING in request.permissions,
        },
    )


@association_required(MANAGE)
def agreement_create(request, association_slug: str, engagement_id: int):
    engagement = selectors.engagement_for_agreement(
        association=request.association, engagement_id=engagement_id
    )
    form = AgreementForm(
        request.POST or None,
        initial={"starts_on": engagement.start_date, "planned_hours": engagement.hours_offered},
    )
    outcome = submit_form(
        request,
        form,
        services.agreement_draft,
        success=_("Agreement drafted: the company sees it now."),
        association=request.association,
        actor=request.user,
        engagement=engagement,
    )
    if outcome.ok:
        return redirect("sponsorship:detail", request.association.slug, outcome.value.pk)
    return render(
        request,
        "network/help/sponsorship/agreement_form.html",
        {"form": form, "engagement": engagement, "side": "association"},
    )


@association_required(VIEW)
def agreement_detail(request, association_slug: str, agreement_id: int):
    agreement = selectors.agreement_get(association=request.association, agreement_id=agreement_id)
    return render(
        request,
        "network/help/sponsorship/detail.html",
        _detail_context(
            agreement,
            side="association",
            can_manage=MANAGE in request.permissions,
            decision_form=DecisionForm(),
        ),
    )


@association_required(MANAGE)
def agreement_edit(request, association_slug: str, agreement_id: int):
    agreement = selectors.agreement_get(association=request.association, agreement_id=agreement_id)
    form = AgreementForm(request.POST or None, initial=_terms_initial(agreement))
    outcome = submit_form(
        request,
        form,
        services.agreement_update,
        success=_("Changes saved."),
        association=request.association,
        actor=request.user,
        agreement=agreement,
    )
    if outcome.ok:
        return redirect("sponsorship:detail", request.association.slug, agreement.pk)
    return render(
        request,
        "network/help/sponsorship/agreement_form.html",
        {"form": form, "agreement": agreement, "side": "association"},
    )


@require_POST
@association_required(MANAGE)
def agreement_sign(request, association_slug: str, agreement_id: int):
    agreement = selectors.agreement_get(association=request.association, agreement_id=agreement_id)
    run_service(
        request,
        services.agreement_sign,
        success=_("Marked signed by the association."),
        agreement=agreement,
    )
    return redirect("sponsorship:detail", request.association.slug, agreement.pk)


@association_required(VIEW)
def agreement_document(request, association_slug: str, agreement_id: int):
    agreement = selectors.agreement_get(association=request.association, agreement_id=agreement_id)
    return _pdf_response(request, agreement)


@require_POST
@association_required(MANAGE)
def entry_decide(request, association_slug: str, entry_id: int):
    entry = selectors.timesheet_entry_get(association=request.association, entry_id=entry_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        validate = form.cleaned_data["decision"] == "validate"
        run_service(
            request,
            services.timesheet_decide,
            success=_("Time validated.") if validate else _("Time rejected."),
            entry=entry,
            validate=validate,
            reason=form.cleaned_data["reason"],
        )
    else:
        messages.error(request, _("Choose to validate or to reject."))
    target = request.POST.get("next", "")
    if target == "overview":
        return redirect("sponsorship:overview", request.association.slug)
    return redirect("sponsorship:detail", request.association.slug, entry.agreement_id)


@require_POST
@association_required(FUNDING)
def receipt_issue(request, association_slug: str):
    form = ReceiptForm(request.POST)
    companies = {c.pk: c for c in selectors.sponsorship_companies(association=request.association)}
    if not form.is_valid() or form.cleaned_data["company"] not in companies:
        messages.error(request, _("Choose a company and a year."))
        return redirect("sponsorship:overview", request.association.slug)
    company, year = companies[form.cleaned_data["company"]], form.cleaned_data["year"]
    outcome = run_service(request, services.sponsorship_receipt_issue, company=company, year=year)
    if outcome.ok:
        messages.success(
            request,
            _("Receipt %(number)s issued to %(company)s.")
            % {"number": outcome.value.number, "company": company.name},
        )
    return redirect(
        reverse("sponsorship:overview", args=[request.association.slug]) + f"?year={year}"
    )


# --- the company's side --------------------------------------------------------------------------


def _company_agreement(request, agreement_id: int) -> SponsorshipAgreement:
    return selectors.agreement_get_for_company_across_associations(
        company=request.company, agreement_id=agreement_id
    )


def _to_company_detail(request, agreement: SponsorshipAgreement):
    return redirect("company_sponsorship:detail", request.company.slug, agreement.pk)


@company_required
def company_overview(request):
    company = request.company
    year = _year(request)
    totals, totals_problem = _totals(
        lambda year: selectors.yearly_totals_for_company_across_associations(
            company=company, year=year
        ),
        year,
    )
    return render(
        request,
        "network/help/sponsorship/overview.html",
        {
            "side": "company",
            "company": company,
            "agreements": selectors.agreements_for_company_across_associations(company=company),
            "awaiting": selectors.engagements_awaiting_agreement_for_company_across_associations(
                company=company
            ),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "totals": totals,
            "totals_problem": totals_problem,
            "can_manage": True,
        },
    )


@company_required
def company_agreement_create(request, engagement_id: int):
    engagement = selectors.engagement_for_agreement_for_company_across_associations(
        company=request.company, engagement_id=engagement_id
    )
    form = AgreementForm(
        request.POST or None,
        initial={"starts_on": engagement.start_date, "planned_hours": engagement.hours_offered},
    )
    outcome = submit_form(
        request,
        form,
        services.agreement_draft,
        success=_("Agreement drafted: the association sees it now."),
        association=engagement.association,
        actor=request.user,
        engagement=engagement,
        company=request.company,
    )
    if outcome.ok:
        return _to_company_detail(request, outcome.value)
    return render(
        request,
        "network/help/sponsorship/agreement_form.html",
        {"form": form, "engagement": engagement, "side": "company", "company": request.company},
    )


def _employee_form(request, agreement, data=None) -> AgreementEmployeeForm:
    from ..models import LentEmployee

    employees = LentEmployee.objects.filter(company=request.company, is_active=True)
    return AgreementEmployeeForm(data, employees=employees)


def _entry_form(agreement, data=None) -> CompanyTimesheetEntryForm:
    from django_scopes import scope

    with scope(association=agreement.association_id):
        rows = AgreementEmployee.objects.filter(agreement=agreement).select_related("employee")
        return CompanyTimesheetEntryForm(data, rows=rows)


@company_required
def company_agreement_detail(request, agreement_id: int):
    return _company_detail_page(request, _company_agreement(request, agreement_id))


def _company_detail_page(request, agreement, *, employee_form=None, entry_form=None):
    return render(
        request,
        "network/help/sponsorship/detail.html",
        _detail_context(
            agreement,
            side="company",
            company=request.company,
            can_manage=True,
            employee_form=employee_form or _employee_form(request, agreement),
            entry_form=entry_form or _entry_form(agreement),
        ),
    )


@company_required
def company_agreement_edit(request, agreement_id: int):
    agreement = _company_agreement(request, agreement_id)
    form = AgreementForm(request.POST or None, initial=_terms_initial(agreement))
    outcome = submit_form(
        request,
        form,
        services.agreement_update,
        success=_("Changes saved."),
        association=agreement.association,
        actor=request.user,
        agreement=agreement,
        company=request.company,
    )
    if outcome.ok:
        return _to_company_detail(request, agreement)
    return render(
        request,
        "network/help/sponsorship/agreement_form.html",
        {"form": form, "agreement": agreement, "side": "company", "company": request.company},
    )


def _company_service(request, service, agreement, success: str, /, **kwargs) -> bool:
    """Run ``service`` for the company on ``agreement``'s association; ``kwargs`` go
    to the service (and may name the agreement itself: the first parameters are
    positional only)."""
    try:
        service(
            association=agreement.association,
            actor=request.user,
            company=request.company,
            **kwargs,
        )
    except ValidationError as error:
        flash_refusal(request, error)
        return False
    messages.success(request, success)
    return True


@require_POST
@company_required
def company_agreement_sign(request, agreement_id: int):
    agreement = _company_agreement(request, agreement_id)
    _company_service(
        request,
        services.agreement_sign,
        agreement,
        _("Marked signed by the company."),
        agreement=agreement,
    )
    return _to_company_detail(request, agreement)


@company_required
def company_agreement_document(request, agreement_id: int):
    return _pdf_response(request, _company_agreement(request, agreement_id))


@require_POST
@company_required
def company_employee_set(request, agreement_id: int):
    agreement = _company_agreement(request, agreement_id)
    form = _employee_form(request, agreement, request.POST)
    outcome = submit_form(
        request,
        form,
        services.agreement_employee_set,
        success=_("Employee costing saved."),
        association=agreement.association,
        actor=request.user,
        agreement=agreement,
        company=request.company,
    )
    if outcome.ok:
        return _to_company_detail(request, agreement)
    return _company_detail_page(request, agreement, employee_form=form)


@require_POST
@company_required
def company_entry_add(request, agreement_id: int):
    agreement = _company_agreement(request, agreement_id)
    form = _entry_form(agreement, request.POST)
    outcome = submit_form(
        request,
        form,
        services.timesheet_enter,
        success=_("Time entered: the association will validate it."),
        association=agreement.association,
        actor=request.user,
        company=request.company,
    )
    if outcome.ok:
        return _to_company_detail(request, agreement)
    return _company_detail_page(request, agreement, entry_form=form)


@require_POST
@company_required
def company_link_renew(request, agreement_id: int, row_id: int):
    agreement = _company_agreement(request, agreement_id)
    row = selectors.agreement_employee_get(agreement=agreement, row_id=row_id)
    _company_service(
        request,
        services.employee_link_renew,
        agreement,
        _("New link made: the former one no longer works."),
        row=row,
    )
    return _to_company_detail(request, agreement)


# --- the employee's link -------------------------------------------------------------------------


def employee_time(request, token: str):
    row = selectors.agreement_employee_for_token(token)
    agreement = row.agreement
    form = TimesheetEntryForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        services.timesheet_enter_through_link,
        success=_("Thank you: your time is sent to the association."),
        association=agreement.association,
        row=row,
    )
    if outcome.ok:
        return redirect("sponsorship_link:time", token=token)
    entries = [e for e in selectors.timesheet_of(agreement) if e.agreement_employee_id == row.pk]
    return render(
        request,
        "network/help/sponsorship/employee_time.html",
        {"row": row, "agreement": agreement, "form": form, "entries": entries[:30]},
    )
