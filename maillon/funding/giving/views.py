"""Giving online, for visitors without an account: the form on a campaign's public
page and on the association's /give/<slug>/ page, the redirect to HelloAsso's
checkout, and the page the donor comes back to."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.core import ratelimit
from maillon.core.forms import add_validation_error
from maillon.payments.checkout.services import checkout_confirm
from maillon.payments.helloasso.client import HelloAssoError
from maillon.payments.selectors import checkout_origins

from ..campaigns import selectors as campaign_selectors
from . import selectors
from .forms import GiveForm
from .services import gift_checkout_start


def allow_checkout(response):
    """The give form redirects to HelloAsso's checkout: allow it as a form target."""
    response._csp_update = {"form-action": checkout_origins()}  # type: ignore[attr-defined]
    return response


def campaign_page(request, association, campaign, form=None, *, status=200):
    online = selectors.takes_gifts_online(association)
    if online and form is None:
        form = GiveForm()
    response = render(
        request,
        "funding/public_campaign.html",
        {
            "association": association,
            "campaign": campaign,
            "raised": campaign.raised or 0,
            "percent": campaign_selectors.progress_percent(campaign),
            "give_form": form if online else None,
        },
        status=status,
    )
    return allow_checkout(response) if online else response


def _start(request, association, campaign, form):
    """Checks the form and the rate limit, then starts the checkout: the redirect to
    HelloAsso, or None when the form must be shown again (errors added to it)."""
    if not form.is_valid():
        return None
    # Anyone can type any email: the same limits as the other visitors' forms.
    counted = ratelimit.consume(request, action="donation_checkout", key=form.cleaned_data["email"])
    if isinstance(counted, ratelimit.Refusal):
        form.add_error(None, counted.message)
        form.refusal = counted
        return None
    try:
        intent = gift_checkout_start(
            association=association, campaign=campaign, **form.cleaned_data
        )
    except ValidationError as error:
        counted.rollback()  # nothing was started
        add_validation_error(form, error)
        return None
    return redirect(intent.redirect_url)


def _refused(response, form):
    refusal = getattr(form, "refusal", None)
    return refusal.apply(response) if refusal is not None else response


@require_POST
def give_to_campaign(request, slug, campaign_slug):
    association, campaign = campaign_selectors.public_campaign(
        association_slug=slug, campaign_slug=campaign_slug
    )
    selectors.giving_association(association_slug=slug)  # 404 without HelloAsso
    form = GiveForm(request.POST)
    started = _start(request, association, campaign, form)
    if started is not None:
        return started
    return _refused(campaign_page(request, association, campaign, form), form)


@require_http_methods(["GET", "POST"])
def give(request, slug):
    association = selectors.giving_association(association_slug=slug)
    form = GiveForm(request.POST or None)
    if request.method == "POST":
        started = _start(request, association, None, form)
        if started is not None:
            return started
    response = render(request, "funding/give.html", {"association": association, "form": form})
    return _refused(allow_checkout(response), form)


@require_safe
def give_thanks(request, slug, token):
    """Where HelloAsso sends the donor back: a hint only. The intent is read back from
    HelloAsso; the gift shows once its payment is recorded."""
    association = selectors.giving_association(association_slug=slug)
    intent, gift = selectors.gift_intent(association=association, token=token)
    if gift is None:
        with contextlib.suppress(HelloAssoError):  # the notification will record it
            checkout_confirm(association=association, intent=intent)
        intent, gift = selectors.gift_intent(association=association, token=token)
    campaign = selectors.intent_campaign(association=association, intent=intent)
    return render(
        request,
        "funding/give_thanks.html",
        {"association": association, "gift": gift, "campaign": campaign, "intent": intent},
    )
