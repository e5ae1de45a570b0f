"""A new association's first steps (issue 10 item 12): only the members module is on;
the overview shows a short checklist (statutes settings, modules one click each,
import members, invite the bureau) until it is done; the diagnostic does not ask
again what the association recorded (employees band, sector)."""

import pytest
from django.urls import reverse
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.associations import services
from maillon.associations.models import Module
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory
from maillon.strategy.diagnostic import services as diagnostic_services
from maillon.strategy.models import DiagnosticAnswer
from maillon.taxonomy.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def founder():
    return UserFactory(full_name="Camille Martin", language="en")


@pytest.fixture
def new_association(founder, other_association):
    return services.association_create(
        actor=founder,
        name="Jardins Partagés",
        postal_code="69004",
        size_band="3-9",
        sector=Sector.objects.get(code="environment"),
    )


def overview(client, association):
    return client.get(reverse("backoffice:dashboard", args=[association.slug])).content.decode()


def test_the_overview_shows_the_checklist_until_it_is_done(client, founder, new_association):
    association = new_association
    assert association.enabled_modules == [Module.MEMBERS]
    client.force_login(founder)
    page = overview(client, association)
    assert "First steps" in page
    assert reverse("backoffice:statutes", args=[association.slug]) in page
    assert reverse("members:import_upload", args=[association.slug]) in page
    assert page.count('name="from_overview"') == len(Module.values) - 1

    # One click switches a module on and comes back to the overview.
    response = client.post(
        reverse("backoffice:modules", args=[association.slug]),
        {"modules": ["members", "governance"], "from_overview": "1"},
    )
    assert response["Location"] == reverse("backoffice:dashboard", args=[association.slug])
    association.refresh_from_db()
    assert association.enabled_modules == ["members", "governance"]
    page = overview(client, association)
    assert page.count('name="from_overview"') == len(Module.values) - 2

    # The other steps: statutes saved, people in the register, the bureau.
    with scope(association=association):
        services.statutes_update(association=association, actor=founder, ag_notice_days=21)
    PersonFactory(association=association, roles=[Role.MEMBER])
    assert "First steps" in overview(client, association)
    PersonFactory(association=association, roles=[Role.TREASURER, Role.MEMBER])
    assert "First steps" not in overview(client, association)


def test_the_checklist_is_for_those_who_run_the_association(client, new_association):
    member = UserFactory(language="en")
    PersonFactory(association=new_association, user=member, roles=[Role.MEMBER])
    client.force_login(member)
    assert "First steps" not in overview(client, new_association)


def test_the_diagnostic_does_not_ask_again_what_the_profile_says(founder, new_association):
    association = new_association
    services.modules_update(association=association, actor=founder, modules=["members", "strategy"])
    with scope(association=association):
        diagnostic = diagnostic_services.diagnostic_start(association=association, actor=founder)
        answers = dict(
            DiagnosticAnswer.objects.filter(diagnostic=diagnostic).values_list(
                "question_id", "value"
            )
        )
    assert answers == {"profile.size_band": "3-9", "profile.sector": "environment"}
