"""Tenancy: every back-office request runs inside the scope of one association.

``/a/<association_slug>/...`` URLs are resolved here, before the view runs: the
association must exist and the signed-in user must hold at least one role in it,
otherwise the answer is 404 (an outsider cannot learn that an association's
back-office or any of its objects exist). The view then runs inside
``django_scopes.scope(association=...)``; every other request runs with no scope, so
a forgotten filter on a tenant-owned model raises instead of leaking.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope

TENANT_URL_KWARG = "association_slug"


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(TENANT_URL_KWARG)
        if slug is None:
            return self.get_response(request)

        from maillon.accounts.selectors import user_has_totp
        from maillon.associations.selectors import association_by_slug
        from maillon.members.selectors import membership_context

        association = association_by_slug(slug)
        if association is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = membership_context(association=association, user=request.user)
        if context is None:
            raise Http404
        request.association = association
        request.person = context.person
        request.roles = context.roles
        request.permissions = context.permissions
        if (
            association.require_2fa_for_bureau
            and context.is_bureau
            and not user_has_totp(request.user)
        ):
            messages.warning(
                request,
                _(
                    "%(association)s requires two-factor authentication for its bureau. "
                    "Please activate it to continue."
                )
                % {"association": association.name},
            )
            return redirect("mfa_activate_totp")
        with scope(association=association):
            return self.get_response(request)


def association_required(permission: str | None = None, *, module: str | None = None):
    """Decorator for back-office views: checks the role-based permission (the
    middleware has already checked that the user belongs to the association) and,
    for a feature module, that the association has switched it on."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            association = getattr(request, "association", None)
            if association is None:
                raise Http404
            if module is not None and not association.has_module(module):
                if "association.manage" in request.permissions:
                    messages.info(
                        request,
                        _("Switch this module on for your association to use it."),
                    )
                    return redirect("backoffice:modules", association_slug=association.slug)
                raise Http404
            if permission is not None and permission not in request.permissions:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        wrapper.required_module = module
        return wrapper

    return decorator


class ObjectOutsideAssociation(Http404):
    """An object of another association was handed to a service."""


def ensure_same_association(association, *objects) -> None:
    """Services are called from views, the API, tasks and commands: they never act
    across associations, whatever the caller passed. Answered as "not found"."""
    for obj in objects:
        if obj is not None and obj.association_id != association.pk:
            raise ObjectOutsideAssociation
