import pytest
from django.contrib.admin.sites import site  # noqa: F401  (the admin is registered)
from django.test import Client

from maillon.accounts.tests.factories import UserFactory
from maillon.network.models import Network, NetworkLogEntry, NetworkRole, NetworkStatus
from maillon.network.networks.services import network_check
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff

pytestmark = pytest.mark.django_db


def test_a_person_proposes_a_network_that_an_instance_admin_checks():
    proposer = UserFactory()
    client = Client()
    client.force_login(proposer)
    response = client.post(
        "/networks/propose/",
        {"name": "Collectif des Pentes", "kind": "collective", "is_public": "on"},
    )
    assert response.status_code == 302
    network = Network.objects.get(name="Collectif des Pentes")
    assert network.status == NetworkStatus.PENDING
    assert NetworkRole.objects.filter(network=network, user=proposer, role="head").exists()
    # Pending: no back-office and no public page yet.
    assert client.get(f"/n/{network.slug}/").status_code == 404
    assert Client().get(f"/networks/{network.slug}/").status_code == 404

    network_check(actor=UserFactory(is_staff=True), network=network, approve=True)
    assert client.get(f"/n/{network.slug}/").status_code == 200
    assert Client().get(f"/networks/{network.slug}/").status_code == 200
    assert NetworkLogEntry.objects.filter(network=network, action="network.approved").exists()


def test_only_instance_staff_check_a_network():
    network = NetworkFactory(status=NetworkStatus.PENDING)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        network_check(actor=UserFactory(), network=network, approve=True)


def test_the_public_page_lists_listed_members_only():
    network = NetworkFactory(name="Fédération sportive")
    MembershipFactory(network=network, association__name="Club listé")
    MembershipFactory(
        network=network, association__name="Club discret", association__is_listed=False
    )
    html = Client().get(f"/networks/{network.slug}/").content.decode()
    assert "Club listé" in html and "Club discret" not in html
    assert "Fédération sportive" in Client().get("/networks/").content.decode()


def test_the_head_manages_the_team_and_keeps_a_head():
    network = NetworkFactory()
    head = network_staff(network, "head")
    newcomer = UserFactory(email="coord@example.org")
    client = Client()
    client.force_login(head)
    client.post(f"/n/{network.slug}/team/", {"email": "coord@example.org", "role": "coordinator"})
    assert NetworkRole.objects.get(network=network, user=newcomer).role == "coordinator"
    own = NetworkRole.objects.get(network=network, user=head)
    client.post(f"/n/{network.slug}/team/{own.pk}/remove/")
    assert NetworkRole.objects.filter(pk=own.pk).exists()  # the last head stays


def test_head_edits_the_public_information():
    network = NetworkFactory()
    client = Client()
    client.force_login(network_staff(network, "head"))
    response = client.post(
        f"/n/{network.slug}/settings/",
        {"name": "Nouveau nom", "kind": "local_network", "is_public": "on"},
    )
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.name == "Nouveau nom"
