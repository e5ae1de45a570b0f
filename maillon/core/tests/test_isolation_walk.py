"""Tenant isolation, walked over EVERY URL of the project.

The administrator of one association (the attacker) tries every back-office page and
every API path with another association's (the victim's) slug, then with their own
slug and the victim's object ids. Outsiders get 404 for objects (403 or 404 for pages
without an object): they cannot even learn that an object exists. Writes are tried as
well, and the victim's data must be exactly as before.

The URLs are discovered from the resolver, not listed by hand: a new back-office page
or API path without an entry in ``PROBES`` fails ``test_every_tenant_url_has_a_probe``
(and its own case below) with "add a probe for ...". A probe says how to fill the URL
from an association's objects, which methods the view answers and what to send.
Each probe also runs once on the attacker's OWN objects and must then NOT answer 404:
this proves the URL it builds reaches a real object, so a 404 for the victim means
isolation, not a broken probe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.associations.models import Association
from maillon.associations.tests.factories import AssociationFactory
from maillon.governance.tests.factories import assembly_objects
from maillon.members.models import MemberImport, Role
from maillon.members.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
    ready_member_export,
)
from maillon.strategy.models import Diagnostic, DiagnosticAnswer, DiagnosticStatus

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"
BACKOFFICE_MARK = "association_slug"  # in path() and re_path() patterns alike
TENANT_PARAMS = ("association_slug", "slug")
PARAM_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


# --- discovering the URLs -------------------------------------------------------------------


@dataclass(frozen=True)
class TenantURL:
    key: str  # "members:detail", or "associations/{slug}/members" for the API
    route: str  # full route, e.g. "a/<slug:association_slug>/members/<int:person_id>/"
    is_api: bool

    @property
    def tenant_param(self) -> str | None:
        """The association's slug parameter (an API path may have none, e.g. one under
        /me/ naming the caller's own objects)."""
        return next((p for p in self.params if p in TENANT_PARAMS), None)

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM_RE.finditer(self.route)]

    def object_params(self, probe: Probe) -> list[str]:
        """Parameters naming an association's object (not the slug, not e.g. a format)."""
        return [p for p in self.params if p not in TENANT_PARAMS and p not in probe.fixed]

    def fill(self, probe: Probe, slug_of: World, ids: dict) -> str:
        """The URL with ``slug_of``'s slug and the given object ids."""
        values = {**probe.fixed, **ids}
        if self.tenant_param:
            values[self.tenant_param] = slug_of.association.slug
        return "/" + PARAM_RE.sub(lambda m: str(values[m.group("name")]), self.route)


def _walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join((*namespaces, pattern.name or "?"))


def tenant_urls() -> list[TenantURL]:
    """Back-office URLs (carrying the association's slug) and API paths with a
    parameter (an association's slug or an object id), each once."""
    found: dict[str, TenantURL] = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and "<" in route:
            key = PARAM_RE.sub(lambda m: "{" + m.group("name") + "}", route[len(API_PREFIX) :])
            # django-ninja adds one pattern per operation; the route is what matters.
            found.setdefault(key, TenantURL(key=key, route=route, is_api=True))
        elif BACKOFFICE_MARK in route:
            found[name] = TenantURL(key=name, route=route, is_api=False)
    return sorted(found.values(), key=lambda u: u.key)


TENANT_URLS = tenant_urls()


# --- an association with one object of each kind --------------------------------------------------


@dataclass
class World:
    association: Association
    admin: object
    token: str
    person: object
    period: object
    join_request: object
    member_import: object
    diagnostic: object = None  # completed
    open_diagnostic: object = None  # in progress
    action: object = None  # of the action plan, with an indicator and a measurement
    indicator: object = None
    measurement: object = None
    assembly_ids: dict = field(default_factory=dict)  # governance: assembly and its objects
    member_export: object = None  # a large export, ready to download


