"""Paying online: the member's renewal (redirect to HelloAsso), the return from it,
and HelloAsso's notifications (a hint to read the order again, in the background)."""

import contextlib
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal
from maillon.members.self_service.forms import RenewOnlineForm

from ..helloasso.client import HelloAssoError
from ..membership import membership_renew_online
from ..models import IntentStatus
from ..selectors import account_for_token, my_checkout_intent_get
from . import tasks
from .services import checkout_confirm


@association_required()
@require_POST
def renew(request, association_slug):
    form = RenewOnlineForm(request.POST, association=request.association)
    if not form.is_valid():
        messages.error(request, _("Choose a fee to pay."))
        return redirect("my:membership", association_slug=association_slug)
    try:
        intent = membership_renew_online(
            association=request.association,
            actor=request.user,
            person=request.person,
            fee_type=form.cleaned_data["fee_type"],
            amount=form.cleaned_data["amount"],
        )
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("my:membership", association_slug=association_slug)
    return redirect(intent.redirect_url)


@association_required()
@require_safe
def checkout_return(request, association_slug, intent_id):
    intent = my_checkout_intent_get(
        association=request.association, user=request.user, intent_id=intent_id
    )
    with contextlib.suppress(HelloAssoError):  # the notification will record it
        intent = checkout_confirm(association=request.association, intent=intent)
    if intent.status == IntentStatus.PAID:
        messages.success(request, _("Thank you: your payment has been recorded."))
    else:
        messages.info(
            request,
            _("Your payment is not confirmed yet. It will appear here once HelloAsso confirms it."),
        )
    return redirect("my:membership", association_slug=association_slug)


@csrf_exempt
@require_POST
def notification(request, token):
    """HelloAsso's notification URL. Its content is not trusted: it only names the
    order to read again from the API."""
    account = account_for_token(token=token)
    if account is None:
        raise Http404
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponseBadRequest()
    order_id = _order_id(body)
    if order_id:
        tasks.sync_order.enqueue(association_id=account.association_id, order_id=order_id)
    return HttpResponse(status=200)


def _order_id(body) -> str:
    if not isinstance(body, dict):
        return ""
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    event = body.get("eventType")
    if event == "Order":
        value = data.get("id")
    elif event == "Payment":
        order = data.get("order") if isinstance(data.get("order"), dict) else {}
        value = order.get("id")
    else:
        value = None
    return str(value) if isinstance(value, int | str) and str(value).isdigit() else ""
