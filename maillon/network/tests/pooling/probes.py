"""Isolation-walk probes and permission-matrix routes of pooled resources
(``/a/<slug>/resources/``), added to the network module's lists by
``maillon/network/tests/probes.py``.

Each association under test gets, on first use, a witness lender sharing a network
with it only, the lender's minibus (lent to network members only), a resource of its
own, a booking it made of the minibus and a booking the lender made of its resource.
Another association's ids are therefore out of reach: its witness resource is not in
a shared network, and it is not a party to its bookings."""

from __future__ import annotations

import datetime


def _slot(days: int = 0) -> dict:
    from .factories import next_saturday

    start = next_saturday() + datetime.timedelta(days=7 * days)
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=6)}


def _form_slot(days: int) -> dict:
    slot = _slot(days)
    return {k: v.strftime("%Y-%m-%dT%H:%M") for k, v in slot.items()}


def witness(association) -> dict:
    """The pooling objects around ``association`` (made once, found again after)."""
    from django_scopes import scopes_disabled

    from maillon.associations.models import Association
    from maillon.network.models import (
        Booking,
        MembershipStatus,
        Network,
        NetworkMembership,
        SharedResource,
    )

    with scopes_disabled():
        lender, _ = Association.objects.get_or_create(
            slug=f"preteur-{association.slug}"[:80],
            defaults={"name": f"Prêteur de {association.name}"},
        )
        network, _ = Network.objects.get_or_create(
            slug=f"mutualisation-{association.slug}"[:80],
            defaults={"name": "Mutualisation témoin", "kind": "collective", "status": "active"},
        )
        for member in (association, lender):
            NetworkMembership.objects.get_or_create(
                association=member, network=network, defaults={"status": MembershipStatus.ACTIVE}
            )
        minibus, _ = SharedResource.objects.get_or_create(
            association=lender,
            name="Minibus témoin",
            defaults={"kind": "vehicle", "audience": "networks", "quantity": 3},
        )
        own, _ = SharedResource.objects.get_or_create(
            association=association,
            name="Salle témoin",
            defaults={"kind": "room", "audience": "networks", "quantity": 3},
        )
        slot = _slot(3)
        borrowed, _ = Booking.objects.get_or_create(
            association=lender,
            borrower=association,
            resource=minibus,
            defaults={**slot, "blocks_until": slot["ends_at"], "unit_number": 3},
        )
        lent, _ = Booking.objects.get_or_create(
            association=association,
            borrower=lender,
            resource=own,
            defaults={**slot, "blocks_until": slot["ends_at"], "unit_number": 3},
        )
    return {"minibus": minibus.pk, "own": own.pk, "borrowed": borrowed.pk, "lent": lent.pk}


RESOURCE_DATA = {
    "name": "Vidéoprojecteur",
    "kind": "equipment",
    "quantity": "1",
    "deposit": "0",
    "fee": "0",
    "value_in_kind": "0",
    "audience": "networks",
    "buffer_minutes": "0",
}


def isolation_probes(Probe) -> dict:
    minibus = lambda w: {"resource_id": witness(w.association)["minibus"]}  # noqa: E731
    own = lambda w: {"resource_id": witness(w.association)["own"]}  # noqa: E731
    borrowed = lambda w: {"booking_id": witness(w.association)["borrowed"]}  # noqa: E731
    lent = lambda w: {"booking_id": witness(w.association)["lent"]}  # noqa: E731
    condition = lambda w: {"condition": "Propre, plein fait"}  # noqa: E731
    return {
        "pooling:catalogue": Probe(),
        "pooling:mine": Probe(),
        "pooling:create": Probe(methods=("GET", "POST"), data=lambda w: RESOURCE_DATA),
        "pooling:detail": Probe(ids=minibus),
        "pooling:edit": Probe(ids=own, methods=("GET", "POST"), data=lambda w: RESOURCE_DATA),
        "pooling:book": Probe(ids=minibus, methods=("POST",), data=lambda w: _form_slot(5)),
        "pooling:waitlist": Probe(ids=minibus, methods=("POST",), data=lambda w: _form_slot(5)),
        "pooling:blackout": Probe(
            ids=own,
            methods=("POST",),
            data=lambda w: {"starts_on": "2031-01-01", "ends_on": "2031-01-02"},
        ),
        "pooling:photo": Probe(ids=own, methods=("POST",)),
        "pooling:calendar": Probe(ids=own),
        "pooling:bookings": Probe(),
        "pooling:booking": Probe(ids=borrowed),
        "pooling:decide": Probe(
            ids=lent, methods=("POST",), data=lambda w: {"decision": "approve"}
        ),
        "pooling:check_out": Probe(ids=lent, methods=("POST",), data=condition),
        "pooling:check_in": Probe(ids=lent, methods=("POST",), data=condition),
        "pooling:close": Probe(ids=lent, methods=("POST",), data=lambda w: {"value_in_kind": "10"}),
        "pooling:cancel": Probe(ids=borrowed, methods=("POST",)),
        "pooling:extend": Probe(
            ids=borrowed, methods=("POST",), data=lambda w: {"ends_at": _form_slot(4)["ends_at"]}
        ),
        "pooling:agreement": Probe(ids=borrowed),
        # the API: reads
        "associations/{slug}/resources": Probe(),
        "associations/{slug}/bookings": Probe(),
        **api_write_probes(Probe, own, minibus, borrowed, lent),
    }


