"""Pages of the member register: the list (with its exports), a person's page,
adding and editing a person, recording a departure."""

import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core.forms import add_validation_error
from maillon.core.render_memo import RenderMemo
from maillon.core.tenancy import association_required
from maillon.core.views import run_service

from ..exports import services as export_services
from ..fees.forms import MembershipPeriodForm
from ..fees.selectors import is_up_to_date
from ..invitations.forms import InvitationForm
from ..permissions import Perm
from ..roles.forms import RolesForm
from . import exports, services
from .forms import LeaveForm, MemberFilterForm, PersonCreateForm, PersonForm
from .selectors import person_get, person_list, person_page


def person_detail_redirect(request, person):
    """Back to the person's page, where the buttons of these views sit."""
    return redirect(
        "members:detail", association_slug=request.association.slug, person_id=person.pk
    )


# The list's filter form, per language, association and submitted values (see
# maillon.core.render_memo): it holds nothing else.
MEMBER_FILTERS = RenderMemo(size=256)


def _member_filters_html(request, form: MemberFilterForm) -> str:
    submitted = tuple((name, tuple(form.data.getlist(name))) for name in form.fields)
    key = (
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        request.association.slug,
        form.is_bound,
        submitted,
    )
    return MEMBER_FILTERS.get_or_render(
        key,
        lambda: render_to_string(
            "members/partials/list_filters.html",
            {"form": form, "current_association": request.association},
        ),
    )


@association_required(Perm.VIEW_MEMBERS)
@require_safe
def member_list(request, association_slug):
    form = MemberFilterForm(request.GET or None)
    page = person_page(
        association=request.association,
        page_number=request.GET.get("page"),
        per_page=settings.MEMBERS_PER_PAGE,
        **form.filters(),
    )
    if request.htmx:
        return render(request, "members/partials/list_results.html", {"page_obj": page})
    context = {"form": form, "page_obj": page, "filters_html": _member_filters_html(request, form)}
    return render(request, "members/list.html", context)


@association_required(Perm.EXPORT_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_export(request, association_slug, file_format):
    """The filtered register as a file: at once when it is small; prepared in the
    background beyond ``MEMBER_EXPORT_SYNC_MAX_ROWS`` (a page asks for it, then shows
    its progress)."""
    if file_format not in exports.FORMATS:
        raise Http404
    form = MemberFilterForm(request.GET or None)
    filters = form.filters()
    people = person_list(association=request.association, **filters)
    if request.method == "POST":
        outcome = run_service(
            request,
            export_services.member_export_request,
            file_format=file_format,
            filters=filters,
        )
        if not outcome.ok:
            return redirect("members:list", association_slug=association_slug)
        return redirect(
            "members:export_progress", association_slug=association_slug, export_id=outcome.value.pk
        )
    count = people.count()
    if count > settings.MEMBER_EXPORT_SYNC_MAX_ROWS:
        return render(
            request,
            "members/export_large.html",
            {"count": count, "file_format": file_format, "query": request.GET.urlencode()},
        )
    return _export_response(request, people, file_format)


def _export_response(request, people, file_format):
    stamp = timezone.localdate().isoformat()
    name = f"{request.association.slug}-members-{stamp}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(people), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if file_format == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(people),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@association_required(Perm.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_create(request, association_slug):
    can_manage_roles = Perm.MANAGE_ROLES in request.permissions
    form = PersonCreateForm(request.POST or None, can_manage_roles=can_manage_roles)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        try:
            person = services.person_create(
                association=request.association, actor=request.user, roles=roles, **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": person})
            return redirect(
                "members:detail", association_slug=association_slug, person_id=person.pk
            )
    return render(request, "members/form.html", {"form": form, "title": _("Add a person")})


@association_required(Perm.VIEW_MEMBERS)
@require_safe
def member_detail(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    return render(
        request,
        "members/detail.html",
        {
            "person": person,
            "up_to_date": is_up_to_date(person=person),
            "roles_form": RolesForm(
                initial={"roles": [r.role for r in person.role_assignments.all()]}
            ),
            "period_form": MembershipPeriodForm(association=request.association),
            "invitation_form": InvitationForm(initial={"email": person.email}),
            "leave_form": LeaveForm(),
        },
    )


@association_required(Perm.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_edit(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    # The form validates its own copy: a refused change must not show in the title.
    form = PersonForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                association=request.association,
                actor=request.user,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(
                "members:detail", association_slug=association_slug, person_id=person.pk
            )
    return render(
        request,
        "members/form.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person}},
    )


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def member_leave(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date and tick the confirmation box."))
        return person_detail_redirect(request, person)
    run_service(
        request,
        services.person_leave,
        success=_("%(name)s is now recorded as a former member.") % {"name": person},
        person=person,
        left_on=form.cleaned_data["left_on"],
    )
    return person_detail_redirect(request, person)
