import pytest
from django.test import Client
from django_scopes import scopes_disabled

from maillon.network.models import MembershipStatus, NetworkMembership
from maillon.network.tests.factories import NetworkFactory, network_staff

pytestmark = pytest.mark.django_db


def test_the_handshake_through_the_pages(association, admin_user):
    network = NetworkFactory(name="Fédération sportive du Rhône")
    head = network_staff(network, "head")
    network_client, association_client = Client(), Client()
    network_client.force_login(head)
    association_client.force_login(admin_user)

    html = network_client.get(f"/n/{network.slug}/invitations/?q=amis").content.decode()
    assert association.name in html
    network_client.post(f"/n/{network.slug}/invitations/send/", {"association": association.slug})

    page = association_client.get(f"/a/{association.slug}/networks/").content.decode()
    assert "Fédération sportive du Rhône" in page
    with scopes_disabled():
        membership = NetworkMembership.objects.get(network=network, association=association)
    response = association_client.post(
        f"/a/{association.slug}/networks/{membership.pk}/answer/", {"decision": "accept"}
    )
    assert response.status_code == 302 and "consent" in response["Location"]
    association_client.post(
        f"/a/{association.slug}/networks/{membership.pk}/consent/", {"families": ["diagnostic"]}
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.shared_families == ["diagnostic"]
    assert association.name in network_client.get(f"/n/{network.slug}/").content.decode()

    association_client.post(f"/a/{association.slug}/networks/{membership.pk}/leave/")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT and membership.shared_families == []


def test_an_association_asks_to_join_and_the_network_accepts(association, admin_user):
    network = NetworkFactory()
    head = network_staff(network, "coordinator")
    client = Client()
    client.force_login(admin_user)
    client.post(
        f"/a/{association.slug}/networks/request/", {"network": network.pk, "message": "Bonjour"}
    )
    with scopes_disabled():
        membership = NetworkMembership.objects.get(network=network)
    assert membership.status == MembershipStatus.REQUESTED
    client.force_login(head)
    client.post(f"/n/{network.slug}/invitations/{membership.pk}/answer/", {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
