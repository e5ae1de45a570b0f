import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required

from . import exports, services
from .forms import (
    InvitationForm,
    LeaveForm,
    MemberFilterForm,
    MembershipPeriodForm,
    PersonCreateForm,
    PersonForm,
    RolesForm,
)
from .permissions import Perm
from .selectors import (
    invitation_by_token,
    is_up_to_date,
    join_request_get,
    join_request_list,
    membership_period_get,
    person_get,
    person_list,
    person_page,
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
    template = "members/partials/list_results.html" if request.htmx else "members/list.html"
    return render(request, template, {"form": form, "page_obj": page})


@association_required(Perm.EXPORT_MEMBERS)
@require_safe
def member_export(request, association_slug, file_format):
    form = MemberFilterForm(request.GET or None)
    people = person_list(association=request.association, **form.filters())
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
            "period_form": MembershipPeriodForm(),
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


def _detail_with_error(request, person, message):
    messages.error(request, message)
    return redirect(
        "members:detail", association_slug=request.association.slug, person_id=person.pk
    )


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@association_required(Perm.MANAGE_ROLES)
@require_POST
def member_roles(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = RolesForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(request, person, _("Choose valid roles."))
    try:
        services.person_set_roles(
            association=request.association,
            actor=request.user,
            person=person,
            roles=form.cleaned_data["roles"],
        )
    except ValidationError as error:
        return _detail_with_error(request, person, _errors_text(error))
    messages.success(request, _("The roles have been saved."))
    return redirect("members:detail", association_slug=association_slug, person_id=person.pk)


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def member_leave(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(
            request, person, _("Give a valid date and tick the confirmation box.")
        )
    try:
        services.person_leave(
            association=request.association,
            actor=request.user,
            person=person,
            left_on=form.cleaned_data["left_on"],
        )
    except ValidationError as error:
        return _detail_with_error(request, person, _errors_text(error))
    messages.success(request, _("%(name)s is now recorded as a former member.") % {"name": person})
    return redirect("members:detail", association_slug=association_slug, person_id=person.pk)


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def member_invite(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _detail_with_error(request, person, _("Enter a valid email address."))
    try:
        services.invitation_send(
            association=request.association,
            actor=request.user,
            person=person,
            email=form.cleaned_data["email"],
        )
    except ValidationError as error:
        return _detail_with_error(request, person, _errors_text(error))
    messages.success(
        request,
        _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("members:detail", association_slug=association_slug, person_id=person.pk)


@association_required(Perm.MANAGE_FEES)
@require_http_methods(["GET", "POST"])
def fee_add(request, association_slug, person_id):
    person = person_get(association=request.association, person_id=person_id)
    form = MembershipPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_period_add(
                association=request.association,
                actor=request.user,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The membership period has been recorded."))
            return redirect(
                "members:detail", association_slug=association_slug, person_id=person.pk
            )
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Record a membership fee for %(name)s") % {"name": person},
        },
    )


@association_required(Perm.MANAGE_FEES)
@require_POST
def fee_delete(request, association_slug, person_id, period_id):
    person = person_get(association=request.association, person_id=person_id)
    period = membership_period_get(
        association=request.association, person=person, period_id=period_id
    )
    services.membership_period_delete(
        association=request.association, actor=request.user, period=period
    )
    messages.success(request, _("The membership period has been deleted."))
    return redirect("members:detail", association_slug=association_slug, person_id=person.pk)


@association_required(Perm.MANAGE_MEMBERS)
@require_safe
def join_requests(request, association_slug):
    status = request.GET.get("status", "pending")
    if status not in ("pending", "approved", "rejected"):
        status = "pending"
    page = Paginator(
        join_request_list(association=request.association, status=status), 50
    ).get_page(request.GET.get("page"))
    return render(request, "members/join_requests.html", {"page_obj": page, "status": status})


@association_required(Perm.MANAGE_MEMBERS)
@require_POST
def join_request_decide_view(request, association_slug, join_request_id):
    jr = join_request_get(association=request.association, join_request_id=join_request_id)
    approve = request.POST.get("decision") == "approve"
    try:
        jr = services.join_request_decide(
            association=request.association, actor=request.user, join_request=jr, approve=approve
        )
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": jr.person})
        else:
            messages.success(request, _("The request has been declined."))
    return redirect("members:join_requests", association_slug=association_slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = invitation_by_token(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, _errors_text(error))
            return redirect("me:home")
        messages.success(
            request, _("Welcome to %(association)s!") % {"association": invitation.association.name}
        )
        return redirect("backoffice:dashboard", association_slug=invitation.association.slug)
    return render(request, "members/invitation_accept.html", {"invitation": invitation})
