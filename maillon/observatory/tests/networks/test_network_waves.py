"""A network's own wave: opened and published by its head from /n/<slug>/observatory/,
frozen from the consenting members only, unweighted, links deleted, never on the
national pages or API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import NetworkRoleKind
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.observatory.models import Snapshot, SnapshotLink, Wave, WaveStatus
from maillon.observatory.tests.factories import answers_for, completed_diagnostic, national_margins
from maillon.observatory.waves.services import wave_consent_set, wave_open, wave_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.OBSERVATORY_NETWORK_MINIMUM = 6
    settings.OBSERVATORY_MIN_CELL = 3
    staff = UserFactory(is_staff=True)
    national_margins()
    national = wave_open(actor=staff, year=2026)
    network = NetworkFactory(slug="reseau-obs")
    head = network_staff(network, NetworkRoleKind.HEAD, email="head@reseau-obs.example")
    staff_member = network_staff(network, NetworkRoleKind.STAFF)
    members = []
    for i in range(8):
        association = AssociationFactory()
        MembershipFactory(network=network, association=association)
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i, ("none", "3-9", "50+")[i % 3]))
        with scope(association=association):
            # the last one does not consent: it never counts
            wave_consent_set(association=association, actor=admin, wave=national, consented=i < 7)
        members.append(association)
    outsider = AssociationFactory()
    completed_diagnostic(outsider, answers_for(99))
    with scope(association=outsider):
        wave_consent_set(
            association=outsider,
            actor=member_with_account(outsider, [Role.ADMIN]),
            wave=national,
            consented=True,
        )
    return {"network": network, "head": head, "staff": staff_member, "national": national}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_head_opens_and_publishes_the_networks_wave(world):
    network, head = world["network"], world["head"]
    client = _client(head)
    page = reverse("network:observatory", args=[network.slug])
    client.post(reverse("network:observatory_wave_open", args=[network.slug]))
    wave = Wave.objects.get(network=network)
    assert wave.status == WaveStatus.OPEN and wave.margin_set is None
    client.post(reverse("network:observatory_wave_publish", args=[network.slug]))
    wave.refresh_from_db()
    assert wave.status == WaveStatus.PUBLISHED
    assert wave.weighting["n"] == 7  # the consenting members only, not the outsider
    assert wave.weighting["design_effect"] == 1.0 and wave.weighting["weighted"] is False
    assert not SnapshotLink.objects.filter(wave=wave).exists()
    assert set(Snapshot.objects.filter(wave=wave).values_list("weight", flat=True)) == {1.0}
    html = client.get(page).content.decode()
    assert "network-wave-title" in html and "<table" in html
    # The national wave is untouched and the national pages and API ignore the network's.
    assert Wave.objects.get(pk=world["national"].pk).status == WaveStatus.OPEN
    anonymous = Client()
    assert anonymous.get(f"/observatory/{wave.year}/").status_code == 404
    assert anonymous.get("/observatory/trends/").content.decode().count("<svg") == 0
    assert anonymous.get("/api/v1/observatory/waves").json() == []
    assert anonymous.get(f"/api/v1/observatory/waves/{wave.year}").status_code == 404


def test_only_the_head_opens_and_staff_cannot_publish_it_nationally(world):
    network = world["network"]
    response = _client(world["staff"]).post(
        reverse("network:observatory_wave_open", args=[network.slug])
    )
    assert response.status_code == 403
    assert not Wave.objects.filter(network=network).exists()
    _client(world["head"]).post(reverse("network:observatory_wave_open", args=[network.slug]))
    wave = Wave.objects.get(network=network)
    with pytest.raises(PermissionDenied):
        wave_publish(actor=UserFactory(is_staff=True), wave=wave)


def test_a_network_too_small_cannot_open_a_wave(world, settings):
    settings.OBSERVATORY_NETWORK_MINIMUM = 50
    network = world["network"]
    _client(world["head"]).post(reverse("network:observatory_wave_open", args=[network.slug]))
    assert not Wave.objects.filter(network=network).exists()


def test_a_national_wave_of_the_same_year_coexists(world):
    network = world["network"]
    _client(world["head"]).post(reverse("network:observatory_wave_open", args=[network.slug]))
    assert Wave.objects.filter(year=world["national"].year).count() == 2