def build_world(association: Association, admin_email: str) -> World:
    admin = member_with_account(association, [Role.ADMIN, Role.MEMBER], email=admin_email)
    person = PersonFactory(association=association, first_name="Objet", last_name="Témoin")
    period = MembershipPeriodFactory(person=person)
    InvitationFactory(person=PersonFactory(association=association, user=None))
    join_request = JoinRequestFactory(association=association)
    member_import = MemberImport.objects.create(
        association=association,
        created_by=admin,
        file_name="adherents.csv",
        file_format="csv",
        encoding="utf-8",
        delimiter=";",
        headers=["Nom", "Prénom", "Email"],
        rows=[{"line": 2, "cells": ["Martin", "Léa", "lea@example.org"]}],
        total_rows=1,
    )
    _token, raw = api_token_create(user=admin, name="walk")
    world = World(association, admin, raw, person, period, join_request, member_import)
    world.diagnostic, world.open_diagnostic = _diagnostics(association, admin)
    world.action, world.indicator, world.measurement = _plan_objects(association)
    world.assembly_ids = assembly_objects(association)
    world.member_export = ready_member_export(association, admin)
    _consultation_ids(world)  # a proposal and a quick poll
    _assembly_poll_ids(world)  # a published poll of the witness assembly
    for status in ("open", "closed"):  # polls of the API probes
        _api_poll_ids(world, status)
    return world


def _diagnostics(association: Association, admin) -> tuple:
    """A completed diagnostic (with an answer) and one in progress."""
    with scopes_disabled():
        done = Diagnostic.objects.create(
            association=association,
            questionnaire_version=1,
            status=DiagnosticStatus.COMPLETED,
            completed_at=timezone.now(),
            started_by=admin,
        )
        DiagnosticAnswer.objects.create(
            association=association, diagnostic=done, question_id="profile.size_band", value="none"
        )
        in_progress = Diagnostic.objects.create(
            association=association, questionnaire_version=1, started_by=admin
        )
    return done, in_progress


def _plan_objects(association: Association) -> tuple:
    """An action of the plan, an indicator entered by hand and one of its values."""
    from maillon.strategy.models import Action, Indicator, Measurement

    with scopes_disabled():
        action = Action.objects.create(association=association, title="Action témoin")
        indicator = Indicator.objects.create(
            association=association, action=action, name="Indicateur témoin", target=10
        )
        measurement = Measurement.objects.create(
            association=association, indicator=indicator, date=timezone.localdate(), value=3
        )
    return action, indicator, measurement


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded documents of the worlds


@pytest.fixture
def victim(db):
    return build_world(AssociationFactory(slug="victime", name="Victime"), "admin@victime.example")


@pytest.fixture
def attacker(db):
    return build_world(
        AssociationFactory(slug="attaquant", name="Attaquant"), "admin@attaquant.example"
    )


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


def tenant_snapshot(association: Association) -> dict:
    """Every row of every tenant-owned model of ``association`` (models found by their
    ``association`` foreign key, so new modules are covered without editing this)."""
    snapshot = {"association": list(Association.objects.filter(pk=association.pk).values())}
    with scopes_disabled():
        for model in apps.get_models():
            fk = next(
                (
                    f
                    for f in model._meta.get_fields()
                    if f.name == "association"
                    and isinstance(f, models.ForeignKey | models.OneToOneField)
                ),
                None,
            )
            if fk is not None and fk.related_model is Association:
                rows = model._base_manager.filter(association=association).order_by("pk").values()
                snapshot[model._meta.label] = list(rows)
    return snapshot


# --- probes ---------------------------------------------------------------------------------


def _today() -> str:
    return timezone.localdate().isoformat()


def _csv_upload(_w: World) -> dict:
    return {"file": SimpleUploadedFile("pirate.csv", b"Nom;Prenom\nPirate;Jack\n", "text/csv")}


@dataclass(frozen=True)
class Probe:
    """How to reach one URL with an association's objects."""

    ids: Callable[[World], dict] = lambda w: {}
    # Parameters that name no object of the association, e.g. {"file_format": "csv"}.
    fixed: dict = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)
    data: Callable[[World], dict] = lambda w: {}
    # For the own-objects check: statuses that prove the URL reached a real object.
    control_ok: frozenset[int] = field(default_factory=lambda: frozenset({200, 201, 302}))
    # A public API path (e.g. a published mission): no token needed, but another
    # association's unpublished objects must still be out of reach.
    public: bool = False


PERSON = lambda w: {"person_id": w.person.pk}  # noqa: E731
IMPORT = lambda w: {"import_id": w.member_import.pk}  # noqa: E731
ACTION = lambda w: {"action_id": w.action.pk}  # noqa: E731
INDICATOR = lambda w: {"indicator_id": w.indicator.pk}  # noqa: E731
MANUAL_INDICATOR = {"name": "Pirate", "source": "manual", "target": "1"}


