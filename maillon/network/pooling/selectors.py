"""Reads of pooled resources and bookings.

A resource and its bookings are in the owner's scope. The catalogue (resources other
associations may borrow) and the borrower's view of its bookings cross associations:
they are the functions named ``*_across_associations`` below, each filtered by the
viewing association, and the access helpers answer 404 for anything else."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association

from ..models import MembershipStatus, NetworkMembership, NetworkStatus
from .models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    BookingWaitlistEntry,
    BorrowerAudience,
    ResourceBlackout,
    ResourcePhoto,
    SharedResource,
)

# --- the owner's side -----------------------------------------------------------------


def own_resources(*, association: Association) -> QuerySet[SharedResource]:
    with scope(association=association):
        return SharedResource.objects.filter(association=association).select_related("department")


def own_resource_get(*, association: Association, resource_id: int) -> SharedResource:
    with scope(association=association):
        resource = (
            SharedResource.objects.filter(association=association, pk=resource_id)
            .select_related("department", "association")
            .first()
        )
    if resource is None:
        raise Http404
    return resource


def owner_bookings(*, association: Association) -> list[Booking]:
    with scope(association=association):
        return list(
            Booking.objects.filter(association=association)
            .select_related("resource", "borrower")
            .order_by("-starts_at", "-id")[:200]
        )


def resource_bookings(*, resource: SharedResource) -> list[Booking]:
    with scope(association=resource.association_id):
        return list(
            Booking.objects.filter(resource=resource, status__in=HOLDING_STATUSES)
            .select_related("borrower")
            .order_by("starts_at")
        )


def resource_calendar_bookings(*, resource: SharedResource) -> list[Booking]:
    """Every booking of the resource still useful in a calendar (not declined)."""
    with scope(association=resource.association_id):
        return list(
            Booking.objects.filter(resource=resource)
            .exclude(status=BookingStatus.DECLINED)
            .select_related("borrower", "resource", "association")
            .order_by("starts_at")
        )


def resource_blackouts(*, resource: SharedResource) -> list[ResourceBlackout]:
    with scope(association=resource.association_id):
        return list(ResourceBlackout.objects.filter(resource=resource))


def resource_photos(*, resource: SharedResource) -> list[ResourcePhoto]:
    with scope(association=resource.association_id):
        return list(ResourcePhoto.objects.filter(resource=resource))


def resource_waitlist(*, resource: SharedResource) -> list[BookingWaitlistEntry]:
    with scope(association=resource.association_id):
        return list(
            BookingWaitlistEntry.objects.filter(resource=resource, status="waiting")
            .select_related("borrower")
            .order_by("created_at")
        )


# --- across associations: the catalogue ---------------------------------------------------


def network_partner_ids_across_associations(*, association: Association) -> set[int]:
    """Associations sharing at least one active network with ``association``."""
    with scopes_disabled():
        network_ids = NetworkMembership.objects.filter(
            association=association,
            status=MembershipStatus.ACTIVE,
            network__status=NetworkStatus.ACTIVE,
        ).values("network_id")
        return set(
            NetworkMembership.objects.filter(
                network_id__in=network_ids, status=MembershipStatus.ACTIVE
            )
            .exclude(association=association)
            .values_list("association_id", flat=True)
        )


def _visible_filter(viewer: Association) -> Q:
    partners = network_partner_ids_across_associations(association=viewer)
    return Q(is_published=True) & (
        Q(audience__in=[BorrowerAudience.ASSOCIATIONS, BorrowerAudience.PUBLIC])
        | Q(audience=BorrowerAudience.NETWORKS, association_id__in=partners)
    )


@dataclass(frozen=True)
class CatalogueSearch:
    kind: str = ""
    department_id: int | None = None
    network_id: int | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None


def catalogue_across_associations(
    *, viewer: Association, search: CatalogueSearch | None = None
) -> QuerySet[SharedResource]:
    """Resources of OTHER associations that ``viewer`` may borrow, filtered by kind,
    department, network and (when both dates are given) free for the period: fewer
    units held than the quantity and no unavailable dates."""
    search = search or CatalogueSearch()
    with scopes_disabled():
        resources = (
            SharedResource.objects.filter(_visible_filter(viewer))
            .exclude(association=viewer)
            .select_related("association", "department")
        )
        if search.kind:
            resources = resources.filter(kind=search.kind)
        if search.department_id:
            resources = resources.filter(department_id=search.department_id)
        if search.network_id:
            members = NetworkMembership.objects.filter(
                network_id=search.network_id, status=MembershipStatus.ACTIVE
            ).values("association_id")
            resources = resources.filter(association_id__in=members)
        if search.starts_at and search.ends_at:
            held = (
                Booking.objects.filter(
                    resource=OuterRef("pk"),
                    status__in=HOLDING_STATUSES,
                    starts_at__lt=search.ends_at,
                    blocks_until__gt=search.starts_at,
                )
                .order_by()
                .values("resource")
                .annotate(units=Count("unit_number", distinct=True))
                .values("units")
            )
            blackout = ResourceBlackout.objects.filter(
                resource=OuterRef("pk"),
                starts_on__lte=search.ends_at.date(),
                ends_on__gte=search.starts_at.date(),
            )
            resources = (
                resources.annotate(units_held=Coalesce(Subquery(held[:1]), 0))
                .filter(units_held__lt=F("quantity"))
                .exclude(Exists(blackout))
            )
        return resources.order_by("name", "id")


def visible_resource_get_across_associations(
    *, viewer: Association, resource_id: int
) -> SharedResource:
    """A resource ``viewer`` may borrow, or its own; 404 otherwise."""
    with scopes_disabled():
        resource = (
            SharedResource.objects.filter(pk=resource_id)
            .filter(Q(association=viewer) | _visible_filter(viewer))
            .select_related("association", "department")
            .first()
        )
    if resource is None:
        raise Http404
    return resource


def may_borrow(*, viewer: Association, resource: SharedResource) -> bool:
    if resource.association_id == viewer.pk or not resource.is_published:
        return False
    if resource.audience in (BorrowerAudience.ASSOCIATIONS, BorrowerAudience.PUBLIC):
        return True
    return resource.association_id in network_partner_ids_across_associations(association=viewer)


# --- across associations: a booking seen by its two parties --------------------------------


def borrowed_bookings_across_associations(*, borrower: Association) -> list[Booking]:
    with scopes_disabled():
        return list(
            Booking.objects.filter(borrower=borrower)
            .select_related("resource", "association")
            .order_by("-starts_at", "-id")[:200]
        )


def booking_for_party_across_associations(*, association: Association, booking_id: int) -> Booking:
    """A booking whose owner or borrower is ``association``; 404 for anyone else."""
    with scopes_disabled():
        booking = (
            Booking.objects.filter(pk=booking_id)
            .filter(Q(association=association) | Q(borrower=association))
            .select_related("resource", "association", "borrower", "resource__department")
            .first()
        )
    if booking is None:
        raise Http404
    return booking


def waitlist_of_borrower_across_associations(
    *, borrower: Association
) -> list[BookingWaitlistEntry]:
    with scopes_disabled():
        return list(
            BookingWaitlistEntry.objects.filter(borrower=borrower, status="waiting")
            .select_related("resource", "association")
            .order_by("starts_at")
        )


# --- value in kind, for the valuation page (both sides) -------------------------------------


def loans_in_kind_across_associations(*, association: Association, year: int) -> dict:
    """Free loans closed in ``year`` valued in kind: what ``association`` lent and
    what it borrowed (count and total value)."""
    with scopes_disabled():
        closed = Booking.objects.filter(
            status=BookingStatus.CLOSED, value_in_kind__gt=0, starts_at__year=year
        )
        lent = closed.filter(association=association).aggregate(
            n=Count("id"), total=Sum("value_in_kind")
        )
        borrowed = closed.filter(borrower=association).aggregate(
            n=Count("id"), total=Sum("value_in_kind")
        )
    return {
        "lent_count": lent["n"] or 0,
        "lent_value": lent["total"] or 0,
        "borrowed_count": borrowed["n"] or 0,
        "borrowed_value": borrowed["total"] or 0,
    }
