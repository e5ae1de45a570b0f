"""Reads of giving online: whether an association takes gifts online, the checkout
intent a donor's signed link names and the gift it recorded."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django_scopes import scope

from maillon.associations.models import Association, Module
from maillon.payments.models import IntentStatus
from maillon.payments.selectors import checkout_intent_get, online_payment_ready

from ..models import Campaign, Donation
from .services import PURPOSE, intent_id_for_token


def takes_gifts_online(association: Association) -> bool:
    if not association.has_module(Module.FUNDING):
        return False
    with scope(association=association):  # also read by public pages
        return online_payment_ready(association)


def giving_association(*, association_slug: str) -> Association:
    """The association of /give/<slug>/: funding on and HelloAsso connected, or 404."""
    association = Association.objects.filter(slug=association_slug).first()
    if association is None or not takes_gifts_online(association):
        raise Http404
    return association


def gift_intent(*, association: Association, token: str) -> tuple[Any, Donation | None]:
    """The checkout intent of a donor's signed link, and its gift once recorded."""
    intent_id = intent_id_for_token(token, association=association)
    with scope(association=association):
        intent = (
            checkout_intent_get(association=association, purpose=PURPOSE, intent_id=intent_id)
            if intent_id
            else None
        )
        if intent is None:
            raise Http404
        gift = None
        if intent.status == IntentStatus.PAID:
            payment = intent.payments.exclude(result_id=None).first()
            if payment is not None and payment.result_id is not None:
                gift = (
                    Donation.objects.filter(association=association, pk=payment.result_id)
                    .select_related("campaign")
                    .first()
                )
    return intent, gift


def intent_campaign(*, association: Association, intent: Any) -> Campaign | None:
    if not intent.target_id:
        return None
    with scope(association=association):
        return Campaign.objects.filter(association=association, pk=intent.target_id).first()
