"""Everything the platform holds about one user, as plain data (RGPD access and
portability). ``my_data_export`` reads across every association where the person
appears, for the person themself: the one place it disables scopes; the sections
below run inside it."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.events.models import Registration
from maillon.members.models import JoinRequest, Person
from maillon.volunteering.models import Application, VolunteerHours
from maillon.volunteering.profiles.selectors import my_volunteer_profile_export

from .models import User

#: The audit log keeps every action; the export shows the latest ones.
AUDIT_ACTIONS_SHOWN = 5000


def my_data_export(*, user: User) -> dict[str, Any]:
    with scopes_disabled():
        return {
            **_mobilisation(user),
            "account": _account(user),
            "memberships": _memberships(user),
            "join_requests": _join_requests(user),
            "actions_in_audit_log": _audit_actions(user),
        }


def _date(value):
    return value.isoformat() if value else None


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in user.api_tokens.all()
        ],
    }


def _memberships(user: User) -> list[dict[str, Any]]:
    people = (
        Person.objects.filter(user=user)
        .select_related("association")
        .prefetch_related("role_assignments", "membership_periods")
    )
    return [
        {
            "association": p.association.name,
            "association_slug": p.association.slug,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": p.email,
            "phone": p.phone,
            "address": p.address,
            "postal_code": p.postal_code,
            "city": p.city,
            "birth_date": _date(p.birth_date),
            "joined_on": _date(p.joined_on),
            "left_on": _date(p.left_on),
            "notes": p.notes,
            "consent_newsletter": p.consent_newsletter,
            "consent_directory": p.consent_directory,
            "roles": sorted(ra.role for ra in p.role_assignments.all()),
            "membership_periods": [
                {
                    "start": _date(mp.start),
                    "end": _date(mp.end),
                    "fee_paid": mp.fee_paid,
                    "amount": str(mp.amount),
                    "method": mp.method,
                    "paid_on": _date(mp.paid_on),
                }
                for mp in p.membership_periods.all()
            ],
        }
        for p in people
    ]


def _join_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "association": jr.association.name,
            "first_name": jr.first_name,
            "last_name": jr.last_name,
            "email": jr.email,
            "message": jr.message,
            "status": jr.status,
            "created_at": jr.created_at.isoformat(),
        }
        for jr in JoinRequest.objects.filter(user=user).select_related("association")
    ]


def _audit_actions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "date": e.created_at.isoformat(),
            "association": e.association.name if e.association is not None else None,
            "action": e.action,
            "object": e.object_repr,
        }
        for e in AuditEntry.objects.filter(actor=user).select_related("association")[
            :AUDIT_ACTIONS_SHOWN
        ]
    ]


def _mobilisation(user: User) -> dict[str, Any]:
    """Volunteer profile, applications with their thread, volunteer hours, event
    registrations."""
    applications = [
        {
            "association": a.association.name,
            "mission": a.mission.title,
            "first_name": a.first_name,
            "last_name": a.last_name,
            "email": a.email,
            "phone": a.phone,
            "message": a.message,
            "status": a.status,
            "came_from": a.source,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "thread": [
                {
                    "date": m.created_at.isoformat(),
                    "from_association": m.from_association,
                    "message": m.body,
                }
                for m in a.messages.all()
            ],
        }
        for a in Application.objects.filter(user=user)
        .select_related("association", "mission")
        .prefetch_related("messages")
    ]
    hours = [
        {
            "association": h.association.name,
            "date": _date(h.date),
            "hours": str(h.hours),
            "activity": h.activity,
            "mission": h.mission.title if h.mission is not None else None,
            "description": h.description,
            "status": h.status,
        }
        for h in VolunteerHours.objects.filter(person__user=user).select_related(
            "association", "mission"
        )
    ]
    registrations = [
        {
            "association": r.event.association.name,
            "event": r.event.title,
            "starts_at": r.event.starts_at.isoformat(),
            "status": r.status,
            "checked_in": r.checked_in_at is not None,
        }
        for r in Registration.objects.filter(user=user).select_related("event__association")
    ]
    return {
        "volunteer_profile": my_volunteer_profile_export(user=user),
        "volunteer_applications": applications,
        "volunteer_hours": hours,
        "event_registrations": registrations,
    }
