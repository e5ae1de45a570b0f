"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py)."""


def isolation_probes(Probe) -> dict:
    return {
        **_mission_probes(Probe),
        **_application_probes(Probe),
        **_matching_probes(Probe),
        **_hours_probes(Probe),
        **_api_probes(Probe),
    }


def matrix_routes(Route) -> dict:
    return {
        **_mission_routes(Route),
        **_application_routes(Route),
        **_matching_routes(Route),
        **_hours_routes(Route),
    }


# --- applications (B) ------------------------------------------------------------------------


def _witness_application(association) -> int:
    """A submitted application (to a published mission) of ``association``, made on
    first use; returns its id."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.volunteering.models import Application, Mission

    with scopes_disabled():
        mission, _ = Mission.objects.get_or_create(
            association=association,
            title="Mission témoin (candidatures)",
            defaults={
                "description": "…",
                "status": "published",
                "published_at": timezone.now(),
            },
        )
        application, _ = Application.objects.get_or_create(
            association=association,
            mission=mission,
            email="candidat.temoin@example.org",
            defaults={
                "first_name": "Candidat",
                "last_name": "Témoin",
                "email_verified_at": timezone.now(),
                "submitted_at": timezone.now(),
            },
        )
    return application.pk


def _application_probes(Probe) -> dict:
    application = lambda w: {"application_id": _witness_application(w.association)}  # noqa: E731
    return {
        "volunteering:applications": Probe(),
        "volunteering:application_detail": Probe(ids=application),
        "volunteering:application_reply": Probe(
            ids=application, methods=("POST",), data=lambda w: {"body": "Pirate"}
        ),
        "volunteering:application_status": Probe(
            ids=application, methods=("POST",), data=lambda w: {"status": "declined"}
        ),
    }


def _application_routes(Route) -> dict:
    def application(t) -> dict:
        return {"application_id": _witness_application(t.association)}

    return {
        "volunteering:applications": Route(lambda t: t.url("volunteering:applications")),
        "volunteering:application_detail": Route(
            lambda t: t.url("volunteering:application_detail", **application(t))
        ),
        "volunteering:application_reply": Route(
            lambda t: t.url("volunteering:application_reply", **application(t)),
            "POST",
            lambda t: {"body": "Bonjour !"},
        ),
        "volunteering:application_status": Route(
            lambda t: t.url("volunteering:application_status", **application(t)),
            "POST",
            lambda t: {"status": "discussion"},
        ),
    }


# --- matching (F) ----------------------------------------------------------------------------


def _witness_matching_mission(association) -> int:
    """A published public mission of ``association`` to find volunteers for, made on
    first use; returns its id."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.taxonomy.models import Department
    from maillon.volunteering.models import Mission

    with scopes_disabled():
        mission, _ = Mission.objects.get_or_create(
            association=association,
            title="Mission témoin (mise en relation)",
            defaults={
                "description": "…",
                "status": "published",
                "audience": "public",
                "published_at": timezone.now(),
                "department": Department.objects.filter(code="69").first(),
            },
        )
    return mission.pk


def _witness_volunteer_profile() -> int:
    """A volunteer who made their profile visible (profiles belong to no association)."""
    from maillon.accounts.tests.factories import UserFactory
    from maillon.taxonomy.models import Department
    from maillon.volunteering.models import VolunteerProfile

    profile = VolunteerProfile.objects.filter(user__email="benevole.temoin@example.org").first()
    if profile is None:
        profile = VolunteerProfile.objects.create(
            user=UserFactory(email="benevole.temoin@example.org"),
            postal_code="69001",
            department=Department.objects.filter(code="69").first(),
            visible_to_associations=True,
        )
    return profile.pk


