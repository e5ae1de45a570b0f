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


def isolation_probes(Probe) -> dict:
    ids = lambda w: {"help_request_id": witness_help_request(w.association)}  # noqa: E731
    return {
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
        "help_requests:list": Route(url("help_requests:list")),
        "help_requests:create": Route(url("help_requests:create")),
        "help_requests:detail": Route(url("help_requests:detail", True)),
        "help_requests:edit": Route(url("help_requests:edit", True)),
        "help_requests:close": Route(url("help_requests:close", True), "POST"),
    }
