"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime


def witness_ids(association, person=None) -> dict:
    """A published upcoming event of ``association`` with one confirmed registration
    (of ``person`` when given), made on first use."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.events.models import Event, Registration

    with scopes_disabled():
        event = Event.objects.filter(association=association, title="Événement témoin").first()
        if event is None:
            starts = timezone.now() + datetime.timedelta(days=7)
            event = Event.objects.create(
                association=association,
                title="Événement témoin",
                address="1 place de la Mairie",
                postal_code="69001",
                city="Lyon",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                capacity=50,
                status="published",
                published_at=timezone.now(),
                seats_taken=1,
            )
            Registration.objects.create(
                association=association,
                event=event,
                person=person,
                first_name="Inscrite",
                last_name="Témoin",
                email="inscrite.temoin@example.org",
                status="confirmed",
                holds_seat=True,
            )
        registration = Registration.objects.filter(event=event).order_by("pk").first()
    return {"event_id": event.pk, "registration_id": registration.pk}


def isolation_probes(Probe) -> dict:
    def event(w):
        return {"event_id": witness_ids(w.association, w.person)["event_id"]}

    def registration(w):
        return witness_ids(w.association, w.person)

    def event_data(w):
        return {
            "title": "Piraté",
            "audience": "public",
            "starts_at": "2099-01-01T10:00",
            "ends_at": "2099-01-01T12:00",
            "postal_code": "75001",
        }

    return {
        "events:list": Probe(),
        "events:create": Probe(methods=("GET", "POST"), data=event_data),
        "events:detail": Probe(ids=event),
        "events:edit": Probe(ids=event, methods=("GET", "POST"), data=event_data),
        "events:publish": Probe(ids=event, methods=("POST",)),
        "events:cancel": Probe(
            ids=event, methods=("GET", "POST"), data=lambda w: {"confirm": "on"}
        ),
        "events:registrations": Probe(ids=event),
        "events:check_in": Probe(
            ids=registration, methods=("POST",), data=lambda w: {"present": "on"}
        ),
        "events:registration_cancel": Probe(ids=registration, methods=("POST",)),
        "events:walk_in": Probe(
            ids=event, methods=("POST",), data=lambda w: {"person_id": w.person.pk}
        ),
        "events:attendance_csv": Probe(ids=event),
        "events:sign_in_sheet": Probe(ids=event),
        **api_isolation_probes(Probe),  # the REST API (K), at the end of this file
    }


def matrix_routes(Route) -> dict:
    def page(name, method="GET", data=lambda t: {}, registration=False):
        def url(t):
            ids = witness_ids(t.association, t.person)
            if not registration:
                ids.pop("registration_id")
            if name == "events:list" or name == "events:create":
                ids = {}
            return t.url(name, **ids)

        return Route(url, method, data)

    return {
        "events:list": page("events:list"),
        "events:create": page("events:create"),
        "events:detail": page("events:detail"),
        "events:edit": page("events:edit"),
        "events:publish": page("events:publish", "POST"),
        "events:cancel": page("events:cancel"),
        "events:registrations": page("events:registrations"),
        "events:check_in": page(
            "events:check_in", "POST", lambda t: {"present": "on"}, registration=True
        ),
        "events:registration_cancel": page("events:registration_cancel", "POST", registration=True),
        "events:walk_in": page("events:walk_in", "POST", lambda t: {"person_id": t.person.pk}),
        "events:attendance_csv": page("events:attendance_csv"),
        "events:sign_in_sheet": page("events:sign_in_sheet"),
    }


# --- API (K): the events paths of the REST API ------------------------------------------------
# Keys are the API routes under /api/v1/ with their {param} names; merged into the
# isolation walk's probes by ``isolation_probes`` above.


def api_isolation_probes(Probe) -> dict:
    def event(w):
        return {"event_id": witness_ids(w.association, w.person)["event_id"]}

    def registration(w):
        return witness_ids(w.association, w.person)

    def event_data(w):
        return {
            "title": "Piraté",
            "starts_at": "2099-01-01T10:00",
            "ends_at": "2099-01-01T12:00",
            "postal_code": "75001",
        }

    api = "associations/{slug}/events"
    return {
        api: Probe(methods=("GET", "POST"), data=event_data),
        f"{api}/{{event_id}}/registrations": Probe(ids=event),
        f"{api}/{{event_id}}/registrations/{{registration_id}}/check-in": Probe(
            ids=registration, methods=("POST",), data=lambda w: {"present": True}
        ),
    }
