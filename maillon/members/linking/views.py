"""The page offering to link what associations hold under the user's verified email
address, under ``/me/links/`` (namespace "links")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillon.associations.models import Association
from maillon.associations.selectors import association_by_slug
from maillon.core.views import flash_refusal

from ..your_turn import my_memberships, my_turn
from . import services
from .selectors import my_link_offers


class LinkAnswerForm(forms.Form):
    association = forms.SlugField()
    answer = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
    person = forms.IntegerField(required=False)


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        return next_url
    return ""


def landing_after_link(*, user, association: Association) -> str:
    """Where the newly linked member goes: the assembly in session (or the ballot
    waiting) when there is one, else what waits for them, else the overview."""
    items = my_turn(user=user, association=association)
    for kind in ("assembly", "ballot"):
        for item in items:
            if item.kind == kind:
                return item.url
    if items:
        return items[0].url
    return reverse("backoffice:dashboard", args=[association.slug])


@login_required
@require_http_methods(["GET", "POST"])
def record_links(request):
    next_url = _safe_next(request)
    if request.method == "POST":
        form = LinkAnswerForm(request.POST)
        if not form.is_valid():
            raise Http404
        offers = my_link_offers(user=request.user)
        offer = next(
            (o for o in offers if o.association.slug == form.cleaned_data["association"]), None
        )
        if offer is None:
            # A second click of "yes": the record is already linked, go on.
            association = association_by_slug(form.cleaned_data["association"])
            if association is not None and my_memberships(
                user=request.user, association=association
            ):
                return redirect(
                    next_url or landing_after_link(user=request.user, association=association)
                )
            raise Http404
        association = offer.association
        try:
            if form.cleaned_data["answer"] == "yes":
                services.my_records_link(
                    user=request.user,
                    association=association,
                    person_id=form.cleaned_data["person"],
                )
            else:
                services.my_records_link_decline(user=request.user, association=association)
        except services.NoLinkOffer as error:
            raise Http404 from error
        except ValidationError as error:
            flash_refusal(request, error)
            return redirect(request.get_full_path())
        if form.cleaned_data["answer"] == "no":
            messages.success(
                request,
                _("Noted: %(association)s’s records will not be offered to you again.")
                % {"association": association.name},
            )
            return redirect(next_url or "me:home")
        messages.success(
            request,
            _("Your account is now linked to %(association)s.") % {"association": association.name},
        )
        return redirect(next_url or landing_after_link(user=request.user, association=association))
    offers = my_link_offers(user=request.user)
    if not offers:
        return redirect(next_url or "me:home")
    return render(request, "members/linking/offers.html", {"offers": offers, "next": next_url})
