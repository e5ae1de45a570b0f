"""Reads of events, registrations and campaigns.

Back-office reads take ``association`` and run inside its scope; objects named in a
URL are fetched through the ``*_get`` access helpers, which answer 404 for anything
outside the association. Public reads (calendar, event pages, feeds, "my events")
run with no scope: they disable scopes in the clearly named ``public_*``, ``my_*``
and ``*_for_token`` selectors below and filter explicitly (published, public, module
on, the signed-in user's own rows, or the rows of a secret link).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association, Module
from maillon.members.models import Person

from .models import (
    ACTIVE_STATUSES,
    CalendarFeedToken,
    Campaign,
    Event,
    EventAudience,
    EventStatus,
    Registration,
    RegistrationStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from maillon.accounts.models import User


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- back-office ------------------------------------------------------------------------------


def event_list(*, association: Association, include_drafts: bool = True) -> QuerySet[Event]:
    """The association's events, latest first, with their registration counts."""
    qs = Event.objects.filter(association=association)
    if not include_drafts:
        qs = qs.exclude(status=EventStatus.DRAFT)
    return (
        qs.select_related("campaign", "department")
        .annotate(
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
            checked_in_count=Count(
                "registrations", filter=Q(registrations__checked_in_at__isnull=False)
            ),
        )
        .order_by("-starts_at", "-id")
    )


def event_get(*, association: Association, event_id: Any) -> Event:
    """Access helper: an event of ``association`` or 404."""
    event = (
        Event.objects.filter(association=association, pk=_as_id(event_id))
        .select_related("association", "campaign", "department")
        .first()
    )
    if event is None:
        raise Http404
    return event


def registration_get(
    *, association: Association, event: Event, registration_id: Any
) -> Registration:
    """Access helper: a registration of ``event`` (of ``association``) or 404."""
    registration = Registration.objects.filter(
        association=association, event=event, pk=_as_id(registration_id)
    ).first()
    if registration is None:
        raise Http404
    return registration


def registration_counts(*, event: Event) -> dict[str, int]:
    rows = (
        Registration.objects.filter(event=event).values("status").annotate(n=Count("id")).order_by()
    )
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["checked_in"] = Registration.objects.filter(
        event=event, checked_in_at__isnull=False
    ).count()
    return counts


def registration_rows(*, event: Event, search: str = "", status: str = "") -> QuerySet:
    """The registrations of an event for the check-in list: active ones (and the
    cancelled ones when asked), by name."""
    qs = Registration.objects.filter(event=event)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING])
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return qs.select_related("person").order_by("last_name", "first_name", "id")


def attendance_rows(*, event: Event) -> QuerySet[Registration]:
    """Who registered or came: confirmed registrations and walk-ins, by name."""
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).order_by(
        "last_name", "first_name", "id"
    )


def people_to_check_in(
    *, association: Association, event: Event, search: str, limit: int = 20
) -> list[Person]:
    """People of the register matching ``search`` who are not registered yet."""
    from maillon.core.text import fold

    words = fold(search).split()[:5]
    if not words:
        return []
    qs = Person.objects.filter(association=association, left_on__isnull=True).exclude(
        pk__in=Registration.objects.filter(
            event=event, status__in=ACTIVE_STATUSES, person__isnull=False
        ).values("person_id")
    )
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return list(qs.order_by("last_name", "first_name", "id")[:limit])


def open_campaigns(*, today: datetime.date | None = None) -> QuerySet[Campaign]:
    """Campaigns an event can join: running or still to come."""
    today = today or timezone.localdate()
    return Campaign.objects.filter(ends_on__gte=today).order_by("starts_on", "title")


def campaigns_for_event(*, event: Event | None = None) -> QuerySet[Campaign]:
    """The campaigns offered in the event form: the open ones, plus the one the event
    already belongs to (even if it is over)."""
    qs = open_campaigns()
    if event is not None and event.campaign_id:
        qs = Campaign.objects.filter(
            Q(pk__in=open_campaigns().values("pk")) | Q(pk=event.campaign_id)
        ).order_by("starts_on", "title")
    return qs


def my_membership(*, association: Association, user: User | AnonymousUser | None) -> Person | None:
    """The signed-in user's current membership in ``association``, if any (their own
    row, read outside any scope: public pages have none)."""
    if user is None or not user.is_authenticated:
        return None
    with scopes_disabled():
        return Person.objects.filter(
            association=association, user=user, left_on__isnull=True
        ).first()


# --- public -----------------------------------------------------------------------------------


def _with_module_on(qs: QuerySet[Event]) -> QuerySet[Event]:
    # ``enabled_modules`` is a JSON list; its text form is searched so that the same
    # filter works on SQLite and PostgreSQL.
    return qs.alias(_modules=Cast("association__enabled_modules", output_field=TextField())).filter(
        _modules__contains=f'"{Module.EVENTS.value}"'
    )


def public_events() -> QuerySet[Event]:
    """Published public events of associations with the events module on (every
    date), for the network calendar and feeds. Scopes are disabled: only this filter
    decides what is shown."""
    with scopes_disabled():
        qs = Event.objects.filter(
            status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
            audience=EventAudience.PUBLIC,
        )
        return _with_module_on(qs).select_related("association", "campaign", "department")