def _consultation_ids(w: World) -> dict:
    """A member proposal and a quick poll of the association (made on first use)."""
    from maillon.governance.models import Poll, PollOption, Proposal

    with scopes_disabled():
        author = w.person
        proposal, _ = Proposal.objects.get_or_create(
            association=w.association,
            title="Proposition témoin",
            defaults={"author": author, "body": "…"},
        )
        poll, created = Poll.objects.get_or_create(
            association=w.association,
            assembly=None,
            title="Sondage témoin",
            defaults={"kind": "approval", "is_secret": False, "status": "open"},
        )
        if created:
            PollOption.objects.bulk_create(
                PollOption(association=w.association, poll=poll, label=label, position=i)
                for i, label in enumerate(("Samedi", "Dimanche"))
            )
    return {"proposal_id": proposal.pk, "poll_id": poll.pk}


PROPOSAL = lambda w: {"proposal_id": _consultation_ids(w)["proposal_id"]}  # noqa: E731
QUICK_POLL = lambda w: {"poll_id": _consultation_ids(w)["poll_id"]}  # noqa: E731
MINUTES = lambda w: {"assembly_id": w.assembly_ids["assembly_id"]}  # noqa: E731


def _assembly_poll_ids(w: World) -> dict:
    """A published yes/no poll of the witness assembly (made on first use)."""
    from maillon.governance.models import Poll

    with scopes_disabled():
        poll, _ = Poll.objects.get_or_create(
            association=w.association,
            assembly_id=w.assembly_ids["assembly_id"],
            title="Scrutin témoin",
            defaults={"kind": "yes_no", "status": "published", "result": {"kind": "yes_no"}},
        )
    return {"poll_id": poll.pk}


def _api_poll_ids(w: World, status: str) -> dict:
    """A yes/no poll of the witness assembly in ``status`` (made on first use)."""
    from maillon.governance.models import Poll

    with scopes_disabled():
        poll, _ = Poll.objects.get_or_create(
            association=w.association,
            assembly_id=w.assembly_ids["assembly_id"],
            title=f"Vote témoin ({status})",
            defaults={"kind": "yes_no", "status": status},
        )
    return {"poll_id": poll.pk}


