"""Tenancy for the API: the same rules as ``maillon.core.tenancy`` for the HTML
back-office, with the association taken from the ``slug`` path parameter.

An association that does not exist and one where the caller holds no role look the
same: 404; so does a feature module the association has switched off (as its pages).
Inside their own association, a caller missing the permission gets 403.
The endpoint body runs inside ``django_scopes.scope(association=...)``; every other
API request runs with no scope, so a forgotten filter raises instead of leaking.

Endpoints must return schema instances built inside the body (not querysets or
models): ninja serialises the result after the decorator has closed the scope.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_scopes import scope
from ninja.errors import HttpError

from maillon.accounts.selectors import user_has_totp
from maillon.associations.models import Association, Module
from maillon.members.tenancy import MembershipContext, membership_by_slug_across_associations


def association_for_api(*, user, slug: str) -> tuple[Association, MembershipContext]:
    """Access helper: the association named ``slug`` and the caller's membership in
    it, or 404 when it does not exist or the caller holds no role there."""
    # A slug that cannot exist (a NUL byte, a space...) answers like one that does not,
    # without asking the database.
    if not slug_re.match(slug) or user is None or not user.is_authenticated:
        raise Http404
    # The association and the caller's roles in it, in one query.
    found = membership_by_slug_across_associations(slug=slug, user=user)
    if found is None:
        raise Http404
    return found


def _check_two_factor(*, association: Association, context: MembershipContext, user) -> None:
    """A token must not bypass the association's two-factor rule for its bureau."""
    if association.require_2fa_for_bureau and context.is_bureau and not user_has_totp(user):
        raise PermissionDenied(
            _(
                "%(association)s requires two-factor authentication for its bureau. "
                "Activate it in your personal space to use the API."
            )
            % {"association": association.name}
        )


def module_switched_off(module: str) -> HttpError:
    return HttpError(
        404,
        _("The module “%(module)s” is switched off for this association.")
        % {"module": Module(module).label},
    )


def association_endpoint(permission: str | None = None, *, module: str | None = None):
    """Decorator for API operations with a ``slug`` path parameter (put it under the
    ``@router.<method>`` line), in the order of the pages' middleware and
    ``association_required``: the association and the caller's membership in it (404),
    the bureau's two-factor rule (403), the feature ``module`` switched on (404), then
    ``permission`` (403). Sets ``request.association``, ``request.person``,
    ``request.roles`` and ``request.permissions`` like the back-office middleware, and
    runs the body inside the association's scope."""

    def decorator(func):
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            association, context = association_for_api(user=request.user, slug=kwargs["slug"])
            _check_two_factor(association=association, context=context, user=request.user)
            if module is not None and not association.has_module(module):
                raise module_switched_off(module)
            if permission is not None and permission not in context.permissions:
                raise PermissionDenied
            request.association = association
            request.person = context.person
            request.roles = context.roles
            request.permissions = context.permissions
            with scope(association=association):
                return func(request, *args, **kwargs)

        wrapper.required_permission = permission
        wrapper.required_module = module
        return wrapper

    return decorator
