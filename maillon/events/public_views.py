"""Public pages of events, under ``/events/``: the network calendar, event pages
with registration, the secret-link registration page (confirm, cancel), campaign
pages, the calendar feeds, and a signed-in person's "my events". No association
scope is active here: the selectors filter explicitly."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.associations.models import Module
from maillon.associations.selectors import public_association_get
from maillon.core import ratelimit
from maillon.core.forms import add_validation_error
from maillon.core.views import flash_refusal

from . import services
from .forms import CalendarFilterForm, GuestRegistrationForm
from .ical import event_ics
from .models import Campaign, EventAudience, EventStatus, RegistrationStatus
from .selectors import (
    campaign_get,
    feed_events_for_token,
    feed_token_of,
    may_see_event,
    my_membership,
    my_registration_get,
    my_registrations,
    public_association_events,
    public_calendar,
    public_calendar_associations,
    public_campaign_events,
    public_event_get,
    public_events,
    registration_for_token,
)

PAGE_SIZE = 20
FEED_DAYS_BACK = 365


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_window(qs):
    """Feeds keep a year of past events (enough for calendar apps, bounded)."""
    return qs.filter(ends_at__gte=timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK))


@require_safe
def calendar(request):
    campaigns = list(Campaign.objects.filter(ends_on__gte=timezone.localdate()))
    form = CalendarFilterForm(
        request.GET or None, associations=public_calendar_associations(), campaigns=campaigns
    )
    filters = form.cleaned_data if form.is_valid() else {}
    events = public_calendar(
        department=filters.get("department", ""),
        association=filters.get("association", ""),
        campaign=filters.get("campaign", ""),
        start=filters.get("start"),
        end=filters.get("end"),
        online=filters.get("online", ""),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/calendar.html",
        {"form": form, "page_obj": page, "campaigns": campaigns},
    )


def _event_or_login(request, event_id):
    event = public_event_get(event_id=event_id)
    if not may_see_event(event=event, user=request.user):
        if not request.user.is_authenticated:
            return event, redirect_to_login(request.get_full_path())
        raise Http404
    return event, None


@require_safe
def event_page(request, event_id):
    event, login = _event_or_login(request, event_id)
    if login:
        return login
    mine = None
    if request.user.is_authenticated:
        mine = my_registrations(user=request.user).filter(event=event).first()
    return render(
        request,
        "events/event_public.html",
        {
            "event": event,
            "association": event.association,
            "mine": mine,
            "guest_form": GuestRegistrationForm(),
            "is_member": my_membership(association=event.association, user=request.user)
            is not None,
            "can_register": _can_register(event),
        },
    )


def _can_register(event) -> bool:
    return (
        event.status == EventStatus.PUBLISHED
        and event.registration_open
        and event.starts_at > timezone.now()
    )


@require_POST
def register(request, event_id):
    event, login = _event_or_login(request, event_id)
    if login:
        return login
    page = reverse("public_events:event", kwargs={"event_id": event.pk})
    form = None
    try:
        if request.user.is_authenticated:
            registration = services.registration_create(event=event, user=request.user)
        else:
            if event.audience == EventAudience.MEMBERS:
                return redirect_to_login(page)
            form = GuestRegistrationForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            # A guest's registration emails the address they typed: limited per hour.
            counted = ratelimit.consume(
                request, action="event_registration", key=form.cleaned_data["email"]
            )
            if isinstance(counted, ratelimit.Refusal):
                form.add_error(None, counted.message)
                return counted.apply(_guest_form_page(request, event, form))
            try:
                registration = services.registration_create(event=event, **form.cleaned_data)
            except ValidationError:
                counted.rollback()  # nothing was sent
                raise
    except ValidationError as error:
        if form is not None:
            if not form.errors:
                add_validation_error(form, error)
            return _guest_form_page(request, event, form)
        flash_refusal(request, error)
        return redirect(page)
    if registration.status == RegistrationStatus.PENDING:
        messages.success(
            request,
            _("Almost done: open the link we sent to %(email)s to confirm your registration.")
            % {"email": registration.email},
        )
    elif registration.status == RegistrationStatus.WAITING:
        messages.success(
            request,
            _("The event is full: you are on the waiting list. We email you if a seat frees up."),
        )
    else:
        messages.success(request, _("You are registered. See you there!"))
    return redirect(page)


def _guest_form_page(request, event, form):
    """The event's page with the guest's form and its errors."""
    return render(
        request,
        "events/event_public.html",
        {
            "event": event,
            "association": event.association,
            "guest_form": form,
            "can_register": _can_register(event),
        },
    )


@require_safe
def event_ics_view(request, event_id):
    event, login = _event_or_login(request, event_id)
    if login:
        return login
    return _ics_response(event_ics([event]), f"event-{event.pk}.ics")


# --- the secret-link page of a registration ------------------------------------------------------


@require_safe
def registration_page(request, token):
    registration = registration_for_token(token=token)
    return render(
        request,
        "events/registration_page.html",
        {"registration": registration, "event": registration.event},
    )


@require_POST
def registration_confirm(request, token):
    registration = registration_for_token(token=token)
    try:
        registration = services.registration_confirm_email(registration=registration)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.success(request, _("Your address is confirmed: you are on the waiting list."))
        elif registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("Your registration is confirmed. See you there!"))
    return redirect("public_events:registration", token=registration.token)


@require_POST
def registration_cancel(request, token):
    registration = registration_for_token(token=token)
    try:
        services.registration_cancel(registration=registration)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("public_events:registration", token=registration.token)


# --- campaigns ------------------------------------------------------------------------------------


@require_safe
def campaign_page(request, slug):
    campaign = campaign_get(slug=slug)
    events = public_campaign_events(campaign=campaign).filter(status=EventStatus.PUBLISHED)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "events/campaign.html", {"campaign": campaign, "page_obj": page})


@require_safe
def campaign_ics(request, slug):
    campaign = campaign_get(slug=slug)
    return _ics_response(
        event_ics(public_campaign_events(campaign=campaign), name=campaign.title),
        f"{campaign.slug}.ics",
    )


# --- feeds ------------------------------------------------------------------------------------


@require_safe
def association_ics(request, slug):
    association = public_association_get(slug)
    if not association.has_module(Module.EVENTS):
        raise Http404
    events = _feed_window(public_association_events(slug=association.slug))
    return _ics_response(event_ics(events, name=association.name), f"{association.slug}.ics")


@require_safe
def network_ics(request):
    events = _feed_window(public_events()).order_by("starts_at", "id")
    return _ics_response(event_ics(events, name="Maillon"), "events.ics")


@require_safe
def my_ics(request, token):
    events = _feed_window(feed_events_for_token(token=token))
    return _ics_response(event_ics(events, name=_("My events")), "my-events.ics")


# --- my events --------------------------------------------------------------------------------


@login_required
@require_safe
def my_events(request):
    registrations = list(my_registrations(user=request.user))
    now = timezone.now()
    feed = feed_token_of(user=request.user)
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": [r for r in registrations if r.event.ends_at >= now],
            "past": [r for r in registrations if r.event.ends_at < now][-20:],
            "feed_url": request.build_absolute_uri(
                reverse("public_events:my_ics", kwargs={"token": feed.token})
            ),
        },
    )


@login_required
@require_POST
def my_registration_cancel(request, registration_id):
    registration = my_registration_get(user=request.user, registration_id=registration_id)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request,
            _("Your registration for “%(title)s” is cancelled.")
            % {"title": registration.event.title},
        )
    return redirect("public_events:mine")


@login_required
@require_POST
def my_feed_renew(request):
    services.feed_token_renew(user=request.user)
    messages.success(
        request, _("Your calendar address is renewed. The previous address no longer works.")
    )
    return redirect("public_events:mine")
