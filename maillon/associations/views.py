import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillon.core.audit_selectors import audit_entries
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.members.join_requests.selectors import join_request_list
from maillon.members.join_requests.services import join_request_submit
from maillon.members.permissions import Perm
from maillon.members.register.selectors import person_list
from maillon.members.your_turn import my_turn

from . import services
from .forms import (
    AssociationCreateForm,
    AssociationProfileForm,
    AuditFilterForm,
    DirectoryFilterForm,
    JoinRequestForm,
    ModulesForm,
    StatutesForm,
)
from .models import Module
from .selectors import association_directory, first_steps, public_association_get, statutes_of

# --- Public side ---------------------------------------------------------------------


@require_safe
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    associations = association_directory(
        search=filters.get("q", ""),
        sector=filters.get("sector", ""),
        department=filters.get("department", ""),
    )
    page = Paginator(associations, 24).get_page(request.GET.get("page"))
    return render(request, "associations/directory.html", {"form": form, "page_obj": page})


@require_safe
def public_page(request, slug):
    association = public_association_get(slug)
    return render(request, "associations/public.html", {"association": association})


@require_http_methods(["GET", "POST"])
def join_request_view(request, slug):
    association = public_association_get(slug)
    initial = {}
    if request.user.is_authenticated:
        initial = {"email": request.user.email, "first_name": request.user.get_short_name()}
    form = JoinRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            join_request_submit(
                association=association,
                user=request.user if request.user.is_authenticated else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to %(association)s. You will get an answer by email.")
                % {"association": association.name},
            )
            return redirect("associations:public", slug=association.slug)
    return render(request, "associations/join.html", {"association": association, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def association_create_view(request):
    first, _space, last = request.user.full_name.partition(" ")
    form = AssociationCreateForm(
        request.POST or None, initial={"first_name": first, "last_name": last}
    )
    if request.method == "POST" and form.is_valid():
        try:
            association = services.association_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The space of %(name)s is ready. You are its administrator.")
                % {"name": association.name},
            )
            return redirect("backoffice:dashboard", association_slug=association.slug)
    return render(request, "associations/create.html", {"form": form})


# --- Back-office ------------------------------------------------------------------------


@association_required(Perm.VIEW_BACKOFFICE)
@require_safe
def dashboard(request, association_slug):
    association = request.association
    context = {
        "association": association,
        "turn_items": my_turn(user=request.user, association=association),
    }
    if Perm.VIEW_MEMBERS in request.permissions:
        context["active_members"] = person_list(association=association).count()
        context["up_to_date_members"] = person_list(
            association=association, up_to_date="yes"
        ).count()
    if Perm.MANAGE_MEMBERS in request.permissions:
        context["pending_join_requests"] = join_request_list(association=association).count()
    if Perm.MANAGE_ASSOCIATION in request.permissions:
        steps = first_steps(association=association, person=request.person)
        if not all(step.done for step in steps):
            context["first_steps"] = {step.code: step.done for step in steps}
            context["modules_off"] = [
                (value, label)
                for value, label in Module.choices
                if value not in (association.enabled_modules or [])
            ]
    return render(request, "associations/dashboard.html", context)


@association_required(Perm.MANAGE_ASSOCIATION)
@require_http_methods(["GET", "POST"])
def settings_view(request, association_slug):
    association = request.association
    # The form validates its own copy: a refused change must not show, in the rest of
    # the page, as if it were the association's name.
    form = AssociationProfileForm(request.POST or None, instance=copy.copy(association))
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The association's profile has been saved."))
            return redirect("backoffice:settings", association_slug=association.slug)
    return render(request, "associations/settings.html", {"form": form})


@association_required(Perm.MANAGE_ASSOCIATION)
@require_http_methods(["GET", "POST"])
def statutes_view(request, association_slug):
    association = request.association
    form = StatutesForm(request.POST or None, instance=statutes_of(association))
    if request.method == "POST" and form.is_valid():
        try:
            services.statutes_update(
                association=association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The statutes settings have been saved."))
            return redirect("backoffice:statutes", association_slug=association.slug)
    return render(request, "associations/statutes.html", {"form": form})


@association_required(Perm.MANAGE_ASSOCIATION)
@require_http_methods(["GET", "POST"])
def modules_view(request, association_slug):
    association = request.association
    form = ModulesForm(request.POST or None, initial={"modules": association.enabled_modules})
    if request.method == "POST" and form.is_valid():
        services.modules_update(
            association=association, actor=request.user, modules=form.cleaned_data["modules"]
        )
        messages.success(request, _("The enabled modules have been saved."))
        if request.POST.get("from_overview"):  # one click on the new association's checklist
            return redirect("backoffice:dashboard", association_slug=association.slug)
        return redirect("backoffice:modules", association_slug=association.slug)
    return render(request, "associations/modules.html", {"form": form})


@association_required(Perm.VIEW_AUDIT)
@require_safe
def audit_view(request, association_slug):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(association=request.association, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "associations/audit.html", {"form": form, "page_obj": page})
