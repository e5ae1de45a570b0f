"""Help requests through the API: create (idempotent), change, close, and the helpers
suggested for a request; permissions (as the pages) and isolation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import HelpRequest

from .matching.helpers import company, employee, help_request, network_with_staff, skills, volunteer

pytestmark = pytest.mark.django_db


def _headers(user, **extra) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}", **extra}


@pytest.fixture
def headers(admin_user):
    return _headers(admin_user)


def _base(association) -> str:
    return f"/api/v1/associations/{association.slug}/help-requests"


def test_create_change_and_close_a_help_request(client, association, headers):
    two = skills(2)
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    body = {
        "title": "Refaire notre site",
        "need": "Le site date de 2012.\nIl ne permet pas l’adhésion en ligne.",
        "deliverable": "Un site à jour.",
        "skills": [s.code for s in two],
        "format": "remote",
        "hours_estimate": "12.5",
        "deadline": deadline.isoformat(),
        "audiences": ["volunteers", "companies"],
    }
    keyed = {**headers, "Idempotency-Key": "site-2026"}
    created = client.post(_base(association), body, content_type="application/json", headers=keyed)
    assert created.status_code == 201, created.content
    again = client.post(_base(association), body, content_type="application/json", headers=keyed)
    assert again.json()["id"] == created.json()["id"]
    with scopes_disabled():
        assert HelpRequest.objects.filter(association=association).count() == 1
    answer = created.json()
    assert answer["skills"] == [s.code for s in two] and answer["status"] == "open"
    url = f"{_base(association)}/{answer['id']}"

    changed = client.patch(
        url, {"format": "on_site", "skills": []}, content_type="application/json", headers=headers
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["format"] == "on_site" and changed.json()["skills"] == []
    assert changed.json()["title"] == "Refaire notre site"

    closed = client.post(f"{url}/close", headers=headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"{url}/close", headers=headers).status_code == 409
    late = client.patch(
        url, {"title": "Trop tard"}, content_type="application/json", headers=headers
    )
    assert late.status_code == 409
    with scopes_disabled():
        actions = list(
            AuditEntry.objects.filter(association=association, action__startswith="network.help")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == [
        "network.help_request_created",
        "network.help_request_updated",
        "network.help_request_closed",
    ]


def test_bad_help_request_input_is_a_clear_422(client, association, headers):
    base = {"title": "T", "need": "N", "deliverable": "D", "audiences": ["volunteers"]}
    cases = [
        ({**base, "audiences": []}, "audiences"),
        ({**base, "audiences": ["aliens"]}, "audiences"),
        ({**base, "skills": ["no-such-skill"]}, "skills"),
        ({**base, "deadline": "2001-01-01"}, "__all__"),
        ({**base, "format": "by-pigeon"}, "format"),
    ]
    for body, field in cases:
        answer = client.post(
            _base(association), body, content_type="application/json", headers=headers
        )
        assert answer.status_code == 422, (body, answer.content)
        assert answer.json()["detail"][0]["loc"][-1 if field != "audiences" else 2] == field
    with scopes_disabled():
        assert not HelpRequest.objects.exists()


def test_permissions_are_those_of_the_pages(client, association):
    asked = help_request(association)
    member = _headers(member_with_account(association, [Role.MEMBER]))
    url = f"{_base(association)}/{asked.pk}"
    assert client.get(url, headers=member).status_code == 200
    assert client.get(f"{url}/suggested-helpers", headers=member).status_code == 403
    body = {"title": "T", "need": "N", "deliverable": "D", "audiences": ["volunteers"]}
    assert (
        client.post(
            _base(association), body, content_type="application/json", headers=member
        ).status_code
        == 403
    )
    assert (
        client.patch(
            url, {"title": "X"}, content_type="application/json", headers=member
        ).status_code
        == 403
    )
    assert client.post(f"{url}/close", headers=member).status_code == 403


def test_another_associations_token_gets_404(client, association, other_association, other_admin):
    asked = help_request(association)
    theirs = _headers(other_admin)
    for base in (_base(association), _base(other_association)):
        url = f"{base}/{asked.pk}"
        assert client.get(url, headers=theirs).status_code == 404
        assert client.get(f"{url}/suggested-helpers", headers=theirs).status_code == 404
        assert (
            client.patch(
                url, {"title": "X"}, content_type="application/json", headers=theirs
            ).status_code
            == 404
        )
        assert client.post(f"{url}/close", headers=theirs).status_code == 404
    with scopes_disabled():
        asked.refresh_from_db()
    assert asked.status == "open" and asked.title == "Refaire notre site"


def test_the_suggested_helpers_with_reasons(client, association, headers):
    four = skills(4)
    asked = help_request(association, wanted=four, audiences=["volunteers", "companies"])
    profile = volunteer(has=four[:3], full_name="Camille Martin", email="camille@example.org")
    lent = employee(company(), has=four, name="Dominique Bernard", job_title="Développeuse")
    network_with_staff(association)  # not asked of networks
    answer = client.get(f"{_base(association)}/{asked.pk}/suggested-helpers", headers=headers)
    assert answer.status_code == 200
    helpers = answer.json()
    assert [(h["kind"], h["helper_id"]) for h in helpers] == [
        ("company", lent.pk),
        ("volunteer", profile.pk),
    ]
    assert helpers[0]["name"] == "Dominique B." and helpers[0]["company"] == "numerique-solidaire"
    assert helpers[1]["name"] == "Camille M." and helpers[1]["skills"] == [s.code for s in four[:3]]
    assert "3 sur 4 compétences recherchées" in helpers[1]["reasons"]
    assert "camille@example.org" not in answer.content.decode()
    assert "Martin" not in answer.content.decode()


def _queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries)


def test_the_suggested_helpers_cost_the_same_queries_with_n_and_2n_helpers(
    client, association, headers
):
    two = skills(2)
    asked = help_request(association, wanted=two, audiences=["volunteers", "companies", "networks"])
    url = f"{_base(association)}/{asked.pk}/suggested-helpers"

    def add(start):
        for i in range(start, start + 3):
            volunteer(has=two, full_name=f"Bénévole N{i}")
            employee(company(f"Entreprise {i}"), has=two, name=f"Salarié N{i}")
            network_with_staff(association, name=f"Réseau {i}", full_name=f"Équipe N{i}")

    add(0)
    client.get(url, headers=headers)
    first = _queries(client, url, headers)
    add(3)
    assert _queries(client, url, headers) == first
    assert len(client.get(url, headers=headers).json()) == 18


def test_a_request_whose_creator_erased_their_account_can_still_be_changed(
    client, association, headers
):
    asked = help_request(association)
    assert asked.created_by is None
    url = f"{_base(association)}/{asked.pk}"
    answer = client.patch(url, {"title": "Site"}, content_type="application/json", headers=headers)
    assert answer.status_code == 200, answer.content
