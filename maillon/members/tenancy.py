"""Who the signed-in person is in an association (``my_membership``), and the
back-office middleware built on it: ``/a/<association_slug>/...`` URLs are resolved
here, before the view runs. The association must exist and the signed-in user must
hold at least one role in it, otherwise the answer is 404 (an outsider cannot learn
that an association's back-office or any of its objects exist). The view then runs
inside ``django_scopes.scope(association=...)``; every other request runs with no
scope, so a forgotten filter on a tenant-owned model raises instead of leaking.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from maillon.accounts.models import User
from maillon.accounts.selectors import user_has_totp
from maillon.associations.models import Association
from maillon.associations.selectors import association_by_slug
from maillon.core.db.compiled import CompiledQuery
from maillon.core.middleware import API_PATH_PREFIX
from maillon.core.tenancy import TENANT_URL_KWARG

from .models import Person, RoleAssignment
from .permissions import BUREAU_ROLES, permissions_for_roles


@dataclass(frozen=True)
class MembershipContext:
    person: Person
    roles: frozenset[str]
    permissions: frozenset[str]
    #: Whether the user is on an active network's team (the layout's "My networks"
    #: link), when it was read with the roles; None when it was not.
    on_a_network_team: bool | None = None

    @property
    def is_bureau(self) -> bool:
        return bool(self.roles & BUREAU_ROLES)


def my_membership(*, association: Association, user: User) -> MembershipContext | None:
    """The signed-in user's person, roles and permissions in ``association``, or None
    when they hold no role there (they are then an outsider). Read before the
    association's scope is open (the middleware and the API decide with it whether to
    open it). One query: the roles with their person (a user has at most one person
    per association)."""
    with scopes_disabled():
        assignments = list(
            RoleAssignment.objects.filter(
                person__association=association, person__user=user, person__left_on__isnull=True
            ).select_related("person")
        )
        if not assignments:
            return None
        person = assignments[0].person
        return _context(person, assignments)


def _context(person: Person, assignments: Sequence[RoleAssignment]) -> MembershipContext:
    # The roles are the context's; ``person.role_assignments`` is not filled as if
    # prefetched (building that queryset cost more than the rest of the context, on
    # every page and API call, and nothing reads it from the caller's person).
    roles = frozenset(ra.role for ra in assignments)
    return MembershipContext(
        person=person,
        roles=roles,
        permissions=permissions_for_roles(roles),
        on_a_network_team=getattr(assignments[0], "on_a_network_team", None),
    )


def _on_a_network_team() -> Exists:
    from maillon.network.networks.selectors import active_network_roles

    return Exists(active_network_roles(user=OuterRef("person__user")))


def membership_by_slug_across_associations(
    *, slug: str, user: User, related: tuple[str, ...] = (), network_team: bool = False
) -> tuple[Association, MembershipContext] | None:
    """The association named ``slug`` and the signed-in user's membership in it, read
    in ONE query (the roles with their person and its association: no association
    cache to keep in step, every request sees the association as it is), or None when
    the association does not exist or the user holds no role there: the two look the
    same to the caller (404). ``related``: the association's relations to read in the
    same query (what the pages show: ``department__region``, ``sector``);
    ``network_team``: also whether the user is on an active network's team (the
    layout's link). Read on every back-office page and API call: the query's SQL is
    built once per process and shape (``maillon.core.db.compiled``)."""
    with scopes_disabled():
        assignments = _membership_query(related, network_team)(slug=slug, user_id=user.pk)
        if not assignments:
            return None
        person = assignments[0].person
        return person.association, _context(person, assignments)


_membership_queries: dict[tuple[tuple[str, ...], bool], CompiledQuery[RoleAssignment]] = {}


def _membership_query(
    related: tuple[str, ...], network_team: bool
) -> CompiledQuery[RoleAssignment]:
    query = _membership_queries.get((related, network_team))
    if query is None:

        def build(slug: str, user_id: int) -> QuerySet[RoleAssignment]:
            assignments = RoleAssignment.objects.filter(
                person__association__slug=slug,
                person__user_id=user_id,
                person__left_on__isnull=True,
            ).select_related("person__association", *(f"person__association__{r}" for r in related))
            if network_team:
                assignments = assignments.annotate(on_a_network_team=_on_a_network_team())
            return assignments

        # Samples: values no slug or user id takes (see CompiledQuery).
        query = CompiledQuery(build, slug="sample-slug", user_id=-7_654_321)
        _membership_queries[(related, network_team)] = query
    return query


@dataclass(frozen=True)
class TokenMembership:
    """What :func:`membership_for_api_token_across_associations` read: the token's
    id and last use (for ``accounts.selectors.note_token_use``), the association and
    the token's user's membership in it (``context.person.user`` is the user)."""

    token_id: int
    token_last_used_at: datetime.datetime | None
    association: Association
    context: MembershipContext


def membership_for_api_token_across_associations(
    *, slug: str, key_hash: str
) -> TokenMembership | None:
    """The API's first read of a call on an association's path: the token named by
    ``key_hash`` (not revoked, its user active), the association named ``slug`` and
    the user's membership in it, in ONE query (the API then sends one round trip
    fewer per call than reading the token and the roles apart). None when any of
    them is missing: the caller then reads the token alone, to tell a bad token (401)
    from a user without a role there (404)."""
    with scopes_disabled():
        assignments = _token_membership_query(slug=slug, key_hash=key_hash)
        if not assignments:
            return None
        first = assignments[0]
        person = first.person
        return TokenMembership(
            token_id=first.api_token_id,  # type: ignore[attr-defined]
            token_last_used_at=first.api_token_last_used_at,  # type: ignore[attr-defined]
            association=person.association,
            context=_context(person, assignments),
        )


def _token_membership_build(slug: str, key_hash: str) -> QuerySet[RoleAssignment]:
    # One filter() call: the token's conditions and the annotations share one join.
    return (
        RoleAssignment.objects.filter(
            person__association__slug=slug,
            person__left_on__isnull=True,
            person__user__is_active=True,
            person__user__api_tokens__key_hash=key_hash,
            person__user__api_tokens__revoked_at__isnull=True,
        )
        .select_related("person__association", "person__user")
        .annotate(
            api_token_id=F("person__user__api_tokens__id"),
            api_token_last_used_at=F("person__user__api_tokens__last_used_at"),
        )
    )


# Samples: values no slug or token hash takes (see CompiledQuery).
_token_membership_query: CompiledQuery[RoleAssignment] = CompiledQuery(
    _token_membership_build, slug="sample-slug", key_hash="sample-key-hash"
)


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PATH_PREFIX):
            # The API's own tenancy (maillon.api.tenancy) takes the association from
            # its ``slug``; no page URL starts there, so skip the resolution.
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(TENANT_URL_KWARG)
        if slug is None:
            return self.get_response(request)

        if not request.user.is_authenticated:
            if association_by_slug(slug) is None:
                raise Http404
            return redirect_to_login(request.get_full_path())
        # The association and the caller's roles in one query (None: no such
        # association, or no role in it; both 404).
        found = membership_by_slug_across_associations(
            slug=slug,
            user=request.user,
            related=("department__region", "sector"),
            network_team=True,
        )
        if found is None:
            raise Http404
        association, context = found
        request.association = association
        request.person = context.person
        request.roles = context.roles
        request.permissions = context.permissions
        # Read with the roles: the layout's "My networks" link costs no query
        # (network_tags.on_a_network_team).
        request._on_a_network_team = context.on_a_network_team
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
