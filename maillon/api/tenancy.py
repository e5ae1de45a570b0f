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
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope
from ninja.errors import HttpError

from maillon.accounts.models import ApiToken
from maillon.accounts.selectors import note_token_use, user_for_api_token, user_has_totp
from maillon.associations.models import Association, Module
from maillon.members.tenancy import (
    MembershipContext,
    membership_by_slug_across_associations,
    membership_for_api_token_across_associations,
)

#: Where ``user_for_api_call`` leaves what it read with the token for the
#: association's path: (slug, user id, TokenMembership or None for "no role there").
MEMBERSHIP_ATTRIBUTE = "_maillon_membership_read_with_token"


def _path_slug(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match is not None else None
    return slug if isinstance(slug, str) and slug_re.match(slug) else None


def user_for_api_call(request: HttpRequest, raw: str):
    """The active user behind the raw API token ``raw``, or None (401). On an
    association's path (a ``slug`` parameter), the token, the association and the
    user's roles there are read in ONE query, and kept on the request for
    :func:`association_endpoint`, which then asks nothing more; when that read finds
    nothing, the token is read alone (a bad token and a user without a role there
    answer differently: 401 and 404)."""
    slug = _path_slug(request)
    if slug is None or not raw or not raw.startswith(ApiToken.PREFIX):
        return user_for_api_token(raw)
    found = membership_for_api_token_across_associations(slug=slug, key_hash=ApiToken.hash(raw))
    if found is None:
        user = user_for_api_token(raw)
        if user is not None:
            setattr(request, MEMBERSHIP_ATTRIBUTE, (slug, user.pk, None))
        return user
    user = found.context.person.user
    note_token_use(
        token_id=found.token_id, last_used_at=found.token_last_used_at, now=timezone.now()
    )
    setattr(request, MEMBERSHIP_ATTRIBUTE, (slug, user.pk, found))
    return user


def association_for_api(
    *, user, slug: str, request: HttpRequest | None = None
) -> tuple[Association, MembershipContext]:
    """Access helper: the association named ``slug`` and the caller's membership in
    it, or 404 when it does not exist or the caller holds no role there. Taken from
    what was read with the token when ``request`` carries it (:func:`user_for_api_call`),
    read here otherwise."""
    # A slug that cannot exist (a NUL byte, a space...) answers like one that does not,
    # without asking the database.
    if not slug_re.match(slug) or user is None or not user.is_authenticated:
        raise Http404
    read = getattr(request, MEMBERSHIP_ATTRIBUTE, None)
    if read is not None and read[0] == slug and read[1] == user.pk:
        if read[2] is None:
            raise Http404
        return read[2].association, read[2].context
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
            association, context = association_for_api(
                user=request.user, slug=kwargs["slug"], request=request
            )
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