PROBES: dict[str, Probe] = {
    # Association back-office.
    "backoffice:dashboard": Probe(),
    "backoffice:settings": Probe(
        methods=("GET", "POST"),
        data=lambda w: {"name": "Piraté", "size_band": "none", "time_zone": "Europe/Paris"},
    ),
    "backoffice:statutes": Probe(
        methods=("GET", "POST"),
        data=lambda w: {
            "ag_notice_days": 1,
            "quorum_fraction": "0",
            "ordinary_majority": "simple",
            "extraordinary_majority": "simple",
            "max_proxies_per_holder": 99,
            "voting_eligibility": "all_members",
        },
    ),
    "backoffice:modules": Probe(methods=("GET", "POST"), data=lambda w: {"modules": ["events"]}),
    "backoffice:audit": Probe(),
    # Member register.
    "members:list": Probe(),
    "members:create": Probe(
        methods=("GET", "POST"),
        data=lambda w: {"first_name": "Pirate", "last_name": "Jack", "roles": ["admin"]},
    ),
    "members:export": Probe(fixed={"file_format": "csv"}, methods=("GET", "POST")),
    "members:export_progress": Probe(ids=lambda w: {"export_id": w.member_export.pk}),
    "members:export_download": Probe(ids=lambda w: {"export_id": w.member_export.pk}),
    "members:detail": Probe(ids=PERSON),
    "members:edit": Probe(
        ids=PERSON,
        methods=("GET", "POST"),
        data=lambda w: {"first_name": "Pirate", "last_name": "Jack", "joined_on": "2020-01-01"},
    ),
    "members:roles": Probe(ids=PERSON, methods=("POST",), data=lambda w: {"roles": ["admin"]}),
    "members:leave": Probe(
        ids=PERSON, methods=("POST",), data=lambda w: {"left_on": _today(), "confirm": "on"}
    ),
    "members:invite": Probe(
        ids=PERSON, methods=("POST",), data=lambda w: {"email": "pirate@example.org"}
    ),
    "members:fee_add": Probe(
        ids=PERSON,
        methods=("GET", "POST"),
        data=lambda w: {"start": "2020-01-01", "end": "2020-12-31", "amount": "1"},
    ),
    "members:fee_delete": Probe(
        ids=lambda w: {"person_id": w.person.pk, "period_id": w.period.pk}, methods=("POST",)
    ),
    "members:join_requests": Probe(),
    "members:join_request_decide": Probe(
        ids=lambda w: {"join_request_id": w.join_request.pk},
        methods=("POST",),
        data=lambda w: {"decision": "approve"},
    ),
    # Member import (pages of the import module).
    "members:import_upload": Probe(methods=("GET", "POST"), data=_csv_upload),
    "members:import_template": Probe(),
    "members:import_mapping": Probe(
        ids=IMPORT,
        methods=("GET", "POST"),
        data=lambda w: {"column_0": "last_name", "column_1": "first_name", "column_2": "email"},
    ),
    "members:import_preview": Probe(ids=IMPORT),
    "members:import_confirm": Probe(
        ids=IMPORT, methods=("POST",), data=lambda w: {"skip_invalid_rows": "on"}
    ),
    "members:import_progress": Probe(ids=IMPORT),
    "members:import_discard": Probe(ids=IMPORT, methods=("POST",)),
    # Digital strategy: the diagnostic.
    "strategy:home": Probe(),
    "strategy:diagnostic_start": Probe(methods=("POST",)),
    "strategy:compare": Probe(),
    "strategy:diagnostic": Probe(ids=lambda w: {"diagnostic_id": w.open_diagnostic.pk}),
    "strategy:results": Probe(ids=lambda w: {"diagnostic_id": w.diagnostic.pk}),
    "strategy:diagnostic_section": Probe(
        ids=lambda w: {"diagnostic_id": w.open_diagnostic.pk},
        fixed={"section": "profile"},
        methods=("GET", "POST"),
        data=lambda w: {"action": "save", "q-profile-size_band": "50+"},
    ),
    "strategy:diagnostic_complete": Probe(
        ids=lambda w: {"diagnostic_id": w.open_diagnostic.pk}, methods=("POST",)
    ),
    # Digital strategy: the action plan, its indicators, the evaluation, the document.
    "strategy:plan": Probe(),
    "strategy:action_adopt": Probe(
        methods=("POST",),
        data=lambda w: {
            "diagnostic_id": w.diagnostic.pk,
            "recommendation_code": "publish_missions",
        },
    ),
    "strategy:action_create": Probe(methods=("GET", "POST"), data=lambda w: {"title": "Pirate"}),
    "strategy:action_edit": Probe(
        ids=ACTION, methods=("GET", "POST"), data=lambda w: {"title": "Piraté"}
    ),
    "strategy:action_status": Probe(
        ids=ACTION, methods=("POST",), data=lambda w: {"status": "dropped"}
    ),
    "strategy:indicator_create": Probe(
        ids=ACTION, methods=("GET", "POST"), data=lambda w: {**MANUAL_INDICATOR}
    ),
    "strategy:indicators_refresh": Probe(methods=("POST",)),
    "strategy:indicator_detail": Probe(ids=INDICATOR),
    "strategy:indicator_edit": Probe(
        ids=INDICATOR, methods=("GET", "POST"), data=lambda w: {**MANUAL_INDICATOR}
    ),
    "strategy:indicator_delete": Probe(ids=INDICATOR, methods=("POST",)),
    "strategy:measurement_add": Probe(
        ids=INDICATOR, methods=("GET", "POST"), data=lambda w: {"date": _today(), "value": "99"}
    ),
    "strategy:measurement_delete": Probe(
        ids=lambda w: {"indicator_id": w.indicator.pk, "measurement_id": w.measurement.pk},
        methods=("POST",),
    ),
    "strategy:evaluation": Probe(),
    "strategy:document": Probe(),
    # Governance: assemblies.
    **{
        f"governance:{name}": Probe(
            ids=lambda w, keys=keys: {k: w.assembly_ids[k] for k in keys},
            methods=methods,
            data=data,
        )
        for name, keys, methods, data in [
            ("assemblies", (), ("GET",), lambda w: {}),
            ("assembly_create", (), ("GET", "POST"), lambda w: {"title": "Pirate"}),
            ("assembly", ("assembly_id",), ("GET",), lambda w: {}),
            ("assembly_edit", ("assembly_id",), ("GET", "POST"), lambda w: {"title": "Pirate"}),
            ("assembly_convene", ("assembly_id",), ("POST",), lambda w: {}),
            ("assembly_remind", ("assembly_id",), ("POST",), lambda w: {}),
            ("assembly_open", ("assembly_id",), ("POST",), lambda w: {}),
            ("assembly_close", ("assembly_id",), ("POST",), lambda w: {}),
            ("assembly_approve_minutes", ("assembly_id",), ("POST",), lambda w: {}),
            ("assembly_quorum", ("assembly_id",), ("GET",), lambda w: {}),
            ("assembly_roll", ("assembly_id",), ("GET", "POST"), lambda w: {}),
            ("assembly_letters", ("assembly_id",), ("GET",), lambda w: {}),
            ("assembly_attendance_pdf", ("assembly_id",), ("GET",), lambda w: {}),
            (
                "attendance",
                ("assembly_id",),
                ("GET", "POST"),
                lambda w: {"entry": w.assembly_ids["entry_id"]},
            ),
            ("check_in", ("assembly_id",), ("POST",), lambda w: {}),
            ("agenda_item_create", ("assembly_id",), ("GET", "POST"), lambda w: {"title": "X"}),
            (
                "agenda_item_edit",
                ("assembly_id", "item_id"),
                ("GET", "POST"),
                lambda w: {"title": "Pirate"},
            ),
            ("agenda_item_delete", ("assembly_id", "item_id"), ("POST",), lambda w: {}),
            (
                "agenda_item_move",
                ("assembly_id", "item_id"),
                ("POST",),
                lambda w: {"direction": "down"},
            ),
            (
                "document_upload",
                ("assembly_id",),
                ("GET", "POST"),
                lambda w: {
                    "title": "Pirate",
                    "file": SimpleUploadedFile("p.pdf", b"%PDF-1.4", "application/pdf"),
                },
            ),
            ("document_download", ("assembly_id", "document_id"), ("GET",), lambda w: {}),
            ("document_delete", ("assembly_id", "document_id"), ("POST",), lambda w: {}),
            ("proxy_give", ("assembly_id",), ("POST",), lambda w: {"holder": "unnamed"}),
            ("proxies", ("assembly_id",), ("GET",), lambda w: {}),
            (
                "proxy_record_paper",
                ("assembly_id",),
                ("POST",),
                lambda w: {"paper-giver": w.assembly_ids["entry_id"]},
            ),
            ("proxy_revoke", ("assembly_id",), ("POST",), lambda w: {}),
            ("proxy_revoke_for_member", ("assembly_id", "proxy_id"), ("POST",), lambda w: {}),
        ]
    },
    # Governance: polls of an assembly (a published witness poll).
    "governance:poll_create": Probe(
        ids=lambda w: {"assembly_id": w.assembly_ids["assembly_id"]},
        methods=("GET", "POST"),
        data=lambda w: {"title": "Pirate"},
    ),
    "governance:assembly_ballot": Probe(
        ids=lambda w: {"assembly_id": w.assembly_ids["assembly_id"]}
    ),
    **{
        f"governance:{name}": Probe(ids=_assembly_poll_ids, methods=methods, data=data)
        for name, methods, data in (
            ("poll_detail", ("GET",), lambda w: {}),
            ("poll_edit", ("GET", "POST"), lambda w: {"title": "Pirate"}),
            ("poll_delete", ("POST",), lambda w: {}),
            ("poll_open", ("POST",), lambda w: {}),
            ("poll_close", ("POST",), lambda w: {}),
            ("poll_publish", ("POST",), lambda w: {}),
            ("poll_vote", ("POST",), lambda w: {"idempotency_key": "pirate"}),
            ("poll_record", ("GET", "POST"), lambda w: {}),
            ("poll_room_counts", ("GET", "POST"), lambda w: {"count_yes": "99"}),
            ("poll_results", ("GET",), lambda w: {}),
            ("poll_results_csv", ("GET",), lambda w: {}),
            ("poll_results_json", ("GET",), lambda w: {}),
            ("poll_ballots", ("GET",), lambda w: {}),
            ("poll_ballots_csv", ("GET",), lambda w: {}),
            ("poll_verify", ("GET",), lambda w: {}),
        )
    },
    # Governance: consultations (proposals, quick polls), minutes, CNIL wizard.
    "governance:consultations": Probe(),
    "governance:proposal_create": Probe(
        methods=("GET", "POST"), data=lambda w: {"title": "Pirate", "body": "Pirate"}
    ),
    "governance:proposals_attach": Probe(
        methods=("POST",), data=lambda w: {"assembly_id": w.assembly_ids["assembly_id"]}
    ),
    "governance:proposal_detail": Probe(ids=PROPOSAL),
    "governance:proposal_support": Probe(ids=PROPOSAL, methods=("POST",)),
    "governance:proposal_unsupport": Probe(ids=PROPOSAL, methods=("POST",)),
    "governance:proposal_comment": Probe(
        ids=PROPOSAL, methods=("POST",), data=lambda w: {"body": "Pirate"}
    ),
    "governance:quick_poll_create": Probe(
        methods=("GET", "POST"), data=lambda w: {"title": "Pirate", "options": "A\nB"}
    ),
    "governance:date_poll_create": Probe(
        methods=("GET", "POST"), data=lambda w: {"title": "Pirate", "dates": "2099-01-01 10:00"}
    ),
    "governance:quick_poll_detail": Probe(ids=QUICK_POLL),
    "governance:quick_poll_answer": Probe(
        ids=QUICK_POLL, methods=("POST",), data=lambda w: {"options": []}
    ),
    "governance:quick_poll_close": Probe(ids=QUICK_POLL, methods=("POST",)),
    "governance:minutes_detail": Probe(ids=MINUTES),
    "governance:minutes_generate": Probe(ids=MINUTES, methods=("POST",)),
    "governance:minutes_edit": Probe(
        ids=MINUTES,
        methods=("GET", "POST"),
        data=lambda w: {"body": "Pirate", "president_name": "", "secretary_name": ""},
    ),
    "governance:minutes_pdf": Probe(ids=MINUTES),
    "governance:cnil_wizard": Probe(
        ids=MINUTES, methods=("GET", "POST"), data=lambda w: {"can_postpone": "no"}
    ),
    # REST API (token auth).
    "associations/{slug}": Probe(),
    "associations/{slug}/members": Probe(
        methods=("GET", "POST"),
        data=lambda w: {"first_name": "Pirate", "last_name": "Jack", "roles": ["admin"]},
    ),
    "associations/{slug}/members/{person_id}": Probe(
        ids=PERSON, methods=("GET", "PATCH"), data=lambda w: {"first_name": "Pirate"}
    ),
    "associations/{slug}/assemblies": Probe(),
    "associations/{slug}/assemblies/{assembly_id}": Probe(ids=MINUTES),
    "associations/{slug}/polls/{poll_id}": Probe(ids=lambda w: _api_poll_ids(w, "open")),
    # 400 (no Idempotency-Key) is answered only once the poll is found.
    "associations/{slug}/polls/{poll_id}/ballots": Probe(
        ids=lambda w: _api_poll_ids(w, "open"),
        methods=("POST",),
        data=lambda w: {"choice": "yes", "on_behalf_of": w.assembly_ids["entry_id"]},
        control_ok=frozenset({400}),
    ),
    "associations/{slug}/polls/{poll_id}/results": Probe(ids=lambda w: _api_poll_ids(w, "closed")),
}

