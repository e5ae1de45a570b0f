"""Reads of the reconciliation page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from maillon.associations.models import Association
from maillon.members.models import Person

from ..models import ImportedOrder, ImportStatus

MAX_CANDIDATES = 8


def orders_to_reconcile(*, association: Association):
    return ImportedOrder.objects.filter(
        association=association, status__in=[ImportStatus.UNMATCHED, ImportStatus.ERROR]
    ).order_by("status", "-order_date", "-id")


def imported_order_get(*, association: Association, order_id: Any) -> ImportedOrder:
    order = ImportedOrder.objects.filter(association=association, pk=order_id).first()
    if order is None:
        raise Http404
    return order


def candidates_by_order(
    *, association: Association, orders: list[ImportedOrder]
) -> dict[int, list[Person]]:
    """People each payer may be (same last name or same email), in one query."""
    names = {o.payer_last_name.lower() for o in orders if o.payer_last_name}
    emails = {o.payer_email.lower() for o in orders if o.payer_email}
    match = Q(pk__in=[])
    for name in names:
        match |= Q(last_name__iexact=name)
    for email in emails:
        match |= Q(email__iexact=email)
    people = list(
        Person.objects.filter(match, association=association, anonymised_at__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )[:2000]
    )
    found: dict[int, list[Person]] = {}
    for order in orders:
        name, email = order.payer_last_name.lower(), order.payer_email.lower()
        found[order.pk] = [
            p
            for p in people
            if (name and p.last_name.lower() == name) or (email and p.email.lower() == email)
        ][:MAX_CANDIDATES]
    return found
