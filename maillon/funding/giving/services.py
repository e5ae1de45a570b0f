"""Giving online: a checkout intent at HelloAsso for a gift, and the signed link of the
page the donor comes back to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.payments.checkout.services import checkout_start

from ..models import Campaign

PURPOSE = "donation"
SALT = "funding.give"
LINK_DAYS = 30


def intent_token(intent: Any) -> str:
    return signing.dumps({"a": intent.association_id, "i": intent.pk}, salt=SALT)


def intent_id_for_token(token: str, *, association: Association) -> int | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != association.pk:
        return None
    return value.get("i")


def gift_checkout_start(
    *,
    association: Association,
    campaign: Campaign | None,
    amount: Decimal,
    first_name: str,
    last_name: str,
    email: str,
    company: str = "",
) -> Any:
    """A visitor gives (to a campaign, or to the association): the checkout intent of
    purpose "donation", target the campaign id (0 outside campaigns). The caller
    redirects to ``intent.redirect_url``. The gift itself is recorded once HelloAsso's
    order is read back (``funding.payments.on_donation_paid``)."""
    payer = {"firstName": first_name, "lastName": last_name, "email": email}
    if company:
        payer["companyName"] = company
    if campaign is not None:
        item = _("Gift to %(association)s — %(campaign)s") % {
            "association": association.name,
            "campaign": campaign.title,
        }
    else:
        item = _("Gift to %(association)s") % {"association": association.name}

    def back(intent: Any) -> str:
        return settings.SITE_URL + reverse(
            "funding_public:give_thanks",
            kwargs={"slug": association.slug, "token": intent_token(intent)},
        )

    with scope(association=association):  # a public page: no scope of its own
        return checkout_start(
            association=association,
            actor=None,
            purpose=PURPOSE,
            target_id=campaign.pk if campaign is not None else 0,
            amount_cents=int((amount * 100).to_integral_value()),
            item_name=item,
            details={"company": company} if company else {},
            payer=payer,
            return_url=back,
        )
