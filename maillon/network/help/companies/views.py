"""The company space, ``/c/<company_slug>/`` (open to its coordinators only: anyone
else gets 404), and the registration of a company, ``/companies/new/``."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.views import refusal_text

from ..matching.selectors import requests_for_company
from . import selectors, services
from .forms import CompanyForm, EmployeeForm


def company_required(view):
    @wraps(view)
    def wrapper(request, company_slug: str, *args, **kwargs):
        company = selectors.company_by_slug(company_slug)
        if company is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.is_company_coordinator(company=company, user=request.user):
            raise Http404
        request.company = company
        return view(request, *args, **kwargs)

    wrapper.company_scoped = True
    return wrapper


@login_required
def company_register(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Your company space is ready."))
            return redirect("companies:space", company_slug=company.slug)
    return render(request, "network/help/company_register.html", {"form": form})


@company_required
def company_space(request):
    company = request.company
    return render(
        request,
        "network/help/company_space.html",
        {
            "company": company,
            "employees": selectors.company_employees(company=company),
            "form": EmployeeForm(),
            "employee_requests": requests_for_company(company=company),
        },
    )


@require_POST
@company_required
def employee_add(request):
    form = EmployeeForm(request.POST)
    if form.is_valid():
        services.employee_add(company=request.company, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Employee added."))
    else:
        messages.error(request, _("Give at least the employee’s name."))
    return redirect("companies:space", company_slug=request.company.slug)


@require_POST
@company_required
def employee_withdraw(request, employee_id: int):
    employee = selectors.employee_get(company=request.company, employee_id=employee_id)
    services.employee_withdraw(company=request.company, actor=request.user, employee=employee)
    messages.success(request, _("The employee is no longer offered."))
    return redirect("companies:space", company_slug=request.company.slug)