def _api_slot(days: int) -> dict:
    return {k: v.isoformat() for k, v in _slot(days).items()}


def api_write_probes(Probe, own, minibus, borrowed, lent) -> dict:
    """The writes of resources and bookings (``routers/network/resources.py``). A step
    may answer 409 on the attacker's own objects (already withdrawn, slot taken): that
    still proves the object was reached."""
    reached = frozenset({200, 201, 409})
    api = "associations/{slug}"
    return {
        f"{api}/shared-resources": Probe(
            methods=("GET", "POST"), data=lambda w: {"name": "Pirate", "kind": "room"}
        ),
        f"{api}/shared-resources/{{resource_id}}": Probe(
            ids=own, methods=("GET", "PATCH"), data=lambda w: {"name": "Pirate"}
        ),
        f"{api}/shared-resources/{{resource_id}}/withdraw": Probe(
            ids=own, methods=("POST",), control_ok=reached
        ),
        f"{api}/resources/{{resource_id}}/bookings": Probe(
            ids=minibus, methods=("POST",), data=lambda w: _api_slot(8), control_ok=reached
        ),
        f"{api}/bookings/{{booking_id}}": Probe(ids=borrowed),
        f"{api}/bookings/{{booking_id}}/approve": Probe(
            ids=lent, methods=("POST",), control_ok=reached
        ),
        f"{api}/bookings/{{booking_id}}/decline": Probe(
            ids=lent, methods=("POST",), control_ok=reached
        ),
        f"{api}/bookings/{{booking_id}}/cancel": Probe(
            ids=borrowed, methods=("POST",), control_ok=reached
        ),
        f"{api}/bookings/{{booking_id}}/extend": Probe(
            ids=borrowed,
            methods=("POST",),
            data=lambda w: {"ends_at": _api_slot(4)["ends_at"]},
            control_ok=reached,
        ),
    }


def matrix_routes(Route) -> dict:
    def url(name, key=None, param="resource_id"):
        def build(t):
            kwargs = {param: witness(t.association)[key]} if key else {}
            return t.url(name, **kwargs)

        return build

    condition = lambda t: {"condition": "Propre"}  # noqa: E731
    return {
        "pooling:catalogue": Route(url("pooling:catalogue")),
        "pooling:mine": Route(url("pooling:mine")),
        "pooling:create": Route(url("pooling:create")),
        "pooling:detail": Route(url("pooling:detail", "minibus")),
        "pooling:edit": Route(url("pooling:edit", "own")),
        "pooling:book": Route(url("pooling:book", "minibus"), "POST", lambda t: _form_slot(6)),
        "pooling:waitlist": Route(
            url("pooling:waitlist", "minibus"), "POST", lambda t: _form_slot(6)
        ),
        "pooling:blackout": Route(
            url("pooling:blackout", "own"),
            "POST",
            lambda t: {"starts_on": "2031-01-01", "ends_on": "2031-01-02"},
        ),
        "pooling:photo": Route(url("pooling:photo", "own"), "POST"),
        "pooling:calendar": Route(url("pooling:calendar", "own")),
        "pooling:bookings": Route(url("pooling:bookings")),
        "pooling:booking": Route(url("pooling:booking", "borrowed", "booking_id")),
        "pooling:decide": Route(
            url("pooling:decide", "lent", "booking_id"), "POST", lambda t: {"decision": "decline"}
        ),
        "pooling:check_out": Route(
            url("pooling:check_out", "lent", "booking_id"), "POST", condition
        ),
        "pooling:check_in": Route(url("pooling:check_in", "lent", "booking_id"), "POST", condition),
        "pooling:close": Route(url("pooling:close", "lent", "booking_id"), "POST"),
        "pooling:cancel": Route(url("pooling:cancel", "borrowed", "booking_id"), "POST"),
        "pooling:extend": Route(
            url("pooling:extend", "borrowed", "booking_id"),
            "POST",
            lambda t: {"ends_at": _form_slot(4)["ends_at"]},
        ),
        "pooling:agreement": Route(url("pooling:agreement", "borrowed", "booking_id")),
    }
