"""Reads of campaigns, and their public pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django_scopes import scope

from maillon.associations.models import Association, Module

from ..models import Campaign, DonationStatus

RECORDED = Q(donations__status=DonationStatus.RECORDED)


def campaign_list(*, association: Association) -> QuerySet[Campaign]:
    return Campaign.objects.filter(association=association).annotate(
        raised=Sum("donations__amount", filter=RECORDED),
        gifts=Count("donations", filter=RECORDED),
    )


def campaign_get(*, association: Association, campaign_id: Any) -> Campaign:
    campaign = campaign_list(association=association).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def progress_percent(campaign: Campaign) -> int:
    raised = getattr(campaign, "raised", None) or Decimal("0")
    if not campaign.goal:
        return 0
    return min(100, int(100 * raised / campaign.goal))


def public_campaign(*, association_slug: str, campaign_slug: str) -> tuple[Association, Campaign]:
    """A published campaign of an association that keeps the funding module on, read
    inside that association's scope (a public page), or 404."""
    association = Association.objects.filter(slug=association_slug).first()
    if association is None or not association.has_module(Module.FUNDING):
        raise Http404
    with scope(association=association):
        campaign = (
            campaign_list(association=association)
            .filter(slug=campaign_slug, is_public=True)
            .first()
        )
    if campaign is None:
        raise Http404
    return association, campaign
