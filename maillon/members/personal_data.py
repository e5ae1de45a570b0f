"""The member register's part of a person's data (see ``accounts.personal_data``):
their record in each association, with roles and fees, and their requests to join."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.accounts.personal_data import Forget, PersonalDataSection
from maillon.core.audit import audit_log

from .models import (
    FeeReminder,
    Invitation,
    JoinRequest,
    MembershipPeriod,
    PayerAlias,
    Person,
    RecordLinkDeclined,
)
from .roles.selectors import my_associations_where_sole_admin

ANONYMISED = "—"


def _date(value):
    return value.isoformat() if value else None


def export_memberships(user: User) -> list[dict[str, Any]]:
    people = (
        Person.objects.filter(user=user)
        .select_related("association")
        .prefetch_related(
            "role_assignments", "membership_periods", "payer_aliases", "fee_reminders"
        )
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
            "payer_emails": sorted(alias.email for alias in p.payer_aliases.all()),
            "fee_reminders": [
                {
                    "period_end": _date(r.period_end),
                    "stage": r.stage,
                    "channel": r.channel,
                    "sent_at": r.created_at.isoformat(),
                }
                for r in p.fee_reminders.all()
            ],
            "fee_reminders_off": p.fee_reminders_off_at is not None,
        }
        for p in people
    ]


def export_join_requests(user: User) -> list[dict[str, Any]]:
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


def export_declined_record_links(user: User) -> list[dict[str, Any]]:
    """Associations whose records under the person's address they said were not theirs
    (``members.linking``); erased with the account."""
    return [
        {"association": d.association.name, "declined_at": d.declined_at.isoformat()}
        for d in RecordLinkDeclined.objects.filter(user=user).select_related("association")
    ]


def export(user: User) -> dict[str, Any]:
    return {
        "memberships": export_memberships(user),
        "join_requests": export_join_requests(user),
        "declined_record_links": export_declined_record_links(user),
    }


def refuse_erasure(user: User) -> str | None:
    """An association must keep someone to manage it."""
    blocking = my_associations_where_sole_admin(user=user)
    if not blocking:
        return None
    return _(
        "You are the only administrator of %(associations)s. Appoint another "
        "administrator first, so that its members keep someone to manage it."
    ) % {"associations": ", ".join(a.name for a in blocking)}


def erase_people(user: User, *, forget: Forget) -> None:
    """Each member record, in every association, is anonymised, not deleted: the
    association may still need the row for legal records such as minutes."""
    now = timezone.now()
    for person in Person.objects.select_for_update().filter(user=user):
        _anonymise(person, today=timezone.localdate(), now=now)
        MembershipPeriod.objects.filter(person=person).update(note="")
        Invitation.objects.filter(person=person).delete()
        PayerAlias.objects.filter(person=person).delete()
        FeeReminder.objects.filter(person=person).delete()
        forget(Person, [person.pk])
        # Written after the anonymisation, so that it does not name the person either.
        audit_log(
            association=person.association,
            actor=None,
            action="members.person_anonymised",
            obj=person,
            data={"reason": "erasure requested by the person"},
        )


def _anonymise(person: Person, *, today, now) -> None:
    for field in ("email", "phone", "address", "postal_code", "city", "notes"):
        setattr(person, field, "")
    person.first_name = ANONYMISED
    person.last_name = ANONYMISED
    person.birth_date = None
    person.consent_newsletter = False
    person.consent_directory = False
    person.user = None
    person.anonymised_at = now
    if person.left_on is None:
        person.left_on = max(today, person.joined_on)
    person.save()


def erase_join_requests(user: User, *, forget: Forget) -> None:
    join_requests = JoinRequest.objects.filter(user=user)
    forget(JoinRequest, list(join_requests.values_list("pk", flat=True)))
    join_requests.delete()


SECTIONS = (
    PersonalDataSection(
        "members", export=export, erase=erase_people, refuse_erasure=refuse_erasure, order=10
    ),
    # After the other modules' sections, as before: a join request names the person.
    PersonalDataSection(
        "members.join_requests", export=lambda user: {}, erase=erase_join_requests, order=90
    ),
)
