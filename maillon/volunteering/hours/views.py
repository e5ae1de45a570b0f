"""Volunteer hours: a volunteer's own hours, the managers' list (validation), the
certificate, the valuation and its settings and exports, and the volunteer's
overview across associations (/me/volunteering/hours/)."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm
from maillon.members.register.selectors import person_get

from ..models import DEFAULT_HOURLY_RATE, HoursStatus
from . import exports, selectors, services
from .formatting import hours_text
from .forms import (
    CertificateForm,
    DecideForm,
    HoursFilterForm,
    HoursForm,
    VolunteeringSettingsForm,
    YearForm,
    YearlyRateForm,
)
from .pdf import certificate_document

HOURS_PER_PAGE = 50
MODULE = Module.VOLUNTEERING


def _language(request) -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _hours_form(request, *, association, with_people: bool, **kwargs) -> HoursForm:
    people = None
    if with_people:
        people = selectors.people_for_hours(association=association)
    return HoursForm(
        request.POST or None,
        missions=selectors.mission_choices(association=association),
        people=people,
        **kwargs,
    )


# --- a volunteer's own hours --------------------------------------------------------------


@association_required(Perm.LOG_HOURS, module=MODULE)
@require_http_methods(["GET", "POST"])
def my_hours(request, association_slug):
    association, person = request.association, request.person
    form = _hours_form(request, association=association, with_people=False)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.hours_log(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if entry.status == HoursStatus.VALIDATED:
                messages.success(request, _("Your hours have been recorded and validated."))
            else:
                messages.success(
                    request, _("Your hours have been recorded. A manager will validate them.")
                )
            return redirect("volunteering:my_hours", association_slug=association_slug)
    entries = selectors.hours_list(association=association, person_id=person.pk)
    page = Paginator(entries, HOURS_PER_PAGE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    return render(
        request,
        "volunteering/hours/my_hours.html",
        {
            "form": form,
            "page_obj": page,
            "totals": selectors.hours_totals(entries),
            "is_manager": Perm.MANAGE_HOURS in request.permissions,
            "certificate_years": range(this_year, this_year - 6, -1),
        },
    )


@association_required(Perm.LOG_HOURS, module=MODULE)
@require_http_methods(["GET", "POST"])
def my_hours_edit(request, association_slug, hours_id):
    entry = selectors.own_hours_get(
        association=request.association, person=request.person, hours_id=hours_id
    )
    back = redirect("volunteering:my_hours", association_slug=association_slug)
    return _edit(request, entry, back, title=_("Change my hours"))


@association_required(Perm.LOG_HOURS, module=MODULE)
@require_POST
def my_hours_delete(request, association_slug, hours_id):
    entry = selectors.own_hours_get(
        association=request.association, person=request.person, hours_id=hours_id
    )
    run_service(
        request, services.hours_delete, success=_("The entry has been deleted."), entry=entry
    )
    return redirect("volunteering:my_hours", association_slug=association_slug)


def _edit(request, entry, back, *, title):
    if entry.status != HoursStatus.PENDING:
        messages.error(request, _("Only hours waiting for validation can be changed."))
        return back
    initial = {
        "date": entry.date,
        "hours": entry.hours.normalize(),
        "activity": entry.activity,
        "mission": entry.mission,
        "description": entry.description,
    }
    form = _hours_form(request, association=request.association, with_people=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_update(
                association=request.association,
                actor=request.user,
                entry=entry,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return back
    return render(
        request,
        "volunteering/hours/form.html",
        {"form": form, "title": title, "entry": entry, "back_url": back.url},
    )


# --- managers: every volunteer's hours ------------------------------------------------------


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_safe
def hours_list(request, association_slug):
    association = request.association
    form = HoursFilterForm(
        request.GET or None, people=selectors.people_with_hours(association=association)
    )
    entries = selectors.hours_list(association=association, **form.filters())
    page = Paginator(entries, HOURS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "volunteering/hours/list.html",
        {
            "form": form,
            "page_obj": page,
            "totals": selectors.hours_totals(entries),
            "return_query": query.urlencode(),
        },
    )


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_http_methods(["GET", "POST"])
def hours_log(request, association_slug):
    association = request.association
    form = _hours_form(request, association=association, with_people=True)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.hours_log(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(hours)s h recorded and validated for %(name)s.",
                    "%(hours)s h recorded and validated for %(name)s.",
                    math.ceil(entry.hours),
                )
                % {"hours": hours_text(entry.hours), "name": entry.person},
            )
            if "another" in request.POST:
                return redirect("volunteering:hours_log", association_slug=association_slug)
            return redirect("volunteering:hours", association_slug=association_slug)
    return render(
        request,
        "volunteering/hours/form.html",
        {
            "form": form,
            "title": _("Record a volunteer's hours"),
            "manager_log": True,
            "back_url": reverse("volunteering:hours", args=[association_slug]),
        },
    )


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_http_methods(["GET", "POST"])
def hours_edit(request, association_slug, hours_id):
    entry = selectors.hours_get(association=request.association, hours_id=hours_id)
    back = redirect("volunteering:hours", association_slug=association_slug)
    return _edit(
        request, entry, back, title=_("Change the hours of %(name)s") % {"name": entry.person}
    )


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_POST
def hours_decide(request, association_slug):
    """Validate or reject the ticked entries, or the one whose row button was used."""
    form = DecideForm(request.POST)
    if request.POST.get("validate_one", "").isdigit():
        ids, validate = [int(request.POST["validate_one"])], True
    elif request.POST.get("reject_one", "").isdigit():
        ids, validate = [int(request.POST["reject_one"])], False
    elif form.is_valid():
        ids, validate = form.entry_ids(), form.cleaned_data["decision"] == "validate"
    else:
        ids, validate = [], True
    query = QueryDict(request.POST.get("return_query", ""))
    target = reverse("volunteering:hours", args=[association_slug])
    if query:
        target += "?" + query.urlencode()
    if not ids:
        messages.error(request, _("Tick at least one entry waiting for validation."))
        return redirect(target)
    decided = services.hours_decide(
        association=request.association, actor=request.user, entry_ids=ids, validate=validate
    )
    if not decided:
        messages.error(request, _("None of these entries was waiting for validation."))
    elif validate:
        messages.success(request, _("Entries validated: %(count)s.") % {"count": len(decided)})
    else:
        messages.success(request, _("Entries rejected: %(count)s.") % {"count": len(decided)})
    return redirect(target)


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_safe
def certificate(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    back = reverse("volunteering:hours", args=[association_slug]) + f"?person={person.pk}"
    return _certificate_response(request, request.association, person, back)


def _certificate_response(request, association, person, back_url):
    start, end = CertificateForm(request.GET or None).period()
    data = selectors.certificate_data(association=association, person=person, start=start, end=end)
    if not data.hours:
        messages.error(
            request, _("No validated hours in this period: there is nothing to certify.")
        )
        return redirect(back_url)
    pdf = certificate_document(data=data, language=_language(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{association.slug}-attestation-{person.pk}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- valuation ------------------------------------------------------------------------------


def _chosen_year(request, association) -> tuple[YearForm, int]:
    years = selectors.valuation_years(association=association)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    if not form.is_bound:
        form = YearForm(initial={"year": year}, years=years)
    return form, year


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_safe
def valuation(request, association_slug):
    association = request.association
    form, year = _chosen_year(request, association)
    settings_ = selectors.volunteering_settings_get(association=association)
    return render(
        request,
        "volunteering/hours/valuation.html",
        {
            "year_form": form,
            "valuation": selectors.valuation_for_year(association=association, year=year),
            "settings": settings_,
            "default_rate": DEFAULT_HOURLY_RATE,
        },
    )


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_safe
def valuation_export(request, association_slug, what, file_format):
    association = request.association
    if what not in ("entries", "activities") or file_format not in ("csv", "xlsx"):
        raise Http404
    _form, year = _chosen_year(request, association)
    if what == "entries":
        rate = selectors.hourly_rate_for_year(association=association, year=year).rate
        entries = selectors.validated_entries_for_year(association=association, year=year)
        headers, rows = exports.entry_headers(), exports.entry_rows(entries, rate)
        title = _("Volunteer hours %(year)s") % {"year": year}
    else:
        data = selectors.valuation_for_year(association=association, year=year)
        headers, rows = exports.activity_headers(), exports.activity_rows(data)
        title = _("By activity %(year)s") % {"year": year}
    name = f"{association.slug}-volunteer-hours-{what}-{year}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(title, headers, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_http_methods(["GET", "POST"])
def volunteering_settings(request, association_slug):
    association = request.association
    current = selectors.volunteering_settings_get(association=association)
    form = VolunteeringSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteering_settings_update(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("volunteering:valuation", association_slug=association_slug)
    return render(
        request,
        "volunteering/hours/settings.html",
        {
            "form": form,
            "rates": selectors.yearly_rates(association=association),
            "default_rate": DEFAULT_HOURLY_RATE,
            "rate_form": YearlyRateForm(
                initial={"year": timezone.localdate().year, "hourly_rate": current.hourly_rate}
            ),
        },
    )


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_POST
def yearly_rate_set(request, association_slug):
    form = YearlyRateForm(request.POST)
    if form.is_valid():
        try:
            rate = services.yearly_rate_set(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(
                request,
                _("The hourly rate of %(year)s is now fixed at %(rate)s €.")
                % {"year": rate.year, "rate": floatformat(rate.hourly_rate, 2)},
            )
            return redirect(
                reverse("volunteering:valuation", args=[association_slug]) + f"?year={rate.year}"
            )
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(
            request,
            _("The rate was not saved: %(errors)s") % {"errors": " ".join(errors)},
        )
    return redirect("volunteering:volunteering_settings", association_slug=association_slug)


@association_required(Perm.MANAGE_HOURS, module=MODULE)
@require_POST
def yearly_rate_remove(request, association_slug, rate_id):
    rate = selectors.yearly_rate_get(association=request.association, rate_id=rate_id)
    services.yearly_rate_remove(association=request.association, actor=request.user, rate=rate)
    messages.success(
        request,
        _("%(year)s follows the default hourly rate again.") % {"year": rate.year},
    )
    return redirect("volunteering:volunteering_settings", association_slug=association_slug)


# --- the volunteer's own space, across associations -----------------------------------------


@login_required
@require_safe
def me_hours(request):
    this_year = timezone.localdate().year
    return render(
        request,
        "volunteering/hours/me_hours.html",
        {
            "overview": selectors.my_hours_overview(user=request.user),
            "this_year": this_year,
        },
    )


@login_required
@require_safe
def me_certificate(request, slug):
    """The signed-in volunteer's own certificate in the association ``slug`` (also
    after they left it: the hours they gave stay theirs)."""
    person = selectors.my_person_in(user=request.user, slug=slug)
    return _certificate_response(request, person.association, person, reverse("volunteer:hours"))
