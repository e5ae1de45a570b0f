"""The handshake and the consent: the association's pages (``/a/<slug>/networks/``)
and the network's (``/n/<slug>/members/...``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.associations.selectors import public_association_get
from maillon.core.tenancy import association_required
from maillon.core.views import flash_refusal, run_service
from maillon.members.permissions import Perm

from ..models import MembershipStatus, NetworkRoleKind
from ..networks.selectors import networks_open_to_requests
from ..scope import network_required
from . import services
from .forms import AnswerForm, ConsentForm, InviteForm, JoinRequestForm
from .selectors import (
    association_membership_get,
    association_memberships,
    invitable_associations_across_associations,
    memberships_across_associations,
    network_membership_get_across_associations,
)

# --- the association's side ------------------------------------------------------------


def _back(request):
    return redirect("association_networks:list", association_slug=request.association.slug)


@association_required(Perm.VIEW_BACKOFFICE)
def association_networks(request, association_slug: str):
    memberships = association_memberships(association=request.association)
    linked = [m.network_id for m in memberships]
    form = JoinRequestForm(networks=networks_open_to_requests().exclude(pk__in=linked))
    return render(
        request,
        "network/association_networks.html",
        {
            "memberships": memberships,
            "form": form,
            "can_manage": Perm.MANAGE_ASSOCIATION in request.permissions,
        },
    )


@require_POST
@association_required(Perm.MANAGE_ASSOCIATION)
def association_join_request(request, association_slug: str):
    form = JoinRequestForm(request.POST, networks=networks_open_to_requests())
    if form.is_valid():
        run_service(
            request,
            services.membership_request,
            success=_("Your request has been sent to the network."),
            network=form.cleaned_data["network"],
            message=form.cleaned_data["message"],
        )
    else:
        messages.error(request, _("Choose a network."))
    return _back(request)


@require_POST
@association_required(Perm.MANAGE_ASSOCIATION)
def association_answer(request, association_slug: str, membership_id: int):
    membership = association_membership_get(
        association=request.association, membership_id=membership_id
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        outcome = run_service(
            request,
            services.membership_answer_invitation,
            success=_("You joined the network.") if accept else _("Invitation declined."),
            membership=membership,
            accept=accept,
        )
        if outcome.ok and accept:
            return redirect(
                "association_networks:consent",
                association_slug=request.association.slug,
                membership_id=membership.pk,
            )
    return _back(request)


@association_required(Perm.MANAGE_ASSOCIATION)
def association_consent(request, association_slug: str, membership_id: int):
    membership = association_membership_get(
        association=request.association, membership_id=membership_id
    )
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            outcome = run_service(
                request,
                services.membership_consent_set,
                success=_("Your choices are saved; they apply at once."),
                membership=membership,
                families=form.cleaned_data["families"],
            )
            if outcome.ok:
                return _back(request)
    else:
        form = ConsentForm(initial={"families": membership.shared_families})
    return render(
        request, "network/association_consent.html", {"membership": membership, "form": form}
    )


@require_POST
@association_required(Perm.MANAGE_ASSOCIATION)
def association_leave(request, association_slug: str, membership_id: int):
    membership = association_membership_get(
        association=request.association, membership_id=membership_id
    )
    run_service(
        request,
        services.membership_leave,
        success=_("Done: the network no longer sees your data."),
        membership=membership,
    )
    return _back(request)


# --- the network's side ----------------------------------------------------------------


def _network_service(request, service, *, success: str, **kwargs) -> bool:
    try:
        service(network=request.network, actor=request.user, **kwargs)
    except ValidationError as error:
        flash_refusal(request, error)
        return False
    messages.success(request, success)
    return True


@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def network_invitations(request):
    """Pending invitations and requests, and the directory to invite from."""
    search = request.GET.get("q", "").strip()[:100]
    pending = memberships_across_associations(
        network=request.network, statuses=(MembershipStatus.INVITED, MembershipStatus.REQUESTED)
    )
    return render(
        request,
        "network/invitations.html",
        {
            "network": request.network,
            "pending": list(pending),
            "search": search,
            "candidates": invitable_associations_across_associations(
                network=request.network, search=search
            )
            if search
            else [],
        },
    )


@require_POST
@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def network_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        association = public_association_get(form.cleaned_data["association"])
        _network_service(
            request,
            services.membership_invite,
            success=_("Invitation sent to %(association)s.") % {"association": association.name},
            association=association,
            message=form.cleaned_data["message"],
        )
    return redirect("network:invitations", network_slug=request.network.slug)


@require_POST
@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def network_answer(request, membership_id: int):
    membership = network_membership_get_across_associations(
        network=request.network, membership_id=membership_id, statuses=(MembershipStatus.REQUESTED,)
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        _network_service(
            request,
            services.membership_answer_request,
            success=_("Request accepted.") if accept else _("Request declined."),
            membership=membership,
            accept=accept,
        )
    return redirect("network:invitations", network_slug=request.network.slug)


@require_POST
@network_required(NetworkRoleKind.HEAD)
def network_remove(request, membership_id: int):
    membership = network_membership_get_across_associations(
        network=request.network, membership_id=membership_id
    )
    _network_service(request, services.membership_remove, success=_("Done."), membership=membership)
    return redirect("network:members", network_slug=request.network.slug)
