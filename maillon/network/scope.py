"""The network back-office's scope: ``/n/<network_slug>/...``, the second scope axis
beside ``/a/<association_slug>/...`` and fail-closed like it.

``network_required`` resolves the slug before the view runs. An unknown or inactive
network, and a signed-in user who is not on the network's team, get 404 (an outsider
cannot learn what a network's back-office holds); an anonymous visitor is sent to the
login page; a team member whose role is not among ``roles`` gets 403. Every view of
``/n/`` carries it (``network/tests/test_isolation.py`` walks the resolver and fails
on a view without ``network_scoped``)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .networks.selectors import my_network_role, network_by_slug

NETWORK_URL_KWARG = "network_slug"


def network_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            network = network_by_slug(kwargs.pop(NETWORK_URL_KWARG, ""))
            if network is None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = my_network_role(network=network, user=request.user)
            if role is None:
                raise Http404
            if roles and role not in roles:
                raise PermissionDenied
            request.network = network
            request.network_role = role
            return view(request, *args, **kwargs)

        wrapper.network_scoped = True
        wrapper.network_roles = roles
        return wrapper

    return decorator
