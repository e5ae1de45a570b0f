"""The network's newsletter to the boards of its member associations: recipients,
sending in batches once per address, progress, unsubscribe, who may send it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.communication.models import DeliveryStatus, NewsletterStatus
from maillon.members.models import Role, RoleAssignment
from maillon.members.tests.factories import PersonFactory
from maillon.network.models import (
    MembershipStatus,
    NetworkDelivery,
    NetworkLogEntry,
    NetworkNewsletter,
    NetworkOptOut,
    NetworkRoleKind,
)
from maillon.network.newsletters import services
from maillon.network.newsletters.selectors import board_recipients_across_associations
from maillon.network.newsletters.tasks import send_network_newsletter
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_batches(settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    settings.SITE_URL = "https://maillon.example"


def _with_role(association, role, email, **fields):
    with scopes_disabled():
        person = PersonFactory(association=association, email=email, **fields)
        RoleAssignment.objects.get_or_create(association=association, person=person, role=role)
    return person


@pytest.fixture
def network():
    network = NetworkFactory(slug="federation")
    active = MembershipFactory(network=network).association
    second = MembershipFactory(network=network).association
    invited = MembershipFactory(
        network=network, status=MembershipStatus.INVITED, joined_at=None
    ).association
    _with_role(active, Role.PRESIDENT, "Presidente@Club.example")
    _with_role(active, Role.TREASURER, "tresorier@club.example")
    _with_role(active, Role.BOARD, "simple-ca@club.example")  # board, not bureau
    _with_role(active, Role.MEMBER, "membre@club.example")
    _with_role(second, Role.SECRETARY, "secretaire@voisins.example")
    _with_role(second, Role.PRESIDENT, "")  # no address
    _with_role(invited, Role.PRESIDENT, "pas-encore@invite.example")
    return network


def test_the_bureau_of_active_member_associations_receives_it(network):
    emails = {r.email for r in board_recipients_across_associations(network=network)}
    assert emails == {
        "presidente@club.example",
        "tresorier@club.example",
        "secretaire@voisins.example",
    }
    NetworkOptOut.objects.create(network=network, email="tresorier@club.example", source="link")
    emails = {r.email for r in board_recipients_across_associations(network=network)}
    assert "tresorier@club.example" not in emails


def _send(network, head, capture, **fields):
    newsletter = services.network_newsletter_create(
        network=network, actor=head, subject="Lettre du réseau", body="# Bonjour\n\n**Nouvelles**"
    )
    with capture(execute=True):
        services.network_newsletter_send(network=network, actor=head, newsletter=newsletter)
    newsletter.refresh_from_db()
    return newsletter


def test_sending_sends_one_email_per_address_once(
    network, small_batches, django_capture_on_commit_callbacks
):
    head = network_staff(network, NetworkRoleKind.HEAD)
    newsletter = _send(network, head, django_capture_on_commit_callbacks)
    assert newsletter.status == NewsletterStatus.SENT
    assert (newsletter.total_count, newsletter.sent_count) == (3, 3)
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    delivery = NetworkDelivery.objects.get(email=message.to[0])
    assert delivery.token in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<strong>Nouvelles</strong>" in message.alternatives[0][0]
    # A retried task sends nothing twice; sending again is refused.
    assert send_network_newsletter.call(newsletter_id=newsletter.pk) == 0
    assert len(mail.outbox) == 3
    with pytest.raises(ValidationError):
        services.network_newsletter_send(network=network, actor=head, newsletter=newsletter)
    assert set(
        NetworkLogEntry.objects.filter(network=network).values_list("action", flat=True)
    ) >= {
        "network.newsletter_created",
        "network.newsletter_send_requested",
        "network.newsletter_sent",
    }


def test_unsubscribing_leaves_the_address_out_of_the_next_letters(
    client, network, small_batches, django_capture_on_commit_callbacks
):
    head = network_staff(network, NetworkRoleKind.HEAD)
    _send(network, head, django_capture_on_commit_callbacks)
    delivery = NetworkDelivery.objects.get(email="tresorier@club.example")
    url = reverse("networks:newsletter_unsubscribe", kwargs={"token": delivery.token})
    assert client.get(url).status_code == 200
    assert not NetworkOptOut.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NetworkOptOut.objects.filter(network=network, email=delivery.email).exists()
    emails = {r.email for r in board_recipients_across_associations(network=network)}
    assert delivery.email not in emails
    assert (
        client.get(reverse("networks:newsletter_unsubscribe", kwargs={"token": "x"})).status_code
        == 404
    )


def test_head_and_coordinator_write_and_send_staff_may_not(
    client, network, small_batches, django_capture_on_commit_callbacks
):
    coordinator = network_staff(network, NetworkRoleKind.COORDINATOR)
    staff = network_staff(network, NetworkRoleKind.STAFF)
    base = f"/n/{network.slug}/newsletters/"
    client.force_login(staff)
    assert client.get(base).status_code == 403
    client.force_login(coordinator)
    assert client.get(base).status_code == 200
    response = client.post(base, {"subject": "Lettre", "body": "Bonjour"})
    newsletter = NetworkNewsletter.objects.get(network=network)
    assert response.url == f"{base}{newsletter.pk}/"
    page = client.get(response.url).content.decode()
    assert "3" in page and "send/" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}{newsletter.pk}/send/")
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT
    assert NetworkDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    progress = client.get(f"{base}{newsletter.pk}/progress/")
    assert progress.status_code == 200 and b"newsletter-progress" in progress.content
    client.force_login(staff)
    assert client.get(f"{base}{newsletter.pk}/").status_code == 403
