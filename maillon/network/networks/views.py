"""Public network pages, the proposal of a network, and its team, settings and log
in the network back-office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from maillon.core.views import flash_refusal

from ..memberships.selectors import memberships_across_associations
from ..models import NetworkRoleKind
from ..scope import network_required
from . import services
from .forms import NetworkForm, NetworkLogoForm, TeamMemberForm
from .selectors import (
    my_networks,
    network_log_entries,
    network_role_get,
    network_team,
    public_network_get,
    public_networks,
)


@require_safe
def public_list(request):
    return render(request, "network/public_list.html", {"networks": list(public_networks())})


@require_safe
def public_page(request, slug: str):
    network = public_network_get(slug=slug)
    members = [m.association for m in memberships_across_associations(network=network)]
    return render(
        request,
        "network/public_page.html",
        {"network": network, "members": [a for a in members if a.is_listed]},
    )


@login_required
def propose(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.network_propose(actor=request.user, **data)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(
                request,
                _("Thank you: an administrator of this platform will check the network soon."),
            )
            return redirect("networks:mine")
    return render(request, "network/propose.html", {"form": form})


@login_required
@require_safe
def mine(request):
    return render(request, "network/mine.html", {"roles": my_networks(user=request.user)})


@network_required(NetworkRoleKind.HEAD)
def network_settings(request):
    network = request.network
    form = NetworkForm(
        request.POST or None, instance=network, initial={"departments": network.departments.all()}
    )
    logo_form = NetworkLogoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and logo_form.is_valid():
        data = dict(form.cleaned_data)
        if logo_form.cleaned_data.get("logo"):
            data["logo"] = logo_form.cleaned_data["logo"]
        network.refresh_from_db()
        try:
            services.network_update(network=network, actor=request.user, **data)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:settings", network_slug=network.slug)
    return render(
        request, "network/settings.html", {"network": network, "form": form, "logo_form": logo_form}
    )


@network_required()
def team(request):
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if request.network_role != NetworkRoleKind.HEAD:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.network_role_set(
                    network=request.network, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                flash_refusal(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("network:team", network_slug=request.network.slug)
    return render(
        request,
        "network/team.html",
        {
            "network": request.network,
            "team": list(network_team(network=request.network)),
            "form": form,
            "is_head": request.network_role == NetworkRoleKind.HEAD,
        },
    )


@require_POST
@network_required(NetworkRoleKind.HEAD)
def team_remove(request, role_id: int):
    role = network_role_get(network=request.network, role_id=role_id)
    try:
        services.network_role_remove(network=request.network, actor=request.user, role=role)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("network:team", network_slug=request.network.slug)


@require_safe
@network_required(NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)
def log(request):
    entries = network_log_entries(network=request.network)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "network/log.html", {"network": request.network, "page_obj": page})
