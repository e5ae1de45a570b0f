"""Linking what an association holds under a user's verified email address to their
account, once the user has said "this is me" (or remembering that they said no)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log

from ..models import Person, RecordLinkDeclined
from .registry import registered_sources
from .selectors import LinkOffer, my_link_offers, my_verified_emails


class NoLinkOffer(ValidationError):
    """Nothing of this association is offered to this user (answered as "not found")."""


def _offer(user: User, association: Association) -> LinkOffer:
    offers = my_link_offers(user=user, association=association)
    if not offers:
        raise NoLinkOffer(_("There is nothing to link in this association."))
    return offers[0]


@transaction.atomic
def my_records_link(
    *, user: User, association: Association, person_id: int | None = None
) -> Person | None:
    """The user confirmed that the records ``association`` holds under their verified
    address are theirs: the register's record (the one they chose when there are
    several) and the guest records of other modules are linked to the account."""
    offer = _offer(user, association)
    emails = my_verified_emails(user=user)
    person = None
    with scope(association=association):
        if offer.people:
            candidates = {p.pk for p in offer.people}
            if person_id is None and len(candidates) == 1:
                person_id = next(iter(candidates))
            if person_id not in candidates:
                raise ValidationError(_("Choose which person of the register you are."))
            person = Person.objects.select_for_update().get(pk=person_id)
            if person.user_id is not None:
                raise NoLinkOffer(_("This record is already linked to an account."))
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        linked = {
            source.name: source.link(association=association, user=user, emails=emails)
            for source in registered_sources()
        }
        audit_log(
            association=association,
            actor=user,
            action="members.record_linked",
            obj=person,
            data={"email": offer.email, "guest_records": {k: v for k, v in linked.items() if v}},
        )
    return person


@transaction.atomic
def my_records_link_decline(*, user: User, association: Association) -> None:
    """The user said the records are not theirs: the offer is not made again."""
    _offer(user, association)
    with scope(association=association):
        RecordLinkDeclined.objects.get_or_create(association=association, user=user)
        audit_log(association=association, actor=user, action="members.record_link_declined")
