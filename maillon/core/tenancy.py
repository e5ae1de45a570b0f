"""Tenancy rules every module applies, whatever resolved the association.

``maillon.members.tenancy.TenantMiddleware`` resolves ``/a/<association_slug>/...``
before the view runs (404 for an unknown slug or an outsider) and runs the view inside
``django_scopes.scope(association=...)``. Here: the view decorator that checks the
permission and the module, and the guard services use on every object they receive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_scopes import ScopeError, get_scope, scope

TENANT_URL_KWARG = "association_slug"

P = ParamSpec("P")
R = TypeVar("R")


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


def in_association_scope(service: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a service called from pages, the API, tasks, commands and tests
    alike: its body runs inside the scope of its ``association=`` keyword, as in a
    request, so its queries need no ``scopes_disabled()``."""

    @wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with scope(association=kwargs["association"]):
            return service(*args, **kwargs)

    return wrapper


def open_association_scope() -> int | None:
    """The association id the scoped managers filter by now, for SQL built once and
    run in any scope (``maillon.core.db.compiled``): None when they do not filter
    (scopes disabled, or a None scope); ``ScopeError`` when no association scope is
    open, as the managers raise it."""
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    if "association" not in current:
        raise ScopeError("A scope on dimension(s) association needs to be active for this query.")
    value = current["association"]
    if isinstance(value, list | tuple):
        raise ValueError("SQL built once is read in one association's scope")
    return getattr(value, "pk", value)
