"""Pages of applications: applying (public), the candidate's thread (their account
or their secret link) and the association's back-office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core import ratelimit
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal
from maillon.members.permissions import Perm

from ..models import ACTIVE_APPLICATION_STATUSES, ApplicationStatus, MissionStatus, Source
from . import services
from .forms import (
    AccountApplyForm,
    ApplicationFilterForm,
    GuestApplyForm,
    MessageForm,
    StatusForm,
)
from .selectors import (
    THREAD_OPEN_STATUSES,
    accepted_count,
    application_counts,
    application_for_token,
    application_get,
    application_list,
    application_recipients,
    candidate_person,
    is_unanswered,
    missions_with_applications,
    my_application_get,
    my_applications,
    public_mission_for_application,
    response_stats,
    thread_of,
)

APPLICATIONS_PER_PAGE = 50


# --- Applying (public) ---------------------------------------------------------------------


def _account_initial(request, mission) -> dict:
    person = candidate_person(association=mission.association, user=request.user)
    if person is not None:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone,
        }
    first, _space, last = request.user.full_name.strip().partition(" ")
    return {"first_name": first, "last_name": last}


@require_http_methods(["GET", "POST"])
def apply(request, mission_id):
    mission = public_mission_for_application(mission_id=mission_id, user=request.user)
    signed_in = request.user.is_authenticated
    form_class = AccountApplyForm if signed_in else GuestApplyForm
    source = request.GET.get("from")
    initial = {"source": source if source in Source.values else Source.OTHER}
    if signed_in:
        initial.update(_account_initial(request, mission))
    form = form_class(request.POST or None, initial=initial, mission=mission)
    refusal = None
    if request.method == "POST" and mission.is_open and form.is_valid():
        # A guest's form emails the address they typed: limited per hour.
        counted = None if signed_in else _count_guest_application(request, form)
        if isinstance(counted, ratelimit.Refusal):
            refusal = counted
            form.add_error(None, refusal.message)
        elif (application := _submit(request, form, mission, counted)) is not None:
            if application.is_submitted:
                messages.success(
                    request,
                    _("Your application has been sent to %(association)s.")
                    % {"association": mission.association.name},
                )
                return redirect("volunteer:application_detail", application_id=application.pk)
            return redirect("missions:application_check_email")
    response = render(
        request,
        "volunteering/applications/apply.html",
        {"mission": mission, "form": form, "signed_in": signed_in},
    )
    return refusal.apply(response) if refusal else response


def _count_guest_application(request, form) -> ratelimit.Usage | ratelimit.Refusal:
    return ratelimit.consume(request, action="mission_application", key=form.cleaned_data["email"])


def _submit(request, form, mission, counted: ratelimit.Usage | None):
    """The application, or None with the service's refusal on the form (the hit
    counted for it is then given back: nothing was sent)."""
    try:
        return services.application_submit(
            mission=mission,
            user=request.user if request.user.is_authenticated else None,
            **form.cleaned_data,
        )
    except ValidationError as error:
        add_validation_error(form, error)
        if counted is not None:
            counted.rollback()
        return None


@require_safe
def check_email(request):
    return render(request, "volunteering/applications/check_email.html")


def _thread_context(application, *, can_write: bool, form=None) -> dict:
    return {
        "application": application,
        "mission": application.mission,
        "association": application.association,
        "thread": thread_of(application),
        "form": form or MessageForm(),
        "can_write": can_write and application.status in THREAD_OPEN_STATUSES,
        "can_withdraw": application.status in ACTIVE_APPLICATION_STATUSES,
    }


@require_safe
def guest_thread(request, token):
    application = application_for_token(token)
    context = _thread_context(application, can_write=application.is_submitted)
    context.update({"token": token, "needs_confirmation": not application.is_submitted})
    return render(request, "volunteering/applications/candidate_thread.html", context)


@require_POST
def guest_confirm(request, token):
    application = application_for_token(token)
    try:
        services.application_confirm_email(application=application)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request,
            _("Thank you, your application has been sent to %(association)s.")
            % {"association": application.association.name},
        )
    return redirect("missions:application_thread", token=token)


@require_POST
def guest_reply(request, token):
    application = application_for_token(token)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.application_candidate_message(
                application=application, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("missions:application_thread", token=token)
    context = _thread_context(application, can_write=application.is_submitted, form=form)
    context.update({"token": token, "needs_confirmation": not application.is_submitted})
    return render(request, "volunteering/applications/candidate_thread.html", context)


@require_POST
def guest_withdraw(request, token):
    application = application_for_token(token)
    _withdraw(request, application)
    return redirect("missions:application_thread", token=token)


def _withdraw(request, application) -> None:
    try:
        services.application_withdraw(
            application=application,
            user=request.user if request.user.is_authenticated else None,
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Your application has been withdrawn."))


# --- The candidate's own applications (/me/volunteering/applications/) --------------------


@login_required
@require_safe
def my_application_list(request):
    page = Paginator(my_applications(user=request.user), APPLICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "volunteering/applications/my_list.html", {"page_obj": page})


@login_required
@require_safe
def my_application_detail(request, application_id):
    application = my_application_get(user=request.user, application_id=application_id)
    context = _thread_context(application, can_write=application.is_submitted)
    context["needs_confirmation"] = not application.is_submitted
    return render(request, "volunteering/applications/candidate_thread.html", context)


@login_required
@require_POST
def my_application_reply(request, application_id):
    application = my_application_get(user=request.user, application_id=application_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.application_candidate_message(
                application=application, body=form.cleaned_data["body"], user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("volunteer:application_detail", application_id=application.pk)
    context = _thread_context(application, can_write=application.is_submitted, form=form)
    return render(request, "volunteering/applications/candidate_thread.html", context)


@login_required
@require_POST
def my_application_withdraw(request, application_id):
    application = my_application_get(user=request.user, application_id=application_id)
    _withdraw(request, application)
    return redirect("volunteer:application_detail", application_id=application.pk)


# --- Back-office ----------------------------------------------------------------------------


@association_required(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
@require_safe
def application_list_view(request, association_slug):
    association = request.association
    missions = list(missions_with_applications(association=association))
    form = ApplicationFilterForm(request.GET or None, missions=missions)
    filters = form.filters()
    page = Paginator(
        application_list(association=association, **filters), APPLICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    for application in page:
        application.unanswered = is_unanswered(application)
    counts = application_counts(association=association, mission_id=filters.get("mission_id"))
    return render(
        request,
        "volunteering/applications/list.html",
        {
            "form": form,
            "page_obj": page,
            "counts": [(value, label, counts[value]) for value, label in ApplicationStatus.choices],
            "current_status": filters.get("status", ""),
            "stats": response_stats(association),
        },
    )


def _detail_context(request, application, *, reply_form=None) -> dict:
    mission = application.mission
    accepted = accepted_count(mission=mission)
    return {
        "application": application,
        "mission": mission,
        "thread": thread_of(application),
        "reply_form": reply_form or MessageForm(),
        "can_manage": Perm.MANAGE_MISSIONS in request.permissions,
        "can_view_members": Perm.VIEW_MEMBERS in request.permissions,
        "can_write": application.status in THREAD_OPEN_STATUSES,
        "is_active": application.status in ACTIVE_APPLICATION_STATUSES,
        "is_new": application.status == ApplicationStatus.NEW,
        "unanswered": is_unanswered(application),
        "accepted_count": accepted,
        "would_be_full": mission.status == MissionStatus.PUBLISHED
        and accepted + 1 >= mission.volunteers_wanted,
        "recipients": application_recipients(application=application),
    }


@association_required(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
@require_safe
def application_detail(request, association_slug, application_id):
    application = application_get(association=request.association, application_id=application_id)
    return render(
        request,
        "volunteering/applications/detail.html",
        _detail_context(request, application),
    )


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_POST
def application_reply(request, association_slug, application_id):
    application = application_get(association=request.association, application_id=application_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.application_reply(
                association=request.association,
                actor=request.user,
                application=application,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your message has been sent to the candidate."))
            return redirect(
                "volunteering:application_detail",
                association_slug=association_slug,
                application_id=application.pk,
            )
    return render(
        request,
        "volunteering/applications/detail.html",
        _detail_context(request, application, reply_form=form),
    )


@association_required(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
@require_POST
def application_status(request, association_slug, application_id):
    application = application_get(association=request.association, application_id=application_id)
    form = StatusForm(request.POST)
    back = redirect(
        "volunteering:application_detail",
        association_slug=association_slug,
        application_id=application.pk,
    )
    if not form.is_valid():
        messages.error(request, _("Choose a valid decision."))
        return back
    status = form.cleaned_data["status"]
    arguments = {
        "association": request.association,
        "actor": request.user,
        "application": application,
    }
    try:
        if status == ApplicationStatus.ACCEPTED:
            application = services.application_accept(
                **arguments, mark_full_when_complete=form.cleaned_data["mark_full"]
            )
        elif status == ApplicationStatus.DECLINED:
            application = services.application_decline(**arguments)
        else:
            application = services.application_discuss(**arguments)
    except ValidationError as error:
        flash_refusal(request, error)
        return back
    if status == ApplicationStatus.ACCEPTED:
        messages.success(
            request,
            _("%(name)s is now a volunteer of the association.")
            % {"name": f"{application.first_name} {application.last_name}"},
        )
        if application.mission.status == MissionStatus.FULL:
            messages.info(request, _("The mission has all its volunteers: it is now marked full."))
    else:
        messages.success(request, _("The candidate has been told by email."))
    return back