def _matching_probes(Probe) -> dict:
    mission = lambda w: {"mission_id": _witness_matching_mission(w.association)}  # noqa: E731
    return {
        "volunteering:mission_matches": Probe(ids=mission),
        "volunteering:mission_invite": Probe(
            ids=mission,
            methods=("POST",),
            data=lambda w: {"profile": _witness_volunteer_profile()},
        ),
    }


def _matching_routes(Route) -> dict:
    def mission(t) -> dict:
        return {"mission_id": _witness_matching_mission(t.association)}

    return {
        "volunteering:mission_matches": Route(
            lambda t: t.url("volunteering:mission_matches", **mission(t))
        ),
        "volunteering:mission_invite": Route(
            lambda t: t.url("volunteering:mission_invite", **mission(t)),
            "POST",
            lambda t: {"profile": _witness_volunteer_profile()},
        ),
    }


# --- missions (A) ----------------------------------------------------------------------------


def _witness_mission(association) -> int:
    """A draft mission of ``association`` (the missions back-office), made on first use;
    returns its id."""
    from django_scopes import scopes_disabled

    from maillon.taxonomy.models import Department
    from maillon.volunteering.models import Mission

    with scopes_disabled():
        mission, _ = Mission.objects.get_or_create(
            association=association,
            title="Mission témoin (missions)",
            defaults={
                "description": "…",
                "postal_code": "69001",
                "city": "Lyon",
                "department": Department.objects.filter(code="69").first(),
            },
        )
    return mission.pk


def _mission_form_data(title: str) -> dict:
    return {
        "title": title,
        "description": "…",
        "postal_code": "69001",
        "schedule_kind": "flexible",
        "volunteers_wanted": "1",
        "audience": "public",
    }


_MISSION_STEPS = ("mission_publish", "mission_mark_full", "mission_close", "mission_reopen")


def _mission_probes(Probe) -> dict:
    mission = lambda w: {"mission_id": _witness_mission(w.association)}  # noqa: E731
    return {
        "volunteering:missions": Probe(),
        "volunteering:mission_create": Probe(
            methods=("GET", "POST"), data=lambda w: _mission_form_data("Pirate")
        ),
        "volunteering:mission_detail": Probe(ids=mission),
        "volunteering:mission_edit": Probe(
            ids=mission, methods=("GET", "POST"), data=lambda w: _mission_form_data("Pirate")
        ),
        **{
            f"volunteering:{step}": Probe(ids=mission, methods=("POST",)) for step in _MISSION_STEPS
        },
    }


def _mission_routes(Route) -> dict:
    def mission(t) -> dict:
        return {"mission_id": _witness_mission(t.association)}

    return {
        "volunteering:missions": Route(lambda t: t.url("volunteering:missions")),
        "volunteering:mission_create": Route(lambda t: t.url("volunteering:mission_create")),
        "volunteering:mission_detail": Route(
            lambda t: t.url("volunteering:mission_detail", **mission(t))
        ),
        "volunteering:mission_edit": Route(
            lambda t: t.url("volunteering:mission_edit", **mission(t))
        ),
        **{
            f"volunteering:{step}": Route(
                lambda t, step=step: t.url(f"volunteering:{step}", **mission(t)), "POST"
            )
            for step in _MISSION_STEPS
        },
    }


# --- hours and dashboard (C) -----------------------------------------------------------------


