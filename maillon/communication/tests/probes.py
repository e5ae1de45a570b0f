"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py).

The objects are made on first use in the association under test: a published post
for members (every role may read it), a draft newsletter and a sent one."""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scopes_disabled


def _objects(association) -> dict:
    from maillon.communication.models import (
        Audience,
        Newsletter,
        NewsletterStatus,
        Post,
        PostStatus,
    )

    with scopes_disabled():
        post, _ = Post.objects.get_or_create(
            association=association,
            title="Nouvelle témoin",
            defaults={
                "body": "Texte",
                "body_html": "<p>Texte</p>",
                "audience": Audience.MEMBERS,
                "status": PostStatus.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
        draft, _ = Newsletter.objects.get_or_create(
            association=association,
            subject="Lettre témoin",
            defaults={"body": "Texte", "body_html": "<p>Texte</p>", "segment": "members"},
        )
        sent, _ = Newsletter.objects.get_or_create(
            association=association,
            subject="Lettre envoyée témoin",
            defaults={
                "body": "Texte",
                "body_html": "<p>Texte</p>",
                "segment": "members",
                "status": NewsletterStatus.SENT,
                "sent_at": timezone.now(),
            },
        )
    return {"post_id": post.pk, "newsletter_id": draft.pk, "sent_newsletter_id": sent.pk}


def _post(association) -> dict:
    return {"post_id": _objects(association)["post_id"]}


def _newsletter(association) -> dict:
    return {"newsletter_id": _objects(association)["newsletter_id"]}


def _sent_newsletter(association) -> dict:
    return {"newsletter_id": _objects(association)["sent_newsletter_id"]}


POST_DATA = {"title": "Pirate", "body": "Pirate", "audience": "public", "action": "save"}
NEWSLETTER_DATA = {"subject": "Pirate", "body": "Pirate", "segment": "members", "action": "save"}


def isolation_probes(Probe) -> dict:
    post = lambda w: _post(w.association)  # noqa: E731
    newsletter = lambda w: _newsletter(w.association)  # noqa: E731
    sent = lambda w: _sent_newsletter(w.association)  # noqa: E731
    return {
        "communication:posts": Probe(),
        "communication:post_create": Probe(methods=("GET", "POST"), data=lambda w: POST_DATA),
        "communication:post_detail": Probe(ids=post),
        "communication:post_edit": Probe(
            ids=post, methods=("GET", "POST"), data=lambda w: POST_DATA
        ),
        "communication:post_publish": Probe(ids=post, methods=("POST",)),
        "communication:post_unpublish": Probe(ids=post, methods=("POST",)),
        "communication:newsletters": Probe(),
        "communication:newsletter_create": Probe(
            methods=("GET", "POST"), data=lambda w: NEWSLETTER_DATA
        ),
        "communication:newsletter_detail": Probe(ids=newsletter),
        "communication:newsletter_edit": Probe(
            ids=newsletter, methods=("GET", "POST"), data=lambda w: NEWSLETTER_DATA
        ),
        # A sent newsletter: the attacker's own control is refused with a message (302),
        # and nothing would be sent to the victim's members.
        "communication:newsletter_send": Probe(ids=sent, methods=("POST",)),
        "communication:newsletter_progress": Probe(ids=sent),
        "communication:subscribers": Probe(),
    }


def matrix_routes(Route) -> dict:
    def page(name, ids=None, method="GET", data=lambda t: {}):
        return Route(
            lambda t: t.url(f"communication:{name}", **(ids(t.association) if ids else {})),
            method,
            data,
        )

    return {
        "communication:posts": page("posts"),
        "communication:post_create": page("post_create"),
        "communication:post_detail": page("post_detail", _post),
        "communication:post_edit": page("post_edit", _post),
        "communication:post_publish": page("post_publish", _post, "POST"),
        "communication:post_unpublish": page("post_unpublish", _post, "POST"),
        "communication:newsletters": page("newsletters"),
        "communication:newsletter_create": page("newsletter_create"),
        "communication:newsletter_detail": page("newsletter_detail", _newsletter),
        "communication:newsletter_edit": page("newsletter_edit", _newsletter),
        "communication:newsletter_send": page("newsletter_send", _sent_newsletter, "POST"),
        "communication:newsletter_progress": page("newsletter_progress", _sent_newsletter),
        "communication:subscribers": page("subscribers"),
    }
