import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import Booking, BookingStatus
from maillon.network.tests.factories import MembershipFactory, NetworkFactory

from .factories import BookingFactory, SharedResourceFactory, next_saturday

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def world(association, admin_user):
    """Owner (association), borrower in the same network, a third association."""
    borrower = AssociationFactory(name="Secours du Quartier", slug="secours")
    third = AssociationFactory(name="Club de Judo", slug="judo")
    network = NetworkFactory(name="Collectif du Quartier")
    MembershipFactory(network=network, association=association)
    MembershipFactory(network=network, association=borrower)
    van = SharedResourceFactory(
        association=association, name="Minibus 9 places", audience="networks"
    )
    return {
        "owner": association,
        "owner_admin": admin_user,
        "borrower": borrower,
        "borrower_admin": member_with_account(borrower, [Role.ADMIN], email="a@secours.example"),
        "third": third,
        "third_admin": member_with_account(third, [Role.ADMIN], email="a@judo.example"),
        "van": van,
        "network": network,
    }


def _url(name, association, **kwargs):
    return reverse(f"pooling:{name}", kwargs={"association_slug": association.slug, **kwargs})


def test_catalogue_finds_the_van_of_the_network_by_dates_and_kind(client, world):
    client.force_login(world["borrower_admin"])
    start = next_saturday()
    query = {
        "starts_at": start.strftime(FMT),
        "ends_at": (start + datetime.timedelta(hours=8)).strftime(FMT),
        "kind": "vehicle",
        "network": world["network"].pk,
    }
    page = client.get(_url("catalogue", world["borrower"]), query).content.decode()
    assert "Minibus 9 places" in page
    BookingFactory(resource=world["van"], borrower=world["third"], status="approved")
    page = client.get(_url("catalogue", world["borrower"]), query).content.decode()
    assert "Minibus 9 places" not in page  # taken on these dates
    assert "Minibus 9 places" in client.get(_url("catalogue", world["borrower"])).content.decode()
    # outside the network: not listed
    client.force_login(world["third_admin"])
    assert "Minibus 9 places" not in client.get(_url("catalogue", world["third"])).content.decode()


def test_booking_journey_over_http_and_the_agreement_names_both(client, world):
    client.force_login(world["borrower_admin"])
    start = next_saturday()
    response = client.post(
        _url("book", world["borrower"], resource_id=world["van"].pk),
        {
            "starts_at": start.strftime(FMT),
            "ends_at": (start + datetime.timedelta(hours=8)).strftime(FMT),
            "purpose": "Sortie des familles",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        booking = Booking.objects.get(borrower=world["borrower"])
    client.force_login(world["owner_admin"])
    client.post(_url("decide", world["owner"], booking_id=booking.pk), {"decision": "approve"})
    with scopes_disabled():
        booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    pdf = client.get(_url("agreement", world["owner"], booking_id=booking.pk))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Les Amis du Quartier" in text and "Secours du Quartier" in text
    assert "Minibus 9 places" in text
    ics = client.get(_url("calendar", world["owner"], resource_id=world["van"].pk))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"Secours du Quartier" in ics.content


def test_a_clash_shows_the_holder_and_offers_the_next_slot(client, world):
    BookingFactory(resource=world["van"], borrower=world["third"], status="approved")
    client.force_login(world["borrower_admin"])
    start = next_saturday()
    page = client.post(
        _url("book", world["borrower"], resource_id=world["van"].pk),
        {
            "starts_at": start.strftime(FMT),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime(FMT),
        },
    ).content.decode()
    assert "Club de Judo" in page
    assert "Book the next free slot" in page or "Réserver le prochain créneau libre" in page


def test_booking_isolation_owner_borrower_third(client, world):
    booking = BookingFactory(resource=world["van"], borrower=world["borrower"])
    for who, association in (("owner", "owner"), ("borrower", "borrower")):
        client.force_login(world[f"{who}_admin"])
        page = client.get(_url("booking", world[association], booking_id=booking.pk))
        assert page.status_code == 200
        assert (
            client.get(_url("agreement", world[association], booking_id=booking.pk)).status_code
            == 200
        )
    client.force_login(world["third_admin"])
    for name in ("booking", "agreement"):
        assert client.get(_url(name, world["third"], booking_id=booking.pk)).status_code == 404
    for name, data in (("cancel", {}), ("decide", {"decision": "approve"})):
        response = client.post(_url(name, world["third"], booking_id=booking.pk), data)
        assert response.status_code == 404
    detail = client.get(_url("detail", world["third"], resource_id=world["van"].pk))
    assert detail.status_code == 404
    # the borrower cannot take the owner's decisions
    client.force_login(world["borrower_admin"])
    response = client.post(
        _url("decide", world["borrower"], booking_id=booking.pk), {"decision": "approve"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_owner_creates_a_resource_without_javascript(client, world):
    client.force_login(world["owner_admin"])
    response = client.post(
        _url("create", world["owner"]),
        {
            "name": "Salle polyvalente",
            "kind": "room",
            "quantity": "1",
            "capacity": "80",
            "deposit": "200",
            "fee": "0",
            "value_in_kind": "150",
            "audience": "associations",
            "approval_required": "on",
            "buffer_minutes": "30",
            "opening_hours": "Du lundi au samedi, 9 h – 22 h",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert "Salle polyvalente" in client.get(_url("mine", world["owner"])).content.decode()
    client.force_login(world["third_admin"])
    assert "Salle polyvalente" in client.get(_url("catalogue", world["third"])).content.decode()
