"""Isolation-walk probes and permission-matrix routes of help requests
(``/a/<slug>/help/``), added to the network module's lists by
``maillon/network/tests/probes.py``."""

from __future__ import annotations


def witness_help_request(association) -> int:
    from django_scopes import scopes_disabled

    from maillon.network.models import HelpRequest

    with scopes_disabled():
        found, _ = HelpRequest.objects.get_or_create(
            association=association,
            title="Demande témoin",
            defaults={"need": "…", "deliverable": "…", "audiences": ["companies"]},
        )
    return found.pk


FORM = {
    "title": "Refaire notre site",
    "need": "Le site date de 2012.",
    "deliverable": "Un site à jour.",
    "format": "remote",
    "audiences": ["volunteers"],
}

API = {"title": "Pirate", "need": "…", "deliverable": "…", "audiences": ["volunteers"]}


def witness_closed_engagement(association) -> int:
    """A closed engagement with a handover document on a second witness request."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.accounts.models import User
    from maillon.network.models import Engagement, HelpRequest

    with scopes_disabled():
        found = Engagement.objects.filter(association=association, status="closed").first()
        if found is not None:
            return found.pk
        request_ = HelpRequest.objects.create(
            association=association,
            title="Demande close témoin",
            need="…",
            deliverable="…",
            audiences=["volunteers"],
        )
        helper, _ = User.objects.get_or_create(email=f"aide@{association.slug}.example")
        engagement = Engagement(
            association=association,
            help_request=request_,
            kind="volunteer",
            offered_by=helper,
            message="…",
            offered_at=timezone.now(),
            status="closed",
        )
        engagement.handover_document.save(
            "passation.txt", ContentFile(b"Mode d'emploi"), save=False
        )
        engagement.save()
    return engagement.pk


def _witness_engagement(association) -> int:
    from .engagements import witness_engagement

    return witness_engagement(association).pk


def _engagement_probes(Probe) -> dict:
    ids = lambda w: {"engagement_id": _witness_engagement(w.association)}  # noqa: E731
    closed = lambda w: {"engagement_id": witness_closed_engagement(w.association)}  # noqa: E731
    return {
        "engagements:list": Probe(),
        "engagements:detail": Probe(ids=ids),
        "engagements:document": Probe(ids=closed),
        "engagements:step": Probe(
            ids=ids, fixed={"step": "message"}, methods=("POST",), data=lambda w: {"body": "Pirate"}
        ),
    }


def _engagement_routes(Route) -> dict:
    def url(name, ids=None, **extra):
        def build(t):
            kwargs = {"engagement_id": ids(t.association)} if ids else {}
            return t.url(name, **kwargs, **extra)

        return build

    return {
        "engagements:list": Route(url("engagements:list")),
        "engagements:detail": Route(url("engagements:detail", _witness_engagement)),
        "engagements:document": Route(url("engagements:document", witness_closed_engagement)),
        "engagements:step": Route(
            url("engagements:step", _witness_engagement, step="message"),
            "POST",
            lambda t: {"body": "Bonjour"},
        ),
    }


def isolation_probes(Probe) -> dict:
    ids = lambda w: {"help_request_id": witness_help_request(w.association)}  # noqa: E731
    return {
        **_engagement_probes(Probe),
        "help_requests:list": Probe(),
        "help_requests:create": Probe(methods=("GET", "POST"), data=lambda w: FORM),
        "help_requests:detail": Probe(ids=ids),
        "help_requests:edit": Probe(ids=ids, methods=("GET", "POST"), data=lambda w: FORM),
        "help_requests:close": Probe(ids=ids, methods=("POST",)),
        # the API (routers/network/help.py)
        "associations/{slug}/help-requests": Probe(methods=("GET", "POST"), data=lambda w: API),
        "associations/{slug}/help-requests/{help_request_id}": Probe(
            ids=ids, methods=("GET", "PATCH"), data=lambda w: {"title": "Pirate"}
        ),
        "associations/{slug}/help-requests/{help_request_id}/close": Probe(
            ids=ids, methods=("POST",), control_ok=frozenset({200, 409})
        ),
        "associations/{slug}/help-requests/{help_request_id}/suggested-helpers": Probe(ids=ids),
    }


def matrix_routes(Route) -> dict:
    def url(name, with_id=False):
        def build(t):
            kwargs = {"help_request_id": witness_help_request(t.association)} if with_id else {}
            return t.url(name, **kwargs)

        return build

    return {
        **_engagement_routes(Route),
        "help_requests:list": Route(url("help_requests:list")),
        "help_requests:create": Route(url("help_requests:create")),
        "help_requests:detail": Route(url("help_requests:detail", True)),
        "help_requests:edit": Route(url("help_requests:edit", True)),
        "help_requests:close": Route(url("help_requests:close", True), "POST"),
    }
