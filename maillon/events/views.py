"""Back-office pages of events: list, create and edit, publish, cancel, the
registrations with check-in, the attendance export and the sign-in sheet. Thin:
parse input, call a selector or a service, render. Everything works without
JavaScript; htmx only swaps a checked-in row in place."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm
from maillon.members.register.exports import safe_cell

from . import services
from .forms import CancelEventForm, CheckInForm, EventForm, SearchForm, WalkInForm, WalkInSearchForm
from .models import EventStatus, RegistrationStatus
from .selectors import (
    attendance_rows,
    campaigns_for_event,
    event_get,
    event_list,
    people_to_check_in,
    registration_counts,
    registration_get,
    registration_rows,
)

MODULE = Module.EVENTS


def _detail(request, event):
    return redirect("events:detail", association_slug=request.association.slug, event_id=event.pk)


def _can_manage(request) -> bool:
    return Perm.MANAGE_EVENTS in request.permissions


@association_required(Perm.VIEW_BACKOFFICE, module=MODULE)
@require_safe
def event_list_view(request, association_slug):
    can_manage = _can_manage(request)
    events = event_list(association=request.association, include_drafts=can_manage)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page_obj": page, "can_manage": can_manage, "now": timezone.now()},
    )


def _event_form(request, event=None):
    association = request.association
    campaigns = campaigns_for_event(event=event)
    initial = None
    if event is not None:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    return EventForm(
        request.POST or None,
        initial=initial,
        time_zone=association.time_zone,
        campaigns=campaigns,
    )


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_http_methods(["GET", "POST"])
def event_create(request, association_slug):
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                association=request.association, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The event is saved as a draft. Publish it when ready."))
            return _detail(request, event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_http_methods(["GET", "POST"])
def event_edit(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                association=request.association,
                actor=request.user,
                event=event,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return _detail(request, event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_safe
def event_detail(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    return render(
        request,
        "events/event_detail.html",
        {"event": event, "counts": registration_counts(event=event)},
    )


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_POST
def event_publish(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    run_service(request, services.event_publish, event=event, success=_("The event is published."))
    return _detail(request, event)


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_http_methods(["GET", "POST"])
def event_cancel(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            services.event_cancel,
            event=event,
            reason=form.cleaned_data["reason"],
            success=_("The event is cancelled. The people registered are told by email."),
        )
        return _detail(request, event)
    return render(request, "events/event_cancel.html", {"event": event, "form": form})


# --- registrations and check-in ------------------------------------------------------------


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_safe
def registrations(request, association_slug, event_id):
    association = request.association
    event = event_get(association=association, event_id=event_id)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    rows = registration_rows(event=event, search=query, status=status)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    walk_in_search = WalkInSearchForm(request.GET or None)
    who = walk_in_search.cleaned_data["who"] if walk_in_search.is_valid() else ""
    context = {
        "event": event,
        "page_obj": page,
        "search": search,
        "status": status,
        "statuses": RegistrationStatus.choices,
        "counts": registration_counts(event=event),
        "walk_in_search": walk_in_search,
        "candidates": people_to_check_in(association=association, event=event, search=who),
        "who": who,
        "can_check_in": event.status == EventStatus.PUBLISHED,
    }
    if request.htmx and request.htmx.target == "registration-rows":
        return render(request, "events/partials/registration_rows.html", context)
    return render(request, "events/registrations.html", context)


def _registrations_page(request, event):
    return redirect(
        "events:registrations", association_slug=request.association.slug, event_id=event.pk
    )


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_POST
def check_in(request, association_slug, event_id, registration_id):
    association = request.association
    event = event_get(association=association, event_id=event_id)
    registration = registration_get(
        association=association, event=event, registration_id=registration_id
    )
    form = CheckInForm(request.POST)
    present = form.cleaned_data["present"] if form.is_valid() else True
    try:
        registration = services.registration_check_in(
            association=association, actor=request.user, registration=registration, present=present
        )
    except ValidationError as error:
        if request.htmx:
            return render(
                request,
                "events/partials/registration_row.html",
                {
                    "event": event,
                    "registration": registration,
                    "row_error": error.messages[0],
                    "can_check_in": event.status == EventStatus.PUBLISHED,
                },
            )
        flash_refusal(request, error)
    else:
        if request.htmx:
            return render(
                request,
                "events/partials/registration_row.html",
                {"event": event, "registration": registration, "can_check_in": True},
            )
        if present:
            messages.success(request, _("%(name)s is checked in.") % {"name": registration})
        else:
            messages.success(
                request, _("%(name)s is no longer checked in.") % {"name": registration}
            )
    return _registrations_page(request, event)


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_POST
def walk_in(request, association_slug, event_id):
    association = request.association
    event = event_get(association=association, event_id=event_id)
    form = WalkInForm(request.POST)
    if form.is_valid():
        from maillon.members.models import Person

        person = Person.objects.filter(
            association=association, pk=form.cleaned_data["person_id"], left_on__isnull=True
        ).first()
        if person is None:
            messages.error(request, _("Choose someone of the register."))
        else:
            run_service(
                request,
                services.walk_in_check_in,
                event=event,
                person=person,
                success=_("%(name)s is checked in.") % {"name": person},
            )
    else:
        messages.error(request, _("Choose someone of the register."))
    return _registrations_page(request, event)


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_POST
def registration_cancel(request, association_slug, event_id, registration_id):
    association = request.association
    event = event_get(association=association, event_id=event_id)
    registration = registration_get(
        association=association, event=event, registration_id=registration_id
    )
    run_service(
        request,
        services.registration_cancel_by_staff,
        registration=registration,
        success=_("The registration of %(name)s is cancelled.") % {"name": registration},
    )
    return _registrations_page(request, event)


# --- exports ---------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _attendance_csv(event, rows):
    writer = csv.writer(_Echo(), delimiter=";")
    yes, no = _("yes"), _("no")
    yield "\ufeff"
    yield writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("Email"),
            _("Registered at"),
            _("Came without a seat"),
            _("Present"),
            _("Checked in at"),
        ]
    )
    tz = event.association.time_zone
    for r in rows:
        checked = timezone.localtime(r.checked_in_at, _zone(tz)) if r.checked_in_at else None
        registered = timezone.localtime(r.created_at, _zone(tz))
        yield writer.writerow(
            [
                safe_cell(v)
                for v in (
                    r.last_name,
                    r.first_name,
                    r.email,
                    registered.strftime("%Y-%m-%d %H:%M"),
                    yes if r.is_walk_in else no,
                    yes if checked else no,
                    checked.strftime("%Y-%m-%d %H:%M") if checked else "",
                )
            ]
        )


def _zone(name: str):
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_safe
def attendance_csv(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    rows = list(attendance_rows(event=event))
    response = StreamingHttpResponse(
        _attendance_csv(event, rows), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"{_('attendance')}-{event.title}")[:80] or "attendance"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@association_required(Perm.MANAGE_EVENTS, module=MODULE)
@require_safe
def sign_in_sheet(request, association_slug, event_id):
    event = event_get(association=request.association, event_id=event_id)
    rows = list(attendance_rows(event=event))
    return render(
        request,
        "events/sign_in_sheet.html",
        {"event": event, "rows": rows, "blank_rows": range(max(10, len(rows) // 5))},
    )
