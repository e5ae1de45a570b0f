"""Adopting a practice sheet into the plan: the action keeps a link to the sheet and
the plan shows "Inspired by: <sheet>"."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import PracticeAdoption
from maillon.network.tests.factories import practice_sheet
from maillon.strategy.models import Action
from maillon.strategy.tests.factories import CompletedDiagnosticFactory

pytestmark = pytest.mark.django_db


def _adopt_url(association, sheet):
    return reverse(
        "practices_backoffice:adopt",
        kwargs={"association_slug": association.slug, "sheet_id": sheet.pk},
    )


def _plan(association):
    return reverse("strategy:plan", kwargs={"association_slug": association.slug})


def test_adopting_a_sheet_from_its_page_adds_a_linked_action(
    admin_client, association, other_association
):
    sheet = practice_sheet(other_association, visibility="public", title="Agenda partagé")
    response = admin_client.post(_adopt_url(association, sheet))
    assert response.status_code == 302 and response.url == _plan(association)
    with scopes_disabled():
        adoption = PracticeAdoption.objects.get()
        assert adoption.association == association and adoption.sheet == sheet
        assert adoption.action.title == "Agenda partagé"
        assert adoption.action.association == association
        assert AuditEntry.objects.filter(
            association=association, action="network.practice_adopted"
        ).exists()
    page = admin_client.get(_plan(association)).content.decode()
    assert "Agenda partagé" in page
    assert reverse("practices:detail", kwargs={"sheet_id": sheet.pk}) in page
    assert "Inspirée de" in page or "Inspired by" in page
    edit = reverse(
        "strategy:action_edit",
        kwargs={"association_slug": association.slug, "action_id": adoption.action_id},
    )
    assert reverse("practices:detail", kwargs={"sheet_id": sheet.pk}) in (
        admin_client.get(edit).content.decode()
    )


def test_adopting_a_recommendation_with_a_sheet_links_the_recommendation_action(
    admin_client, association, other_association
):
    diagnostic = CompletedDiagnosticFactory(association=association)
    sheet = practice_sheet(other_association, visibility="public")
    response = admin_client.post(
        _adopt_url(association, sheet),
        {"diagnostic_id": diagnostic.pk, "recommendation_code": "publish_missions"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        action = Action.objects.get(association=association)
        assert action.recommendation_code == "publish_missions"
        assert action.practice_adoption.sheet == sheet
    # Adopted once: a second time is refused and links nothing more.
    admin_client.post(
        _adopt_url(association, sheet),
        {"diagnostic_id": diagnostic.pk, "recommendation_code": "publish_missions"},
    )
    with scopes_disabled():
        assert Action.objects.filter(association=association).count() == 1
        assert PracticeAdoption.objects.count() == 1


def test_a_draft_sheet_or_our_own_cannot_be_adopted(admin_client, association, other_association):
    draft = practice_sheet(other_association, title="Brouillon")
    assert admin_client.post(_adopt_url(association, draft)).status_code == 404
    own = practice_sheet(association, visibility="public")
    admin_client.post(_adopt_url(association, own))
    with scopes_disabled():
        assert not PracticeAdoption.objects.exists()
        assert not Action.objects.filter(association=association).exists()


def test_adopting_needs_the_strategy_permission(client, association, other_association):
    sheet = practice_sheet(other_association, visibility="public")
    member = member_with_account(association, [Role.MEMBER], email="m@amis.example")
    client.force_login(member)
    assert client.post(_adopt_url(association, sheet)).status_code == 403
    with scopes_disabled():
        assert not PracticeAdoption.objects.exists()


def test_the_sheet_page_offers_to_adopt_it(admin_client, association, other_association):
    sheet = practice_sheet(other_association, visibility="public")
    page = admin_client.get(reverse("practices:detail", kwargs={"sheet_id": sheet.pk}))
    assert _adopt_url(association, sheet) in page.content.decode()
