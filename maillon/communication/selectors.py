"""Reads of the communication module.

Back-office selectors run inside the association's scope. Public selectors (news page,
feed, association page, unsubscribe and confirmation links) run with no scope: they
disable scopes and filter explicitly on published, public posts of one association,
or on one random token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.associations.models import Association, Module
from maillon.associations.selectors import association_by_slug
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.permissions import Perm

from .models import (
    Audience,
    Delivery,
    Newsletter,
    OptOut,
    Post,
    PostStatus,
    Segment,
    Subscriber,
)

# Who reads the board's posts (and gets the "board" newsletter segment).
BOARD_ROLES = frozenset(
    {Role.BOARD, Role.PRESIDENT, Role.TREASURER, Role.SECRETARY, Role.ADMIN, Role.STAFF}
)


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- posts (back-office) ----------------------------------------------------------------


def audiences_for_roles(roles: Iterable[str]) -> list[str]:
    """The audiences a person holding ``roles`` may read (any role makes a member)."""
    audiences: list[str] = [Audience.PUBLIC, Audience.MEMBERS]
    if set(roles) & BOARD_ROLES:
        audiences.append(Audience.BOARD)
    return audiences


def posts_for_reader(
    *, association: Association, roles: Iterable[str], permissions: Iterable[str]
) -> QuerySet[Post]:
    """Posts shown in the back-office: every post (drafts included) to those who
    manage the news; the published posts of their audiences to everyone else."""
    posts = Post.objects.filter(association=association).select_related("author")
    if Perm.MANAGE_NEWS in permissions:
        return posts.order_by("-published_at", "-created_at", "-id")
    return posts.filter(
        status=PostStatus.PUBLISHED, audience__in=audiences_for_roles(roles)
    ).order_by("-published_at", "-id")


def post_get(
    *,
    association: Association,
    roles: Iterable[str],
    permissions: Iterable[str],
    post_id: Any,
) -> Post:
    """Access helper: a post of ``association`` the reader may see, or 404."""
    post = (
        posts_for_reader(association=association, roles=roles, permissions=permissions)
        .filter(pk=_as_id(post_id))
        .first()
    )
    if post is None:
        raise Http404
    return post


def post_for_update(*, association: Association, post_id: Any) -> Post:
    post = Post.objects.filter(association=association, pk=_as_id(post_id)).first()
    if post is None:
        raise Http404
    return post


# --- public pages -------------------------------------------------------------------------


def public_news_association(slug: str) -> Association:
    """A listed association with its news module on, or 404."""
    association = association_by_slug(slug)
    if (
        association is None
        or not association.is_listed
        or not association.has_module(Module.COMMUNICATION)
    ):
        raise Http404
    return association


def public_posts(*, association: Association) -> QuerySet[Post]:
    with scopes_disabled():
        return (
            Post.objects.filter(
                association=association,
                status=PostStatus.PUBLISHED,
                audience=Audience.PUBLIC,
            )
            .select_related("association", "author")
            .order_by("-published_at", "-id")
        )


def public_latest_posts(*, association: Association, limit: int = 3) -> list[Post]:
    if not association.has_module(Module.COMMUNICATION):
        return []
    with scopes_disabled():
        return list(public_posts(association=association).defer("body")[:limit])


def public_post_get(*, association: Association, post_id: Any) -> Post:
    with scopes_disabled():
        post = public_posts(association=association).filter(pk=_as_id(post_id)).first()
    if post is None:
        raise Http404
    return post


def delivery_for_token(token: str) -> Delivery | None:
    with scopes_disabled():
        return (
            Delivery.objects.filter(token=token).select_related("association", "newsletter").first()
            if token
            else None
        )


def subscriber_for_token(token: str) -> Subscriber | None:
    with scopes_disabled():
        return (
            Subscriber.objects.filter(confirmation_token=token)
            .select_related("association")
            .first()
            if token
            else None
        )


# --- newsletters ----------------------------------------------------------------------------


def newsletter_list(*, association: Association) -> QuerySet[Newsletter]:
    return (
        Newsletter.objects.filter(association=association)
        .select_related("author", "sent_by")
        .defer("body", "body_html")
        .order_by("-created_at", "-id")
    )


def newsletter_get(*, association: Association, newsletter_id: Any) -> Newsletter:
    newsletter = (
        Newsletter.objects.filter(association=association, pk=_as_id(newsletter_id))
        .select_related("author", "sent_by")
        .first()
    )
    if newsletter is None:
        raise Http404
    return newsletter


def subscriber_list(*, association: Association) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(association=association).order_by("-created_at", "-id")


@dataclass(frozen=True)
class Recipient:
    email: str  # lower-cased
    person_id: int | None = None
    subscriber_id: int | None = None
    language: str = ""


def _opted_out(association: Association) -> QuerySet[OptOut]:
    return OptOut.objects.filter(association=association, email=OuterRef("email_ci"))


def segment_recipients(*, association: Association, segment: str) -> list[Recipient]:
    """Everyone a newsletter to ``segment`` goes to, once per email address (lower-
    cased), without anybody who unsubscribed from this association. People come
    first: a person and a subscriber with the same address make one recipient."""
    people = (
        Person.objects.filter(association=association, anonymised_at__isnull=True)
        .exclude(email="")
        .annotate(email_ci=Lower("email"))
    )
    if segment == Segment.MEMBERS:
        people = people.filter(left_on__isnull=True)
    elif segment == Segment.VOLUNTEERS:
        people = people.filter(
            left_on__isnull=True,
            pk__in=RoleAssignment.objects.filter(
                association=association, role=Role.VOLUNTEER
            ).values("person_id"),
        )
    elif segment == Segment.BOARD:
        people = people.filter(
            left_on__isnull=True,
            pk__in=RoleAssignment.objects.filter(
                association=association, role__in=BOARD_ROLES
            ).values("person_id"),
        )
    elif segment == Segment.SUBSCRIBERS:
        people = people.filter(consent_newsletter=True)
    else:
        raise ValueError(f"Unknown segment {segment!r}")
    rows = people.exclude(Exists(_opted_out(association))).values_list(
        "pk", "email_ci", "user__language"
    )

    found: dict[str, Recipient] = {}
    for pk, email, language in rows.order_by("pk"):
        found.setdefault(email, Recipient(email=email, person_id=pk, language=language or ""))
    if segment == Segment.SUBSCRIBERS:
        subscribers = (
            Subscriber.objects.filter(
                association=association, consent_at__isnull=False, unsubscribed_at__isnull=True
            )
            .annotate(email_ci=Lower("email"))
            .exclude(Exists(_opted_out(association)))
            .values_list("pk", "email_ci", "language")
        )
        for pk, email, language in subscribers.order_by("pk"):
            found.setdefault(email, Recipient(email=email, subscriber_id=pk, language=language))
    return list(found.values())


def segment_counts(*, association: Association) -> dict[str, int]:
    return {
        segment: len(segment_recipients(association=association, segment=segment))
        for segment in Segment.values
    }


def delivery_counts(*, newsletter: Newsletter) -> dict[str, int]:
    from .sending import delivery_counts_of

    return delivery_counts_of(Delivery.objects.filter(newsletter=newsletter))
