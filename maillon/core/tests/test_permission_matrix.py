"""Every back-office route × every role, against the policy.

The expected answer is not written here: it comes from the permission the route's
view requires (``association_required`` sets ``required_permission`` on it) and from
the role's permissions in ``maillon.members.permissions``. A role holding the
permission gets the page (200) or is redirected after the action (302); any other role
gets 403. The routes are discovered from the resolver: a new back-office route with
no entry in ``ROUTES`` fails ``test_every_back_office_route_is_in_the_matrix``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from maillon.governance.tests.factories import assembly_objects
from maillon.members.models import MemberImport, Role
from maillon.members.permissions import permissions_for_roles
from maillon.members.tests.factories import (
    JoinRequestFactory,
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db

ROLES = [
    Role.MEMBER,
    Role.VOLUNTEER,
    Role.BOARD,
    Role.TREASURER,
    Role.SECRETARY,
    Role.STAFF,
    Role.PRESIDENT,
    Role.ADMIN,
]


def back_office_route_names() -> list[str]:
    def walk(patterns, prefix="", namespaces=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and "<slug:association_slug>" in prefix + str(
                pattern.pattern
            ):
                yield ":".join((*namespaces, pattern.name or "?"))

    return sorted(set(walk(get_resolver().url_patterns)))


@dataclass
class Targets:
    """The objects a route may name, in the association under test."""

    association: object
    person: object
    period: object
    join_request: object
    member_import: object

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"association_slug": self.association.slug, **kwargs})


@dataclass(frozen=True)
class Route:
    url: Callable[[Targets], str]
    method: str = "GET"
    data: Callable[[Targets], dict] = lambda t: {}


def _page(name: str) -> Route:
    return Route(lambda t: t.url(name))


def _person_page(name: str, method: str = "GET", data=lambda t: {}) -> Route:
    return Route(lambda t: t.url(name, person_id=t.person.pk), method, data)


def _import_page(name: str, method: str = "GET") -> Route:
    return Route(lambda t: t.url(name, import_id=t.member_import.pk), method)


ROUTES: dict[str, Route] = {
    "backoffice:dashboard": _page("backoffice:dashboard"),
    "backoffice:settings": _page("backoffice:settings"),
    "backoffice:statutes": _page("backoffice:statutes"),
    "backoffice:modules": _page("backoffice:modules"),
    "backoffice:audit": _page("backoffice:audit"),
    "members:list": _page("members:list"),
    "members:create": _page("members:create"),
    "members:export": Route(lambda t: t.url("members:export", file_format="xlsx")),
    "members:export_progress": Route(
        lambda t: t.url("members:export_progress", export_id=_member_export_id(t))
    ),
    "members:export_download": Route(
        lambda t: t.url("members:export_download", export_id=_member_export_id(t))
    ),
    "members:detail": _person_page("members:detail"),
    "members:edit": _person_page("members:edit"),
    "members:roles": _person_page(
        "members:roles", "POST", lambda t: {"roles": ["member", "volunteer"]}
    ),
    "members:leave": _person_page(
        "members:leave",
        "POST",
        lambda t: {"left_on": timezone.localdate().isoformat(), "confirm": "on"},
    ),
    "members:invite": _person_page(
        "members:invite", "POST", lambda t: {"email": "invite@example.org"}
    ),
    "members:fee_add": _person_page("members:fee_add"),
    "members:fee_delete": Route(
        lambda t: t.url("members:fee_delete", person_id=t.person.pk, period_id=t.period.pk),
        "POST",
    ),
    "members:join_requests": _page("members:join_requests"),
    "members:join_request_decide": Route(
        lambda t: t.url("members:join_request_decide", join_request_id=t.join_request.pk),
        "POST",
        lambda t: {"decision": "approve"},
    ),
    "members:import_upload": _page("members:import_upload"),
    "members:import_template": _page("members:import_template"),
    "members:import_mapping": _import_page("members:import_mapping"),
    "members:import_preview": _import_page("members:import_preview"),
    "members:import_confirm": _import_page("members:import_confirm", "POST"),
    "members:import_progress": _import_page("members:import_progress"),
    "members:import_discard": _import_page("members:import_discard", "POST"),
    "strategy:home": _page("strategy:home"),
    "strategy:diagnostic_start": Route(lambda t: t.url("strategy:diagnostic_start"), "POST"),
    "strategy:compare": _page("strategy:compare"),
    "strategy:diagnostic": Route(
        lambda t: t.url("strategy:diagnostic", diagnostic_id=_diagnostic_id(t, completed=False))
    ),
    "strategy:results": Route(
        lambda t: t.url("strategy:results", diagnostic_id=_diagnostic_id(t, completed=True))
    ),
    "strategy:diagnostic_section": Route(
        lambda t: t.url(
            "strategy:diagnostic_section",
            diagnostic_id=_diagnostic_id(t, completed=False),
            section="profile",
        )
    ),
    "strategy:diagnostic_complete": Route(
        lambda t: t.url(
            "strategy:diagnostic_complete", diagnostic_id=_diagnostic_id(t, completed=False)
        ),
        "POST",
    ),
    # The action plan, its indicators, the evaluation and the strategy document.
    "strategy:plan": _page("strategy:plan"),
    "strategy:action_adopt": Route(
        lambda t: t.url("strategy:action_adopt"),
        "POST",
        lambda t: {
            "diagnostic_id": _diagnostic_id(t, completed=True),
            "recommendation_code": "publish_missions",
        },
    ),
    "strategy:action_create": _page("strategy:action_create"),
    "strategy:action_edit": Route(lambda t: t.url("strategy:action_edit", **_plan_ids(t, "a"))),
    "strategy:action_status": Route(
        lambda t: t.url("strategy:action_status", **_plan_ids(t, "a")),
        "POST",
        lambda t: {"status": "in_progress"},
    ),
    "strategy:indicator_create": Route(
        lambda t: t.url("strategy:indicator_create", **_plan_ids(t, "a"))
    ),
    "strategy:indicators_refresh": Route(lambda t: t.url("strategy:indicators_refresh"), "POST"),
    "strategy:indicator_detail": Route(
        lambda t: t.url("strategy:indicator_detail", **_plan_ids(t, "i"))
    ),
    "strategy:indicator_edit": Route(
        lambda t: t.url("strategy:indicator_edit", **_plan_ids(t, "i"))
    ),
    "strategy:indicator_delete": Route(
        lambda t: t.url("strategy:indicator_delete", **_plan_ids(t, "i")), "POST"
    ),
    "strategy:measurement_add": Route(
        lambda t: t.url("strategy:measurement_add", **_plan_ids(t, "i"))
    ),
    "strategy:measurement_delete": Route(
        lambda t: t.url("strategy:measurement_delete", **_plan_ids(t, "im")), "POST"
    ),
    "strategy:evaluation": _page("strategy:evaluation"),
    "strategy:document": _page("strategy:document"),
    # Governance: assemblies (a convened witness assembly, made on first use).
    **{
        f"governance:{name}": Route(
            lambda t, name=name, keys=keys: t.url(
                f"governance:{name}",
                **{k: v for k, v in assembly_objects(t.association).items() if k in keys},
            ),
            method,
            data,
        )
        for name, keys, method, data in [
            ("assemblies", (), "GET", lambda t: {}),
            ("assembly_create", (), "GET", lambda t: {}),
            ("assembly", ("assembly_id",), "GET", lambda t: {}),
            ("assembly_edit", ("assembly_id",), "GET", lambda t: {}),
            ("assembly_convene", ("assembly_id",), "POST", lambda t: {}),
            ("assembly_remind", ("assembly_id",), "POST", lambda t: {}),
            ("assembly_open", ("assembly_id",), "POST", lambda t: {}),
            ("assembly_close", ("assembly_id",), "POST", lambda t: {}),
            ("assembly_approve_minutes", ("assembly_id",), "POST", lambda t: {}),
            ("assembly_quorum", ("assembly_id",), "GET", lambda t: {}),
            ("assembly_roll", ("assembly_id",), "GET", lambda t: {}),
            ("assembly_letters", ("assembly_id",), "GET", lambda t: {}),
            ("assembly_attendance_pdf", ("assembly_id",), "GET", lambda t: {}),
            ("attendance", ("assembly_id",), "GET", lambda t: {}),
            ("check_in", ("assembly_id",), "POST", lambda t: {}),
            ("agenda_item_create", ("assembly_id",), "GET", lambda t: {}),
            ("agenda_item_edit", ("assembly_id", "item_id"), "GET", lambda t: {}),
            ("agenda_item_delete", ("assembly_id", "item_id"), "POST", lambda t: {}),
            ("agenda_item_move", ("assembly_id", "item_id"), "POST", lambda t: {}),
            ("document_upload", ("assembly_id",), "GET", lambda t: {}),
            ("document_download", ("assembly_id", "document_id"), "GET", lambda t: {}),
            ("document_delete", ("assembly_id", "document_id"), "POST", lambda t: {}),
            ("proxy_give", ("assembly_id",), "POST", lambda t: {"holder": "unnamed"}),
            ("proxies", ("assembly_id",), "GET", lambda t: {}),
            ("proxy_record_paper", ("assembly_id",), "POST", lambda t: {}),
            ("proxy_revoke", ("assembly_id",), "POST", lambda t: {}),
            ("proxy_revoke_for_member", ("assembly_id", "proxy_id"), "POST", lambda t: {}),
        ]
    },
}


def _member_export_id(t: Targets) -> int:
    """A large export of the register, ready to download (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.members.models import MemberExport
    from maillon.members.tests.factories import ready_member_export

    with scopes_disabled():
        export = MemberExport.objects.filter(association=t.association).first()
    return (export or ready_member_export(t.association)).pk


def _plan_ids(t: Targets, which: str) -> dict:
    """Ids of an action ("a"), its indicator ("i") and a value ("m") of the
    association's plan (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.strategy.models import Action, Indicator, Measurement

    with scopes_disabled():
        action, _ = Action.objects.get_or_create(association=t.association, title="Action")
        indicator, _ = Indicator.objects.get_or_create(
            association=t.association, action=action, name="Indicateur", defaults={"target": 5}
        )
        measurement, _ = Measurement.objects.get_or_create(
            association=t.association, indicator=indicator, date=timezone.localdate(), value=1
        )
    ids = {"a": ("action_id", action.pk), "i": ("indicator_id", indicator.pk)}
    ids["m"] = ("measurement_id", measurement.pk)
    return dict(ids[key] for key in which)


def _diagnostic_id(t: Targets, *, completed: bool) -> int:
    """A diagnostic of the association, completed or in progress (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.strategy.models import Diagnostic, DiagnosticStatus

    status = DiagnosticStatus.COMPLETED if completed else DiagnosticStatus.IN_PROGRESS
    with scopes_disabled():
        diagnostic, _created = Diagnostic.objects.get_or_create(
            association=t.association,
            status=status,
            defaults={
                "questionnaire_version": 1,
                "completed_at": timezone.now() if completed else None,
            },
        )
    return diagnostic.pk


def _assembly_poll_id(t: Targets) -> int:
    """A published yes/no poll of the witness assembly (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.governance.models import Poll

    assembly_id = assembly_objects(t.association)["assembly_id"]
    with scopes_disabled():
        poll, _ = Poll.objects.get_or_create(
            association=t.association,
            assembly_id=assembly_id,
            title="Scrutin témoin",
            defaults={"kind": "yes_no", "status": "published", "result": {"kind": "yes_no"}},
        )
    return poll.pk


POLL_ROUTES: dict[str, Route] = {
    "governance:poll_create": Route(
        lambda t: t.url(
            "governance:poll_create", assembly_id=assembly_objects(t.association)["assembly_id"]
        )
    ),
    "governance:assembly_ballot": Route(
        lambda t: t.url(
            "governance:assembly_ballot",
            assembly_id=assembly_objects(t.association)["assembly_id"],
        )
    ),
    **{
        f"governance:{name}": Route(
            lambda t, name=name: t.url(f"governance:{name}", poll_id=_assembly_poll_id(t)), method
        )
        for name, method in (
            ("poll_detail", "GET"),
            ("poll_edit", "GET"),
            ("poll_delete", "POST"),
            ("poll_open", "POST"),
            ("poll_close", "POST"),
            ("poll_publish", "POST"),
            ("poll_vote", "POST"),
            ("poll_record", "GET"),
            ("poll_room_counts", "GET"),
            ("poll_results", "GET"),
            ("poll_results_csv", "GET"),
            ("poll_results_json", "GET"),
            ("poll_ballots", "GET"),
            ("poll_ballots_csv", "GET"),
            ("poll_verify", "GET"),
        )
    },
}
ROUTES.update(POLL_ROUTES)


def _consultation_ids(t: Targets) -> dict:
    """A proposal, an open quick poll and the witness assembly (made on first use)."""
    from django_scopes import scopes_disabled

    from maillon.governance.models import Poll, PollOption, Proposal

    with scopes_disabled():
        proposal, _ = Proposal.objects.get_or_create(
            association=t.association,
            title="Proposition",
            defaults={"author": t.person, "body": "…"},
        )
        poll, created = Poll.objects.get_or_create(
            association=t.association,
            assembly=None,
            title="Sondage",
            defaults={"kind": "approval", "is_secret": False, "status": "open"},
        )
        if created:
            PollOption.objects.bulk_create(
                PollOption(association=t.association, poll=poll, label=label, position=i)
                for i, label in enumerate(("Samedi", "Dimanche"))
            )
    return {
        "proposal_id": proposal.pk,
        "poll_id": poll.pk,
        "assembly_id": assembly_objects(t.association)["assembly_id"],
    }


# Governance: consultations, minutes and the CNIL wizard.
CONSULTATION_ROUTES: dict[str, Route] = {
    "governance:consultations": _page("governance:consultations"),
    "governance:proposal_create": _page("governance:proposal_create"),
    "governance:proposals_attach": Route(
        lambda t: t.url("governance:proposals_attach"),
        "POST",
        lambda t: {"assembly_id": assembly_objects(t.association)["assembly_id"]},
    ),
    "governance:quick_poll_create": _page("governance:quick_poll_create"),
    "governance:date_poll_create": _page("governance:date_poll_create"),
    **{
        f"governance:{name}": Route(
            lambda t, name=name, key=key: t.url(
                f"governance:{name}", **{key: _consultation_ids(t)[key]}
            ),
            method,
            data,
        )
        for name, key, method, data in [
            ("proposal_detail", "proposal_id", "GET", lambda t: {}),
            ("proposal_support", "proposal_id", "POST", lambda t: {}),
            ("proposal_unsupport", "proposal_id", "POST", lambda t: {}),
            ("proposal_comment", "proposal_id", "POST", lambda t: {"body": "D'accord."}),
            ("quick_poll_detail", "poll_id", "GET", lambda t: {}),
            ("quick_poll_answer", "poll_id", "POST", lambda t: {"options": []}),
            ("quick_poll_close", "poll_id", "POST", lambda t: {}),
            ("minutes_detail", "assembly_id", "GET", lambda t: {}),
            ("minutes_generate", "assembly_id", "POST", lambda t: {}),
            ("minutes_edit", "assembly_id", "GET", lambda t: {}),
            ("minutes_pdf", "assembly_id", "GET", lambda t: {}),
            ("cnil_wizard", "assembly_id", "GET", lambda t: {}),
        ]
    },
}
ROUTES.update(CONSULTATION_ROUTES)

# The mobilisation modules list their routes beside their own tests:
# ``maillon/<module>/tests/probes.py`` defines ``matrix_routes(Route) -> dict``; a route's
# ``url`` gets the Targets (``t.association``, ``t.person``, ``t.url(name, **kwargs)``)
# and makes the module's objects it names on first use.
for _module in (
    "volunteering",
    "events",
    "communication",
    "observatory",
    "members",
    "payments",
    "funding",
    "network",
):
    ROUTES.update(import_module(f"maillon.{_module}.tests.probes").matrix_routes(Route))


ROUTE_NAMES = back_office_route_names()


def test_every_back_office_route_is_in_the_matrix():
    missing = [name for name in ROUTE_NAMES if name not in ROUTES]
    assert not missing, "add " + ", ".join(missing) + " to ROUTES in test_permission_matrix.py"


def expected_allowed(path: str, role: str) -> bool:
    view = resolve(path).func
    assert hasattr(view, "required_permission"), (
        f"{path}: the view is not protected by association_required"
    )
    required = view.required_permission
    return required is None or required in permissions_for_roles([role])


@pytest.fixture(scope="module")
def module_client():
    # Building a client's middleware chain is slow (WhiteNoise scans the static files):
    # one client serves the module; each test starts with no cookies.
    return Client()


@pytest.fixture
def http(module_client):
    module_client.cookies.clear()
    yield module_client
    module_client.cookies.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded documents of the targets


@pytest.fixture
def targets(association):
    PersonFactory(association=association, roles=[Role.ADMIN])  # someone stays administrator
    person = PersonFactory(association=association, user=None)
    return Targets(
        association=association,
        person=person,
        period=MembershipPeriodFactory(person=person),
        join_request=JoinRequestFactory(association=association),
        member_import=MemberImport.objects.create(
            association=association,
            file_name="adherents.csv",
            file_format="csv",
            headers=["Nom", "Prénom"],
            rows=[{"line": 2, "cells": ["Martin", "Léa"]}],
            total_rows=1,
        ),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route_answers_each_role_as_the_policy_says(name, role, targets, association, http):
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"add {name} to ROUTES")
    client = http
    client.force_login(member_with_account(association, [role]))
    path = route.url(targets)

    if route.method == "POST":
        response = client.post(path, route.data(targets))
    else:
        response = client.get(path)

    if expected_allowed(path, role):
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


def test_the_policy_gives_the_bureau_more_than_members():
    """A few lines of the policy, as the associations read it."""
    member = permissions_for_roles([Role.MEMBER])
    # A plain member sees their space, takes part in decisions and logs the volunteer
    # hours they give, nothing more.
    assert member == {"association.view", "governance.take_part", "volunteering.log_hours"}
    volunteer = permissions_for_roles([Role.VOLUNTEER])
    assert volunteer == {"association.view", "volunteering.log_hours"}
    # The treasurer values volunteer time for the accounts; only managers publish missions.
    assert "volunteering.hours" in permissions_for_roles([Role.TREASURER])
    assert "volunteering.manage" not in permissions_for_roles([Role.TREASURER])
    assert "members.fees" in permissions_for_roles([Role.TREASURER])
    assert "members.manage" not in permissions_for_roles([Role.TREASURER])
    assert "members.fees" not in permissions_for_roles([Role.STAFF])
    assert "audit.view" in permissions_for_roles([Role.PRESIDENT])
    assert "audit.view" not in permissions_for_roles([Role.SECRETARY])
    assert permissions_for_roles([Role.BOARD, Role.TREASURER]) == permissions_for_roles(
        [Role.TREASURER]
    ) | {"members.view"}
    assert permissions_for_roles(["unknown"]) == frozenset()
