import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.members.tests.factories import PersonFactory
from maillon.network.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    network_staff,
    practice_sheet,
)
from maillon.strategy.models import Diagnostic

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_the_network_api_shows_only_consented_indicators(association, other_association):
    network = NetworkFactory()
    MembershipFactory(network=network, association=association, shared_families=["diagnostic"])
    MembershipFactory(network=network, association=other_association)
    for _n in range(3):
        PersonFactory(association=association)
    with scopes_disabled():
        Diagnostic.objects.create(
            association=association,
            questionnaire_version=1,
            status="completed",
            completed_at=timezone.now(),
            scores={"overall": 72},
        )
    head = network_staff(network, "head")
    response = Client().get(f"/api/v1/networks/{network.slug}/members", headers=_bearer(head))
    assert response.status_code == 200
    items = {i["slug"]: i for i in response.json()["items"]}
    assert items[association.slug]["level"] == "experimentee"
    assert "members.active" not in items[association.slug]["values"]
    assert items[other_association.slug]["values"] == {}
    outsider = network_staff(NetworkFactory(), "head")
    response = Client().get(f"/api/v1/networks/{network.slug}/members", headers=_bearer(outsider))
    assert response.status_code == 404


def test_practices_public_read_and_association_write(association, admin_user):
    practice_sheet(association, visibility="public", title="Fiche publique")
    practice_sheet(association, title="Brouillon")
    response = Client().get("/api/v1/practices")
    assert [i["title"] for i in response.json()["items"]] == ["Fiche publique"]
    response = Client().post(
        f"/api/v1/associations/{association.slug}/practices",
        {"title": "Nouvelle", "problem": "P", "what_was_done": "W", "pitfalls": ["nope"]},
        content_type="application/json",
        headers=_bearer(admin_user),
    )
    assert response.status_code == 422
    response = Client().post(
        f"/api/v1/associations/{association.slug}/practices",
        {"title": "Nouvelle", "problem": "P", "what_was_done": "W", "pitfalls": ["tool_churn"]},
        content_type="application/json",
        headers=_bearer(admin_user),
    )
    assert response.status_code == 201 and response.json()["visibility"] == "draft"