# The mobilisation modules keep their probes beside their own tests:
# ``maillon/<module>/tests/probes.py`` defines ``isolation_probes(Probe) -> dict``, whose
# ``ids`` functions make the module's objects in ``w.association`` on first use.
MODULES_WITH_PROBES = (
    "volunteering",
    "events",
    "communication",
    "observatory",
    "members",
    "payments",
    "funding",
    "network",
)
for _module in MODULES_WITH_PROBES:
    PROBES.update(import_module(f"maillon.{_module}.tests.probes").isolation_probes(Probe))


# --- sending requests -------------------------------------------------------------------------


def send(client: Client, url: TenantURL, method: str, path: str, data: dict, token: str):
    if url.is_api:
        headers = {"Authorization": f"Bearer {token}"}
        if method == "GET":
            return client.get(path, headers=headers)
        return client.generic(
            method, path, json.dumps(data), content_type="application/json", headers=headers
        )
    if method == "GET":
        return client.get(path)
    return client.post(path, data)


def attempts(url: TenantURL, probe: Probe, victim: World, attacker: World):
    """(label, path) of every way to reach the victim's data from the attacker's seat."""
    victim_ids, own_ids = probe.ids(victim), probe.ids(attacker)
    object_params = url.object_params(probe)
    if url.tenant_param:
        yield "victim's slug", url.fill(probe, victim, victim_ids)
    if object_params:
        label = "own slug, victim's ids" if url.tenant_param else "victim's ids"
        yield label, url.fill(probe, attacker, victim_ids)
    if len(object_params) > 1:
        for name in object_params:
            mixed = {**own_ids, name: victim_ids[name]}
            yield f"own slug and ids, victim's {name}", url.fill(probe, attacker, mixed)


