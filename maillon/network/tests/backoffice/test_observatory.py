"""The network's own observatory at /n/<slug>/observatory/: figures of the member
associations that consented to the latest wave, only for a network large enough."""

import pytest
from django.test import Client
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.observatory.tests.factories import answers_for, completed_diagnostic, national_margins
from maillon.observatory.waves.services import wave_consent_set, wave_open

pytestmark = pytest.mark.django_db


def add_members(network, wave, n, *, consent=True):
    for i in range(n):
        association = AssociationFactory()
        MembershipFactory(network=network, association=association)
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i))
        if consent:
            with scope(association=association):
                wave_consent_set(association=association, actor=admin, wave=wave, consented=True)


@pytest.fixture
def world(settings):
    settings.OBSERVATORY_NETWORK_MINIMUM = 10
    national_margins()
    wave = wave_open(actor=UserFactory(is_staff=True), year=2026)
    network = NetworkFactory()
    client = Client()
    client.force_login(network_staff(network))
    return network, wave, client


def test_the_network_sees_its_consenting_members_figures(world):
    network, wave, client = world
    add_members(network, wave, 8)
    add_members(network, wave, 2, consent=False)
    response = client.get(f"/n/{network.slug}/observatory/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    body = response.content.decode()
    assert "8 associations membres sur 10" in body
    assert "Site internet" in body
    assert response.context["cards"]


def test_a_small_network_sees_no_figures(world):
    network, wave, client = world
    add_members(network, wave, 9)
    response = client.get(f"/n/{network.slug}/observatory/")
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "10" in response.content.decode()


def test_an_association_admin_outside_the_team_gets_404(world):
    network, _, _ = world
    association = AssociationFactory()
    MembershipFactory(network=network, association=association)
    client = Client()
    client.force_login(member_with_account(association, [Role.ADMIN]))
    assert client.get(f"/n/{network.slug}/observatory/").status_code == 404
