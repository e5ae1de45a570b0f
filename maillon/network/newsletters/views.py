"""The network's newsletter to the boards of its member associations
(``/n/<slug>/newsletters/``, head and coordinator only) and its public unsubscribe
link (``/networks/newsletter/unsubscribe/<token>/``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.communication.models import NewsletterStatus
from maillon.core.views import flash_refusal

from ..models import NetworkRoleKind
from ..scope import network_required
from . import selectors, services
from .forms import NetworkNewsletterForm

EDITORS = (NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
ONE_CLICK_VALUE = "One-Click"


@require_http_methods(["GET", "POST"])
@network_required(*EDITORS)
def newsletter_list(request):
    form = NetworkNewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        newsletter = services.network_newsletter_create(
            network=request.network, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Draft saved. Check it, then send it."))
        return redirect(
            "network:newsletter", network_slug=request.network.slug, newsletter_id=newsletter.pk
        )
    return render(
        request,
        "network/newsletters/list.html",
        {
            "network": request.network,
            "newsletters": list(selectors.network_newsletters(network=request.network)),
            "form": form,
        },
    )


def _detail_context(request, newsletter) -> dict:
    return {
        "network": request.network,
        "newsletter": newsletter,
        "is_sending": newsletter.status == NewsletterStatus.SENDING,
    }


@require_safe
@network_required(*EDITORS)
def newsletter_detail(request, newsletter_id: int):
    newsletter = selectors.network_newsletter_get(
        network=request.network, newsletter_id=newsletter_id
    )
    context = _detail_context(request, newsletter)
    if newsletter.status == NewsletterStatus.DRAFT:
        context["recipient_count"] = len(
            selectors.board_recipients_across_associations(network=request.network)
        )
    return render(request, "network/newsletters/detail.html", context)


@require_safe
@network_required(*EDITORS)
def newsletter_progress(request, newsletter_id: int):
    newsletter = selectors.network_newsletter_get(
        network=request.network, newsletter_id=newsletter_id
    )
    return render(
        request, "network/newsletters/partials/progress.html", _detail_context(request, newsletter)
    )


@require_POST
@network_required(*EDITORS)
def newsletter_send(request, newsletter_id: int):
    newsletter = selectors.network_newsletter_get(
        network=request.network, newsletter_id=newsletter_id
    )
    try:
        services.network_newsletter_send(
            network=request.network, actor=request.user, newsletter=newsletter
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Sending has started."))
    return redirect(
        "network:newsletter", network_slug=request.network.slug, newsletter_id=newsletter.pk
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Personal unsubscribe link of one network letter: GET shows the button, a POST
    unsubscribes (the button or the mail provider's one-click). The token alone names
    the recipient, so no CSRF token is needed."""
    delivery = selectors.network_delivery_for_token(token)
    if delivery is None:
        raise Http404
    is_one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK_VALUE
    if request.method == "POST":
        services.network_newsletter_unsubscribe(
            delivery=delivery, source="one_click" if is_one_click else "link"
        )
        if is_one_click:
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
    return render(
        request,
        "network/newsletters/unsubscribe.html",
        {"network": delivery.newsletter.network, "done": request.method == "POST"},
    )
