"""Writes of fundraising campaigns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association, in_association_scope

from ..models import Campaign
from ..permissions import check_funding

if TYPE_CHECKING:
    from maillon.accounts.models import User

CAMPAIGN_FIELDS = ("title", "description", "goal", "starts_on", "ends_on", "is_public")


def _unique_slug(association: Association, title: str) -> str:
    base = slugify(title)[:70] or "campagne"
    slug, n = base, 2
    while Campaign.objects.filter(association=association, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@in_association_scope
@transaction.atomic
def campaign_create(*, association: Association, actor: User, **fields: Any) -> Campaign:
    check_funding(association, actor)
    values = {k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS and v is not None}
    campaign = Campaign(association=association, **values)
    campaign.slug = _unique_slug(association, campaign.title)
    campaign.full_clean(exclude=["association"])
    campaign.save()
    audit_log(
        association=association,
        actor=actor,
        action="funding.campaign_created",
        obj=campaign,
        data={"title": campaign.title, "goal": str(campaign.goal or "")},
    )
    return campaign


@in_association_scope
@transaction.atomic
def campaign_update(
    *, association: Association, actor: User, campaign: Campaign, **fields: Any
) -> Campaign:
    check_funding(association, actor)
    ensure_same_association(association, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    changes = apply_changes(campaign, {k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})
    campaign.full_clean(exclude=["association"])
    campaign.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="funding.campaign_updated",
            obj=campaign,
            data={"changes": changes},
        )
    return campaign
