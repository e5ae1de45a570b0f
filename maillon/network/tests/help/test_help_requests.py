import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.network.models import HelpRequest
from maillon.strategy.models import Action
from maillon.taxonomy.models import Skill

pytestmark = pytest.mark.django_db


def _url(name, association, **kwargs):
    return reverse(f"help_requests:{name}", kwargs={"association_slug": association.slug, **kwargs})


@pytest.fixture
def action(association):
    with scopes_disabled():
        return Action.objects.create(
            association=association,
            title="Trouver un bénévole de compétences pour notre site",
            description="Notre site n’est plus à jour depuis 2019.",
            recommendation_code="skills_volunteer",
            due_date=timezone.localdate() + datetime.timedelta(days=60),
        )


def test_a_request_prefilled_from_a_plan_action(client, association, admin_user, action):
    client.force_login(admin_user)
    page = client.get(_url("create", association), {"action": action.pk}).content.decode()
    assert "Trouver un bénévole de compétences pour notre site" in page
    assert "Notre site n’est plus à jour depuis 2019." in page
    assert (
        'value="volunteers" checked' in page or 'value="volunteers"\n' in page or "checked" in page
    )
    skill = Skill.objects.first()
    response = client.post(
        _url("create", association),
        {
            "plan_action": action.pk,
            "recommendation": "skills_volunteer",
            "title": action.title,
            "need": action.description,
            "deliverable": "Un site que deux bénévoles savent mettre à jour.",
            "skills": [skill.pk] if skill else [],
            "format": "remote",
            "hours_estimate": "20",
            "deadline": action.due_date.isoformat(),
            "audiences": ["volunteers", "companies"],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        created = HelpRequest.objects.get(association=association)
        assert created.plan_action_id == action.pk
        assert created.recommendation_code == "skills_volunteer"
        assert AuditEntry.objects.filter(
            association=association, action="network.help_request_created"
        ).exists()
    detail = client.get(_url("detail", association, help_request_id=created.pk)).content.decode()
    assert "Un site que deux bénévoles savent mettre à jour." in detail


def test_the_form_guides_the_writing(client, association, admin_user):
    client.force_login(admin_user)
    page = client.get(_url("create", association)).content.decode()
    assert "Rédiger une demande qui trouve preneur" in page


def test_a_request_needs_an_audience_and_a_future_deadline(client, association, admin_user):
    client.force_login(admin_user)
    data = {
        "title": "Compta",
        "need": "…",
        "deliverable": "…",
        "format": "either",
        "deadline": "2020-01-01",
        "audiences": ["companies"],
    }
    page = client.post(_url("create", association), data)
    assert page.status_code == 200
    with scopes_disabled():
        assert not HelpRequest.objects.exists()


def test_another_association_gets_404(client, association, other_association, other_admin, action):
    with scopes_disabled():
        help_request = HelpRequest.objects.create(
            association=association, title="T", need="N", deliverable="D", audiences=["companies"]
        )
    client.force_login(other_admin)
    for name in ("detail", "edit"):
        url = _url(name, other_association, help_request_id=help_request.pk)
        assert client.get(url).status_code == 404
    url = _url("close", other_association, help_request_id=help_request.pk)
    assert client.post(url).status_code == 404
    assert client.get(_url("create", other_association), {"action": action.pk}).status_code == 404


def test_the_plan_offers_to_ask_for_help_on_an_action(client, association, admin_user, action):
    client.force_login(admin_user)
    page = client.get(reverse("strategy:plan", kwargs={"association_slug": association.slug}))
    assert f"/a/{association.slug}/help/new/?action={action.pk}" in page.content.decode()
