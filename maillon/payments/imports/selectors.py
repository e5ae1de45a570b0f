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


def candidates_for(*, association: Association, order: ImportedOrder) -> list[Person]:
    """People the payer may be: same last name, or same email."""
    match = Q(pk__in=[])
    if order.payer_last_name:
        match |= Q(last_name__iexact=order.payer_last_name)
    if order.payer_email:
        match |= Q(email__iexact=order.payer_email)
    return list(
        Person.objects.filter(match, association=association, anonymised_at__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )[:MAX_CANDIDATES]
    )