# --- the tests ----------------------------------------------------------------------------------


def test_the_walk_finds_the_back_office_and_the_api():
    keys = {u.key for u in TENANT_URLS}
    assert {"backoffice:dashboard", "members:detail", "members:fee_delete"} <= keys
    assert any(u.is_api for u in TENANT_URLS), "the API paths were not found"
    regex_routes = [u.key for u in TENANT_URLS if "(?P<" in u.route]
    assert not regex_routes, f"give {regex_routes} a path() route so the walk can fill it"


def test_every_tenant_url_has_a_probe():
    missing = [u.key for u in TENANT_URLS if u.key not in PROBES]
    assert not missing, (
        "add a probe for " + ", ".join(missing) + " in PROBES (maillon/core/tests/"
        "test_isolation_walk.py): every page and API path carrying an association or an "
        "object must be walked by the isolation test."
    )


def test_every_probe_fills_all_the_parameters_of_its_url(victim):
    for url in TENANT_URLS:
        probe = PROBES.get(url.key)
        if probe is not None:
            filled = {*probe.fixed, *probe.ids(victim)} | {url.tenant_param} - {None}
            assert filled == set(url.params), url.key


@pytest.mark.parametrize("url", TENANT_URLS, ids=lambda u: u.key)
def test_an_outsider_never_reaches_another_associations_data(url, victim, attacker, http):
    probe = PROBES.get(url.key)
    if probe is None:
        pytest.fail(f"add a probe for {url.key} ({url.route}) in PROBES")
    client = http
    client.force_login(attacker.admin)
    refused = {404} if url.object_params(probe) else {403, 404}
    # Probes make their objects on first use: build every path (and the data to send,
    # once for nothing) before the snapshot, so only the attacker's requests change it.
    paths = list(attempts(url, probe, victim, attacker))
    probe.data(victim)
    before = tenant_snapshot(victim.association)

    for label, path in paths:
        for method in probe.methods:
            response = send(client, url, method, path, probe.data(victim), attacker.token)
            assert response.status_code in refused, (
                f"{method} {path} ({label}) answered {response.status_code}, "
                f"expected {sorted(refused)}"
            )
            assert victim.association.name.encode() not in response.content

    assert tenant_snapshot(victim.association) == before, f"{url.key} changed the victim's data"

    # The same probe on the attacker's own objects reaches them: the 404s above are
    # isolation, not a URL that leads nowhere.
    own = url.fill(probe, attacker, probe.ids(attacker))
    for method in probe.methods:
        response = send(client, url, method, own, probe.data(attacker), attacker.token)
        assert response.status_code in probe.control_ok, (
            f"{method} {own} on the attacker's own objects answered {response.status_code}: "
            "the probe does not build a working URL"
        )


