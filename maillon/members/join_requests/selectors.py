"""Reads of join requests, and the access helper that answers 404 outside the
association."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from maillon.associations.models import Association

from ..models import JoinRequest


def join_request_list(
    *, association: Association, status: str = "pending"
) -> QuerySet[JoinRequest]:
    qs = JoinRequest.objects.filter(association=association)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("user", "person")


def join_request_get(*, association: Association, join_request_id: Any) -> JoinRequest:
    jr = JoinRequest.objects.filter(association=association, pk=join_request_id).first()
    if jr is None:
        raise Http404
    return jr