def _witness_hours(person, status: str = "pending") -> int:
    """An entry of hours of ``person`` (made on first use); returns its id."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.volunteering.models import VolunteerHours

    with scopes_disabled():
        entry, _ = VolunteerHours.objects.get_or_create(
            association=person.association,
            person=person,
            description=f"Heures témoin ({status})",
            defaults={
                "date": timezone.localdate(),
                "hours": 2,
                "activity": "field",
                "status": status,
            },
        )
    return entry.pk


def _own_person(association, user):
    from django_scopes import scopes_disabled

    from maillon.members.models import Person

    with scopes_disabled():
        return Person.objects.get(association=association, user=user)


def _signed_in_person(association):
    """The matrix signs in a new account just before it builds the URL: the latest
    person of the association with an account is the one signed in."""
    from django_scopes import scopes_disabled

    from maillon.members.models import Person

    with scopes_disabled():
        return Person.objects.filter(association=association, user__isnull=False).latest("pk")


def _witness_rate(association) -> int:
    from django_scopes import scopes_disabled

    from maillon.volunteering.models import YearlyHourlyRate

    with scopes_disabled():
        rate, _ = YearlyHourlyRate.objects.get_or_create(
            association=association, year=2020, defaults={"hourly_rate": 10}
        )
    return rate.pk


def _hours_data(person=None) -> dict:
    from django.utils import timezone

    data = {"date": timezone.localdate().isoformat(), "hours": "1,5", "activity": "field"}
    if person is not None:
        data["person"] = person.pk
    return data


_SETTINGS_DATA = {"hourly_rate": "99", "valuation_method": "Pirate", "remind_after_days": "3"}


def _hours_probes(Probe) -> dict:
    own = lambda w: {"hours_id": _witness_hours(_own_person(w.association, w.admin))}  # noqa: E731
    other = lambda w: {"hours_id": _witness_hours(w.person)}  # noqa: E731
    return {
        "volunteering:my_hours": Probe(methods=("GET", "POST"), data=lambda w: _hours_data()),
        "volunteering:my_hours_edit": Probe(
            ids=own, methods=("GET", "POST"), data=lambda w: _hours_data()
        ),
        "volunteering:my_hours_delete": Probe(ids=own, methods=("POST",)),
        "volunteering:hours": Probe(),
        "volunteering:hours_log": Probe(
            methods=("GET", "POST"), data=lambda w: _hours_data(w.person)
        ),
        "volunteering:hours_decide": Probe(
            methods=("POST",),
            data=lambda w: {"entries": [_witness_hours(w.person)], "decision": "validate"},
        ),
        "volunteering:hours_edit": Probe(
            ids=other, methods=("GET", "POST"), data=lambda w: _hours_data()
        ),
        "volunteering:hours_certificate": Probe(ids=lambda w: {"person_id": w.person.pk}),
        "volunteering:valuation": Probe(),
        "volunteering:valuation_export": Probe(fixed={"what": "entries", "file_format": "csv"}),
        "volunteering:volunteering_settings": Probe(
            methods=("GET", "POST"), data=lambda w: _SETTINGS_DATA
        ),
        "volunteering:yearly_rate_set": Probe(
            methods=("POST",), data=lambda w: {"year": "2021", "hourly_rate": "99"}
        ),
        "volunteering:yearly_rate_remove": Probe(
            ids=lambda w: {"rate_id": _witness_rate(w.association)}, methods=("POST",)
        ),
        "volunteering:dashboard": Probe(),
    }


def _hours_routes(Route) -> dict:
    def own(t) -> dict:
        return {"hours_id": _witness_hours(_signed_in_person(t.association))}

    def other(t) -> dict:
        return {"hours_id": _witness_hours(t.person)}

    return {
        "volunteering:my_hours": Route(
            lambda t: t.url("volunteering:my_hours"), "POST", lambda t: _hours_data()
        ),
        "volunteering:my_hours_edit": Route(
            lambda t: t.url("volunteering:my_hours_edit", **own(t))
        ),
        "volunteering:my_hours_delete": Route(
            lambda t: t.url("volunteering:my_hours_delete", **own(t)), "POST"
        ),
        "volunteering:hours": Route(lambda t: t.url("volunteering:hours")),
        "volunteering:hours_log": Route(
            lambda t: t.url("volunteering:hours_log"), "POST", lambda t: _hours_data(t.person)
        ),
        "volunteering:hours_decide": Route(
            lambda t: t.url("volunteering:hours_decide"),
            "POST",
            lambda t: {"entries": [_witness_hours(t.person)], "decision": "validate"},
        ),
        "volunteering:hours_edit": Route(lambda t: t.url("volunteering:hours_edit", **other(t))),
        "volunteering:hours_certificate": Route(
            lambda t: t.url("volunteering:hours_certificate", person_id=t.person.pk)
        ),
        "volunteering:valuation": Route(lambda t: t.url("volunteering:valuation")),
        "volunteering:valuation_export": Route(
            lambda t: t.url("volunteering:valuation_export", what="activities", file_format="xlsx")
        ),
        "volunteering:volunteering_settings": Route(
            lambda t: t.url("volunteering:volunteering_settings"), "POST", lambda t: _SETTINGS_DATA
        ),
        "volunteering:yearly_rate_set": Route(
            lambda t: t.url("volunteering:yearly_rate_set"),
            "POST",
            lambda t: {"year": "2021", "hourly_rate": "11,5"},
        ),
        "volunteering:yearly_rate_remove": Route(
            lambda t: t.url(
                "volunteering:yearly_rate_remove", rate_id=_witness_rate(t.association)
            ),
            "POST",
        ),
        "volunteering:dashboard": Route(lambda t: t.url("volunteering:dashboard")),
    }


# --- API (K) ---------------------------------------------------------------------------------
# Keys are the API routes under /api/v1/ with their {param} names. Requests carry the
# attacker's token and a JSON body.


def _api_hours_data(person=None) -> dict:
    from django.utils import timezone

    data = {"date": timezone.localdate().isoformat(), "hours": "1.5", "activity": "field"}
    if person is not None:
        data["person"] = person.pk
    return data


def _api_probes(Probe) -> dict:
    mission = lambda w: {"mission_id": _witness_mission(w.association)}  # noqa: E731
    application = lambda w: {"application_id": _witness_application(w.association)}  # noqa: E731
    pending = lambda w: {"hours_id": _witness_hours(w.person)}  # noqa: E731
    # JSON types, as the schema says (a form sends "1", the API takes 1).
    api_mission = _mission_form_data("Pirate") | {
        "skills": [],
        "cause": None,
        "volunteers_wanted": 1,
    }
    api = "associations/{slug}"
    return {
        # Public, no token: the witness mission is a draft, so it answers 404 to anyone,
        # the victim's as well as the attacker's own (hence 404 as the control). A
        # published mission is public by design; tests/test_mobilisation_api.py covers it.
        # Public: a draft (the probe's mission) is out of reach for anyone.
        "missions/{mission_id}": Probe(ids=mission, control_ok=frozenset({404}), public=True),
        f"{api}/missions": Probe(methods=("GET", "POST"), data=lambda w: api_mission),
        f"{api}/missions/{{mission_id}}": Probe(
            ids=mission, methods=("GET", "PATCH"), data=lambda w: {"title": "Pirate"}
        ),
        f"{api}/missions/{{mission_id}}/publish": Probe(ids=mission, methods=("POST",)),
        f"{api}/missions/{{mission_id}}/close": Probe(ids=mission, methods=("POST",)),
        f"{api}/applications": Probe(),
        f"{api}/applications/{{application_id}}": Probe(ids=application),
        f"{api}/applications/{{application_id}}/reply": Probe(
            ids=application, methods=("POST",), data=lambda w: {"body": "Pirate"}
        ),
        f"{api}/applications/{{application_id}}/accept": Probe(ids=application, methods=("POST",)),
        f"{api}/applications/{{application_id}}/decline": Probe(ids=application, methods=("POST",)),
        f"{api}/hours": Probe(methods=("GET", "POST"), data=lambda w: _api_hours_data(w.person)),
        f"{api}/hours/{{hours_id}}/validate": Probe(ids=pending, methods=("POST",)),
        f"{api}/hours/{{hours_id}}/reject": Probe(ids=pending, methods=("POST",)),
        f"{api}/valuation": Probe(),
    }
