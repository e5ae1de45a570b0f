"""What an association's register (and the modules' guest records) hold under a
user's verified email addresses, offered once to be linked to the account.

Only VERIFIED addresses count: an address typed at sign-up gives nothing until its
owner has opened the confirmation link."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models.functions import Lower
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association

from ..models import Person, RecordLinkDeclined
from .registry import describe_all, registered_sources


@dataclass
class LinkOffer:
    """The records of one association under the user's verified address: people of
    the register (usually one; a shared family address may give several, the user
    then says which one they are) and guest records of other modules."""

    association: Association
    email: str = ""
    people: list[Person] = field(default_factory=list)
    guest_counts: dict[str, int] = field(default_factory=dict)

    @property
    def guest_records(self) -> list[str]:
        return describe_all(self.guest_counts)


def my_verified_emails(*, user: User) -> set[str]:
    return {
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def my_link_offers(*, user: User, association: Association | None = None) -> list[LinkOffer]:
    """Offers not answered yet (every association, or ``association`` only): a record
    already linked to an account is never offered, nor one of an association where
    the user already has a record, nor anything once the user declined."""
    if not user.is_authenticated:
        return []
    emails = my_verified_emails(user=user)
    if not emails:
        return []
    with scopes_disabled():
        declined = set(
            RecordLinkDeclined.objects.filter(user=user).values_list("association_id", flat=True)
        )
        linked = set(Person.objects.filter(user=user).values_list("association_id", flat=True))
        people = (
            Person.objects.annotate(email_ci=Lower("email"))
            .filter(
                email_ci__in=emails,
                user__isnull=True,
                anonymised_at__isnull=True,
                left_on__isnull=True,
            )
            .exclude(association_id__in=declined | linked)
            .select_related("association")
            .order_by("association_id", "last_name", "first_name", "id")
        )
        offers: dict[int, LinkOffer] = {}
        for person in people:
            offer = offers.setdefault(
                person.association_id, LinkOffer(person.association, email=person.email_ci)
            )
            offer.people.append(person)
        guest: dict[int, dict[str, int]] = {}
        for source in registered_sources():
            for association_id, number in source.count(emails).items():
                if number and association_id not in declined:
                    guest.setdefault(association_id, {})[source.name] = number
        missing = set(guest) - set(offers)
        for other in Association.objects.filter(pk__in=missing):
            offers[other.pk] = LinkOffer(other)
        for association_id, counts in guest.items():
            offers[association_id].guest_counts = counts
    found = sorted(offers.values(), key=lambda o: (o.association.name, o.association.pk))
    if association is not None:
        found = [o for o in found if o.association.pk == association.pk]
    return found
