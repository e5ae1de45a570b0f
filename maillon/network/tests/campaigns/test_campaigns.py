import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.events.models import Campaign, Event
from maillon.network.models import NetworkLogEntry
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff

pytestmark = pytest.mark.django_db


def test_a_network_creates_a_campaign_invites_its_members_and_sees_participation(
    association, django_capture_on_commit_callbacks
):
    network = NetworkFactory(name="Fédération sportive")
    association.contact_email = "bureau@amis.example"
    association.save()
    MembershipFactory(network=network, association=association)
    client = Client()
    client.force_login(network_staff(network, "coordinator"))
    today = timezone.localdate()
    response = client.post(
        f"/n/{network.slug}/campaigns/",
        {
            "title": "Semaine du sport pour tous",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=6)).isoformat(),
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(network=network)
    assert NetworkLogEntry.objects.filter(action="network.campaign_created").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/n/{network.slug}/campaigns/{campaign.pk}/invite/", {"message": "Venez !"})
    assert [m.to for m in mail.outbox] == [["bureau@amis.example"]]

    with scopes_disabled():
        Event.objects.create(
            association=association,
            campaign=campaign,
            title="Initiation au basket",
            starts_at=timezone.now() + datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=1, hours=2),
            city="Lyon",
            postal_code="69001",
            status="published",
        )
    html = client.get(f"/n/{network.slug}/campaigns/{campaign.pk}/").content.decode()
    assert "Initiation au basket" in html and association.name in html


def test_staff_cannot_create_a_campaign():
    network = NetworkFactory()
    client = Client()
    client.force_login(network_staff(network, "staff"))
    assert client.get(f"/n/{network.slug}/campaigns/").status_code == 200
    response = client.post(f"/n/{network.slug}/campaigns/", {"title": "X"})
    assert response.status_code == 403