def public_calendar(
    *,
    department: str = "",
    association: str = "",
    campaign: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    online: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Upcoming (or running) published public events, soonest first. Filters:
    department code, association slug, campaign slug, date range (local dates),
    online ("online": with an online link, "in_person": with a place)."""
    now = now or timezone.now()
    with scopes_disabled():
        qs = public_events().filter(status=EventStatus.PUBLISHED, ends_at__gte=now)
        if department:
            qs = qs.filter(department__code=department)
        if association:
            qs = qs.filter(association__slug=association)
        if campaign:
            qs = qs.filter(campaign__slug=campaign)
        if start:
            qs = qs.filter(ends_at__date__gte=start)
        if end:
            qs = qs.filter(starts_at__date__lte=end)
        if online == "online":
            qs = qs.exclude(online_url="")
        elif online == "in_person":
            qs = qs.exclude(postal_code="")
        return qs.order_by("starts_at", "id")


def public_calendar_associations() -> list[tuple[str, str]]:
    """(slug, name) of associations with upcoming public events: the filter's choices."""
    with scopes_disabled():
        rows = (
            public_calendar()
            .values_list("association__slug", "association__name")
            .order_by("association__name")
            .distinct()
        )
        return list(rows)


def public_event_get(*, event_id, user=None) -> Event:
    """An event as the public sees it: published or cancelled, module on, and for a
    members-only event, only a signed-in member of the association. 404 otherwise
    (an anonymous visitor of a members-only event is asked to sign in by the view)."""
    with scopes_disabled():
        qs = Event.objects.filter(
            pk=_as_id(event_id), status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
        )
        event = _with_module_on(qs).select_related("association", "campaign", "department").first()
    if event is None:
        raise Http404
    return event


def may_see_event(*, event: Event, user: User | AnonymousUser) -> bool:
    if event.audience == EventAudience.PUBLIC:
        return True
    return my_membership(association=event.association, user=user) is not None


def public_association_events(*, slug: str) -> QuerySet[Event]:
    with scopes_disabled():
        return public_events().filter(association__slug=slug).order_by("starts_at", "id")


def campaign_get(*, slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise Http404
    return campaign


def public_campaign_events(*, campaign: Campaign) -> QuerySet[Event]:
    """The campaign's public events across the country, by department then date."""
    with scopes_disabled():
        return (
            public_events()
            .filter(campaign=campaign)
            .order_by("department__code", "starts_at", "id")
        )


def registration_for_token(*, token: str) -> Registration:
    with scopes_disabled():
        registration = (
            Registration.objects.filter(token=str(token))
            .select_related("event", "event__association", "association")
            .first()
        )
    if registration is None:
        raise Http404
    return registration


# --- a person's own events --------------------------------------------------------------------


def my_registrations(*, user: User) -> QuerySet[Registration]:
    """The user's registrations in every association (scopes disabled: filtered by
    ``user``), soonest event first."""
    with scopes_disabled():
        return (
            Registration.objects.filter(user=user, status__in=ACTIVE_STATUSES)
            .select_related("event", "event__association", "event__department")
            .order_by("event__starts_at", "id")
        )


def my_registration_get(*, user: User, registration_id: Any) -> Registration:
    registration = my_registrations(user=user).filter(pk=_as_id(registration_id)).first()
    if registration is None:
        raise Http404
    return registration


def feed_token_of(*, user: User) -> CalendarFeedToken:
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


def feed_events_for_token(*, token: str) -> QuerySet[Event]:
    """The events the owner of ``token`` registered for (confirmed or waiting), in
    every association; cancelled events stay in the feed, marked cancelled."""
    feed = CalendarFeedToken.objects.filter(token=str(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    with scopes_disabled():
        registered = Registration.objects.filter(
            user=feed.user,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        ).values("event_id")
        return (
            Event.objects.filter(pk__in=registered)
            .exclude(status=EventStatus.DRAFT)
            .select_related("association")
            .order_by("starts_at", "id")
        )


def network_campaigns_across_associations(*, network) -> QuerySet[Campaign]:
    """The campaigns a network runs, with their numbers of public events and of
    taking-part associations."""
    with scopes_disabled():
        return Campaign.objects.filter(network=network).annotate(
            event_count=Count(
                "events", filter=Q(events__status=EventStatus.PUBLISHED), distinct=True
            ),
            association_count=Count(
                "events__association",
                filter=Q(events__status=EventStatus.PUBLISHED),
                distinct=True,
            ),
        )


def network_campaign_get(*, network, campaign_id: Any) -> Campaign:
    campaign = Campaign.objects.filter(network=network, pk=_as_id(campaign_id)).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_participation_across_associations(*, campaign: Campaign) -> list[Event]:
    """The published events of a campaign, every association's, with their seats
    taken: what the network sees of the participation."""
    with scopes_disabled():
        return list(
            Event.objects.filter(campaign=campaign, status=EventStatus.PUBLISHED)
            .select_related("association")
            .order_by("association__name", "starts_at")
        )