def test_the_api_refuses_requests_without_a_valid_token(victim):
    client = Client()
    for url in (u for u in TENANT_URLS if u.is_api and u.key in PROBES):
        if PROBES[url.key].public:
            continue
        path = url.fill(PROBES[url.key], victim, PROBES[url.key].ids(victim))
        # A path may answer one method only (e.g. POST .../ballots): use the probe's first.
        method = getattr(client, PROBES[url.key].methods[0].lower())
        assert method(path).status_code == 401
        response = method(path, headers={"Authorization": "Bearer mln_forged"})
        assert response.status_code == 401


def test_my_associations_in_the_api_never_list_anothers(victim, attacker):
    response = Client().get(
        "/api/v1/me/associations", headers={"Authorization": f"Bearer {attacker.token}"}
    )
    assert [a["slug"] for a in response.json()] == ["attaquant"]


def test_the_back_office_asks_an_anonymous_visitor_to_sign_in_and_hides_unknown_slugs(victim):
    client = Client()
    dashboard = "/a/victime/"
    assert client.get(dashboard).status_code == 302
    assert client.get("/a/does-not-exist/").status_code == 404
    client.force_login(victim.admin)
    assert client.get(dashboard).status_code == 200
    # A former member is an outsider again.
    with scopes_disabled():
        person = victim.admin.people.get()
    person.left_on = timezone.localdate()
    person.save()
    assert client.get(dashboard).status_code == 404
