"""Writes of events and registrations.

Back-office services check the actor's permission (``Perm.MANAGE_EVENTS``). Public
services (register, confirm, cancel with the secret link) are called by anyone and
open the event's association scope themselves, like the join requests of members.
Every service runs in one transaction, writes one audit entry and sends its emails
from a background task queued after commit.

Seats and the waiting list
    Every change of who holds a seat locks the event row first
    (``select_for_update``), then reads and writes ``Event.seats_taken``; the check
    constraint ``event_seats_within_capacity`` refuses any overbooking the lock would
    have missed. When a seat frees up (a cancellation, a larger capacity), the people
    waiting are promoted in the order they started waiting, and told by email.

Guests
    A guest's registration is PENDING until they follow the link of the confirmation
    email; only then do they get a seat or a place on the waiting list (see
    ``models.py``). The link is valid until the event starts.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission
from maillon.taxonomy.geo import department_code_for_postal_code, normalise_postal_code
from maillon.taxonomy.models import Department

from .models import (
    ACTIVE_STATUSES,
    CalendarFeedToken,
    Event,
    EventAudience,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from .tasks import send_event_cancelled_emails, send_registration_email

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from maillon.accounts.models import User

RS = RegistrationStatus
EVENT_FIELDS = (
    "title",
    "description",
    "audience",
    "address",
    "postal_code",
    "city",
    "online_url",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_open",
    "campaign",
)


class AlreadyRegistered(ValidationError):
    pass


def _audit(
    association: Association, actor: User | None, action: str, obj: Any, **data: Any
) -> None:
    audit_log(association=association, actor=actor, action=f"events.{action}", obj=obj, data=data)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- events -----------------------------------------------------------------------------------


def _validate_event(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    event.postal_code = normalise_postal_code(event.postal_code)
    if event.postal_code:
        code = department_code_for_postal_code(event.postal_code)
        if code is None:
            errors["postal_code"] = [_("Give a French postal code of five digits.")]
        event.department = Department.objects.filter(code=code).first() if code else None
    else:
        event.department = None
        if event.address or event.city:
            errors["postal_code"] = [_("Give the postal code of the place.")]
    if not event.postal_code and not event.online_url:
        errors.setdefault("postal_code", []).append(
            _("Give the place of the event (address and postal code), an online link, or both.")
        )
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if event.capacity is not None and event.capacity < event.seats_taken:
        errors["capacity"] = [
            ngettext(
                "%(count)s person already holds a seat: the capacity cannot be lower.",
                "%(count)s people already hold a seat: the capacity cannot be lower.",
                event.seats_taken,
            )
            % {"count": event.seats_taken}
        ]
    campaign = event.campaign if event.campaign_id is not None and event.starts_at else None
    if campaign is not None:
        day = timezone.localtime(event.starts_at, _tz(event.association)).date()
        if not campaign.starts_on <= day <= campaign.ends_on:
            errors["campaign"] = [
                _("The event must take place during the campaign (%(start)s – %(end)s).")
                % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["association", "created_by", "department", "campaign"])


def _tz(association: Association) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(association.time_zone or settings.TIME_ZONE)


def _check_campaign(event: Event, previous_campaign_id: int | None) -> None:
    """A campaign can be joined while it is running or to come; an event keeps the
    campaign it already has."""
    if not event.campaign_id or event.campaign_id == previous_campaign_id:
        return
    campaign = event.campaign
    if campaign is not None and campaign.ends_on < timezone.localdate():
        raise ValidationError({"campaign": _("This campaign is over.")})


@transaction.atomic
def event_create(*, association: Association, actor: User, **fields: Any) -> Event:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    event = Event(association=association, created_by=actor)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(name)
        setattr(event, name, value)
    _check_campaign(event, None)
    _validate_event(event)
    event.save()
    _audit(association, actor, "event_create", event)
    return event


@transaction.atomic
def event_update(*, association: Association, actor: User, event: Event, **fields: Any) -> Event:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, event)
    event = _locked(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event can no longer be changed."))
    previous_campaign_id = event.campaign_id
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    changes = apply_changes(event, fields)
    _check_campaign(event, previous_campaign_id)
    _validate_event(event)
    event.save()
    promoted = []
    if event.status == EventStatus.PUBLISHED:
        promoted = _promote_waiting(event)
    _audit(
        association,
        actor,
        "event_update",
        event,
        changes=changes,
        promoted=[r.pk for r in promoted],
    )
    return event


@transaction.atomic
def event_publish(*, association: Association, actor: User, event: Event) -> Event:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, event)
    event = _locked(event)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    _audit(association, actor, "event_publish", event)
    return event


@transaction.atomic
def event_cancel(*, association: Association, actor: User, event: Event, reason: str = "") -> Event:
    """Cancel the event and tell everyone registered or waiting. Registrations are
    kept (history, attendance figures) but no longer hold seats."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, event)
    event = _locked(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancellation_reason = reason.strip()
    event.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    to_notify = list(
        Registration.objects.filter(
            event=event, status__in=[RS.CONFIRMED, RS.WAITING], checked_in_at__isnull=True
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    _audit(association, actor, "event_cancel", event, notified=len(to_notify), reason=reason)
    if was_published and to_notify:
        association_id = association.pk
        transaction.on_commit(
            lambda: send_event_cancelled_emails.enqueue(
                association_id=association_id, registration_ids=to_notify
            )
        )
    return event


# --- registrations ------------------------------------------------------------------------


def _give_seat_or_wait(event: Event, registration: Registration, now: datetime.datetime) -> None:
    """On a locked event: a seat when one is free, else the waiting list."""
    if event.capacity is None or event.seats_taken < event.capacity:
        registration.status = RS.CONFIRMED
        registration.holds_seat = True
        event.seats_taken += 1
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
    else:
        registration.status = RS.WAITING
        registration.holds_seat = False
        registration.waiting_since = now
    registration.confirmed_at = now


def _email_after_commit(registration: Registration, kind: str) -> None:
    """Queue the email ``kind`` to the registrant once the transaction commits."""
    association_id, registration_id = registration.association_id, registration.pk
    transaction.on_commit(
        lambda: send_registration_email.enqueue(
            association_id=association_id, registration_id=registration_id, kind=kind
        )
    )


def _release_seat(event: Event) -> None:
    event.seats_taken -= 1
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)


def _promote_waiting(event: Event) -> list[Registration]:
    """On a locked, published event: give the free seats to the first people
    waiting, and tell them by email."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        return []
    waiting = Registration.objects.filter(event=event, status=RS.WAITING).order_by(
        "waiting_since", "id"
    )
    if event.capacity is not None:
        free = event.capacity - event.seats_taken
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_for_update())
    if not promoted:
        return []
    now = timezone.now()
    for registration in promoted:
        registration.status = RS.CONFIRMED
        registration.holds_seat = True
        registration.promoted_at = now
        registration.save(update_fields=["status", "holds_seat", "promoted_at", "updated_at"])
    event.seats_taken += len(promoted)
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + len(promoted))
    for registration in promoted:
        _email_after_commit(registration, "promoted")
    return promoted


def _check_open(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event does not take registrations."))
    if not event.registration_open:
        raise ValidationError(_("Registration for this event is closed."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("This event has already started."))


def _member_of(association: Association, user: User | AnonymousUser | None) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(association=association, user=user, left_on__isnull=True).first()


def _existing(
    event: Event,
    *,
    user: User | None = None,
    email: str = "",
    person: Person | None = None,
) -> Registration | None:
    qs = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
    if user is not None:
        found = qs.filter(user=user).first()
        if found:
            return found
    if email:
        found = qs.filter(email=email).first()
        if found:
            return found
    if person is not None:
        return qs.filter(person=person).first()
    return None


def _save_new(registration: Registration) -> Registration:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise AlreadyRegistered(_("You are already registered for this event.")) from None
    return registration


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User | AnonymousUser | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Registration:
    """Register for ``event``: an account holder (``user``) at once, a guest (name
    and email) pending the confirmation of their address. Members-only events take
    only members of the association."""
    association = event.association
    with scope(association=association):
        event = _locked(event)
        _check_open(event)
        person = _member_of(association, user)
        if event.audience == EventAudience.MEMBERS and person is None:
            raise ValidationError(_("This event is for members of the association only."))
        now = timezone.now()
        if user is not None and user.is_authenticated:
            email = user.email.strip().lower()
            first_name = first_name or (person.first_name if person else "") or user.full_name
            last_name = last_name or (person.last_name if person else "")
            if not first_name:
                first_name = email.split("@")[0]
            existing = _existing(event, user=user, email=email, person=person)
            if existing is not None:
                raise AlreadyRegistered(_("You are already registered for this event."))
            registration = Registration(
                association=association,
                event=event,
                user=user,
                person=person,
                first_name=first_name[:100],
                last_name=last_name[:100],
                email=email,
                language=getattr(user, "language", "") or get_language() or settings.LANGUAGE_CODE,
            )
            _give_seat_or_wait(event, registration, now)
            kind = "confirmed" if registration.status == RS.CONFIRMED else "waiting"
        else:
            email = email.strip().lower()
            if not email or not first_name.strip():
                raise ValidationError(_("Give your name and email address."))
            existing = _existing(event, email=email)
            if existing is not None:
                if existing.status == RS.PENDING:
                    # Lost the first email: send the link again, nothing else changes.
                    _email_after_commit(existing, "confirm_email")
                    return existing
                raise AlreadyRegistered(_("This email address is already registered."))
            registration = Registration(
                association=association,
                event=event,
                first_name=first_name.strip()[:100],
                last_name=last_name.strip()[:100],
                email=email,
                status=RS.PENDING,
                language=get_language() or settings.LANGUAGE_CODE,
            )
            kind = "confirm_email"
        registration.full_clean(exclude=["association", "event", "user", "person", "token"])
        _save_new(registration)
        audit_log(
            association=association,
            actor=user,
            action="events.registration_create",
            obj=event,
            data={"registration": registration.pk, "status": registration.status},
        )
    _email_after_commit(registration, kind)
    return registration


@transaction.atomic
def registration_confirm_email(*, registration: Registration) -> Registration:
    """A guest followed the link of the confirmation email: a seat or the waiting
    list, whatever is free now."""
    association = registration.association
    with scope(association=association):
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RS.PENDING:
            return registration
        if event.status != EventStatus.PUBLISHED:
            raise ValidationError(_("This event does not take registrations."))
        if event.starts_at <= timezone.now():
            raise ValidationError(_("This event has already started."))
        _give_seat_or_wait(event, registration, timezone.now())
        registration.save(
            update_fields=["status", "holds_seat", "waiting_since", "confirmed_at", "updated_at"]
        )
        audit_log(
            association=association,
            actor=None,
            action="events.registration_confirm",
            obj=event,
            data={"registration": registration.pk, "status": registration.status},
        )
    kind = "confirmed" if registration.status == RS.CONFIRMED else "waiting"
    _email_after_commit(registration, kind)
    return registration


def _cancel(registration: Registration, event: Event) -> list[Registration]:
    if registration.status == RS.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    held = registration.holds_seat
    registration.status = RS.CANCELLED
    registration.holds_seat = False
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "holds_seat", "cancelled_at", "updated_at"])
    if held:
        _release_seat(event)
        return _promote_waiting(event)
    return []


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User | None = None) -> Registration:
    """The registrant cancels, through the secret link of their emails (no sign-in)
    or from their "my events" page. The first person waiting gets the seat."""
    association = registration.association
    with scope(association=association):
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if actor is not None and registration.user_id != actor.pk:
            raise PermissionDenied
        if event.starts_at <= timezone.now() and event.status == EventStatus.PUBLISHED:
            raise ValidationError(_("This event has already started."))
        promoted = _cancel(registration, event)
        audit_log(
            association=association,
            actor=actor,
            action="events.registration_cancel",
            obj=event,
            data={"registration": registration.pk, "promoted": [r.pk for r in promoted]},
        )
    return registration


@transaction.atomic
def registration_cancel_by_staff(
    *, association: Association, actor: User, registration: Registration
) -> Registration:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, registration)
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    promoted = _cancel(registration, event)
    _audit(
        association,
        actor,
        "registration_cancel",
        event,
        registration=registration.pk,
        promoted=[r.pk for r in promoted],
    )
    return registration


# --- check-in -------------------------------------------------------------------------------


def _check_in_allowed(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Check-in is only possible for a published event."))


@transaction.atomic
def registration_check_in(
    *, association: Association, actor: User, registration: Registration, present: bool = True
) -> Registration:
    """Tick (or untick) someone at the door. Someone on the waiting list who comes
    anyway is checked in as having come without a seat."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, registration)
    event = _locked(registration.event)
    _check_in_allowed(event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RS.CANCELLED:
        raise ValidationError(_("This registration is cancelled."))
    fields = ["checked_in_at", "checked_in_by", "updated_at"]
    if present:
        if registration.checked_in_at is not None:
            return registration
        if registration.status != RS.CONFIRMED:
            registration.status = RS.CONFIRMED
            registration.is_walk_in = True
            registration.confirmed_at = registration.confirmed_at or timezone.now()
            fields += ["status", "is_walk_in", "confirmed_at"]
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
    else:
        if registration.checked_in_at is None:
            return registration
        registration.checked_in_at = None
        registration.checked_in_by = None
    registration.save(update_fields=fields)
    _audit(
        association,
        actor,
        "check_in" if present else "check_in_undo",
        event,
        registration=registration.pk,
    )
    return registration


@transaction.atomic
def walk_in_check_in(
    *, association: Association, actor: User, event: Event, person: Person
) -> Registration:
    """Check in someone of the register who had not registered (a member who came
    without a computer, say). They come in addition to the seats."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_EVENTS)
    ensure_same_association(association, event, person)
    event = _locked(event)
    _check_in_allowed(event)
    existing = _existing(
        event,
        user=person.user if person.user_id else None,
        email=person.email.lower(),
        person=person,
    )
    if existing is not None:
        return registration_check_in(
            association=association, actor=actor, registration=existing, present=True
        )
    now = timezone.now()
    registration = Registration(
        association=association,
        event=event,
        person=person,
        user=person.user if person.user_id else None,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email.strip().lower(),
        status=RS.CONFIRMED,
        is_walk_in=True,
        confirmed_at=now,
        checked_in_at=now,
        checked_in_by=actor,
    )
    _save_new(registration)
    _audit(association, actor, "walk_in", event, registration=registration.pk, person=person.pk)
    return registration


# --- the calendar feed address ----------------------------------------------------------------


def feed_token_renew(*, user: User) -> CalendarFeedToken:
    """A new secret address for the user's "my events" feed; the old one stops."""
    from .models import _token

    feed, created = CalendarFeedToken.objects.get_or_create(user=user)
    if not created:
        feed.token = _token()
        feed.save(update_fields=["token", "created_at"])
    return feed
