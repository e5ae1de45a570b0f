"""Writes of pooled resources and bookings through the API: the owner's resources,
booking requests with the no-double-booking rule (409 naming the next free slot),
the owner's decisions, cancellation and extension by either party; permissions and
isolation (a booking is reached by its owner and borrower only)."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.associations.tests.factories import AssociationFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import Booking, SharedResource

from .factories import SharedResourceFactory, next_saturday

pytestmark = pytest.mark.django_db


def _headers(user, **extra) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}", **extra}


@pytest.fixture
def owner_headers(admin_user):
    return _headers(admin_user)


@pytest.fixture
def borrower():
    return AssociationFactory(name="Secours du Plateau", slug="secours-plateau")


@pytest.fixture
def borrower_headers(borrower):
    return _headers(member_with_account(borrower, [Role.ADMIN], email="admin@secours.example"))


@pytest.fixture
def third_headers(other_admin):
    return _headers(other_admin)


@pytest.fixture
def van(association):
    return SharedResourceFactory(association=association, name="Minibus", audience="associations")


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def _book(client, borrower, headers, resource, start, hours=8, **extra):
    return client.post(
        f"/api/v1/associations/{borrower.slug}/resources/{resource.pk}/bookings",
        {
            "starts_at": _iso(start),
            "ends_at": _iso(start + datetime.timedelta(hours=hours)),
            "purpose": "Sortie",
        },
        content_type="application/json",
        headers={**headers, **extra},
    )


# --- resources ----------------------------------------------------------------------------


def test_the_owner_creates_changes_and_withdraws_a_resource(
    client, association, owner_headers, borrower, borrower_headers
):
    base = f"/api/v1/associations/{association.slug}/shared-resources"
    body = {
        "name": "Salle polyvalente",
        "kind": "room",
        "department": "69",
        "capacity": 40,
        "audience": "associations",
        "approval_required": False,
    }
    headers = {**owner_headers, "Idempotency-Key": "salle-1"}
    created = client.post(base, body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    again = client.post(base, body, content_type="application/json", headers=headers)
    assert again.json()["id"] == created.json()["id"]
    with scopes_disabled():
        assert SharedResource.objects.filter(name="Salle polyvalente").count() == 1
    resource_id = created.json()["id"]
    assert created.json()["department"] == "69" and created.json()["is_published"] is True

    changed = client.patch(
        f"{base}/{resource_id}",
        {"capacity": 50, "fee": "10.00"},
        content_type="application/json",
        headers=owner_headers,
    )
    assert changed.status_code == 200
    assert changed.json()["capacity"] == 50 and changed.json()["fee"] == "10.00"

    catalogue = f"/api/v1/associations/{borrower.slug}/resources"
    assert [r["id"] for r in client.get(catalogue, headers=borrower_headers).json()] == [
        resource_id
    ]
    withdrawn = client.post(f"{base}/{resource_id}/withdraw", headers=owner_headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["is_published"] is False
    assert client.get(catalogue, headers=borrower_headers).json() == []
    assert client.post(f"{base}/{resource_id}/withdraw", headers=owner_headers).status_code == 409
    with scopes_disabled():
        actions = set(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )
    assert {"network.resource_created", "network.resource_updated"} <= actions


def test_bad_resource_input_is_a_clear_422(client, association, owner_headers, van):
    base = f"/api/v1/associations/{association.slug}/shared-resources"
    unknown = client.post(
        base,
        {"name": "Salle", "kind": "room", "department": "999"},
        content_type="application/json",
        headers=owner_headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "payload", "department"]
    bad_kind = client.post(
        base,
        {"name": "Salle", "kind": "castle"},
        content_type="application/json",
        headers=owner_headers,
    )
    assert bad_kind.status_code == 422
    null_name = client.patch(
        f"{base}/{van.pk}", {"name": None}, content_type="application/json", headers=owner_headers
    )
    assert null_name.status_code == 422


def test_resources_need_the_management_permission_and_stay_in_their_association(
    client, association, van, third_headers, other_association
):
    member = _headers(member_with_account(association, [Role.MEMBER]))
    base = f"/api/v1/associations/{association.slug}/shared-resources"
    assert client.get(base, headers=member).status_code == 200
    body = {"name": "Salle", "kind": "room"}
    assert (
        client.post(base, body, content_type="application/json", headers=member).status_code == 403
    )
    assert client.post(f"{base}/{van.pk}/withdraw", headers=member).status_code == 403
    # Another association's admin: 404 on this association, and on the resource
    # through its own association.
    assert client.get(base, headers=third_headers).status_code == 404
    theirs = f"/api/v1/associations/{other_association.slug}/shared-resources/{van.pk}"
    assert client.get(theirs, headers=third_headers).status_code == 404
    assert (
        client.patch(
            theirs, {"fee": "1"}, content_type="application/json", headers=third_headers
        ).status_code
        == 404
    )
    assert client.post(f"{theirs}/withdraw", headers=third_headers).status_code == 404


# --- bookings -----------------------------------------------------------------------------


def test_a_booking_is_requested_approved_and_reached_by_its_two_parties_only(
    client,
    association,
    owner_headers,
    borrower,
    borrower_headers,
    third_headers,
    other_association,
    van,
):
    made = _book(
        client, borrower, borrower_headers, van, next_saturday(), **{"Idempotency-Key": "k1"}
    )
    assert made.status_code == 201, made.content
    booking = made.json()
    assert booking["status"] == "requested"
    assert (booking["owner"], booking["borrower"]) == (association.slug, borrower.slug)
    retry = _book(
        client, borrower, borrower_headers, van, next_saturday(), **{"Idempotency-Key": "k1"}
    )
    assert retry.json()["id"] == booking["id"]
    with scopes_disabled():
        assert Booking.objects.count() == 1

    own = f"/api/v1/associations/{association.slug}/bookings/{booking['id']}"
    theirs = f"/api/v1/associations/{borrower.slug}/bookings/{booking['id']}"
    third = f"/api/v1/associations/{other_association.slug}/bookings/{booking['id']}"
    assert client.get(own, headers=owner_headers).status_code == 200
    assert client.get(theirs, headers=borrower_headers).status_code == 200
    assert client.get(third, headers=third_headers).status_code == 404
    for step in ("approve", "decline", "cancel"):
        assert (
            client.post(
                f"{third}/{step}", {}, content_type="application/json", headers=third_headers
            ).status_code
            == 404
        )
    assert (
        client.post(
            f"{third}/extend",
            {"ends_at": _iso(next_saturday(20))},
            content_type="application/json",
            headers=third_headers,
        ).status_code
        == 404
    )

    # Only the owner decides; the borrower is told so.
    refused = client.post(
        f"{theirs}/approve", {}, content_type="application/json", headers=borrower_headers
    )
    assert refused.status_code == 403
    approved = client.post(
        f"{own}/approve",
        {"note": "Clés à l’accueil"},
        content_type="application/json",
        headers=owner_headers,
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decision_note"] == "Clés à l’accueil"
    again = client.post(
        f"{own}/approve", {}, content_type="application/json", headers=owner_headers
    )
    assert again.status_code == 409

    # Either party cancels.
    cancelled = client.post(
        f"{theirs}/cancel",
        {"reason": "Sortie annulée"},
        content_type="application/json",
        headers=borrower_headers,
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    with scopes_disabled():
        logged = AuditEntry.objects.filter(action="network.booking_cancelled")
        assert {e.association_id for e in logged} == {association.pk, borrower.pk}


def test_the_owner_may_decline_and_may_cancel(
    client, association, owner_headers, borrower, borrower_headers, van
):
    first = _book(client, borrower, borrower_headers, van, next_saturday()).json()
    declined = client.post(
        f"/api/v1/associations/{association.slug}/bookings/{first['id']}/decline",
        {"note": "Révision"},
        content_type="application/json",
        headers=owner_headers,
    )
    assert declined.json()["status"] == "declined"
    second = _book(client, borrower, borrower_headers, van, next_saturday()).json()
    cancelled = client.post(
        f"/api/v1/associations/{association.slug}/bookings/{second['id']}/cancel",
        {},
        content_type="application/json",
        headers=owner_headers,
    )
    assert cancelled.json()["status"] == "cancelled"


def test_a_clash_answers_409_naming_the_holder_and_the_next_free_slot(
    client, association, borrower, borrower_headers, van, other_association
):
    start = next_saturday()
    assert _book(client, borrower, borrower_headers, van, start).status_code == 201
    rival = _headers(member_with_account(other_association, [Role.ADMIN]))
    clash = _book(client, other_association, rival, van, start + datetime.timedelta(hours=2))
    assert clash.status_code == 409
    answer = clash.json()
    assert answer["holder"] == "Secours du Plateau"
    assert "Secours du Plateau" in answer["detail"]
    assert "Prochain créneau libre" in answer["detail"]
    assert answer["next_free"]["starts_at"].startswith(
        (start + datetime.timedelta(hours=8)).date().isoformat()
    )
    with scopes_disabled():
        assert Booking.objects.count() == 1


def test_extending_rechecks_clashes(
    client, association, owner_headers, borrower, borrower_headers, van, other_association
):
    start = next_saturday()
    mine = _book(client, borrower, borrower_headers, van, start, hours=4).json()
    url = f"/api/v1/associations/{borrower.slug}/bookings/{mine['id']}/extend"
    longer = client.post(
        url,
        {"ends_at": _iso(start + datetime.timedelta(hours=6))},
        content_type="application/json",
        headers=borrower_headers,
    )
    assert longer.status_code == 200, longer.content
    ends_at = datetime.datetime.fromisoformat(longer.json()["ends_at"].replace("Z", "+00:00"))
    assert ends_at == start + datetime.timedelta(hours=6)
    rival = _headers(member_with_account(other_association, [Role.ADMIN]))
    assert (
        _book(
            client, other_association, rival, van, start + datetime.timedelta(hours=7), hours=2
        ).status_code
        == 201
    )
    clash = client.post(
        url,
        {"ends_at": _iso(start + datetime.timedelta(hours=10))},
        content_type="application/json",
        headers=borrower_headers,
    )
    assert clash.status_code == 409
    assert clash.json()["holder"] == other_association.name
    shorter = client.post(
        url,
        {"ends_at": _iso(start + datetime.timedelta(hours=1))},
        content_type="application/json",
        headers=borrower_headers,
    )
    assert shorter.status_code == 409


def test_a_time_with_an_offset_the_database_cannot_hold_is_read_in_utc(
    client, association, borrower, borrower_headers, van
):
    """PostgreSQL refuses an offset beyond ±16 h (``+22:06``, as a fuzzer sends): the
    API reads the same moment in UTC rather than answer 500; beyond the calendar it
    answers 422."""
    start = next_saturday()
    mine = _book(client, borrower, borrower_headers, van, start, hours=4).json()
    url = f"/api/v1/associations/{borrower.slug}/bookings/{mine['id']}/extend"
    later = (start + datetime.timedelta(hours=6)).astimezone(datetime.UTC)
    odd = later.astimezone(datetime.timezone(datetime.timedelta(hours=22, minutes=6)))
    response = client.post(
        url, {"ends_at": odd.isoformat()}, content_type="application/json", headers=borrower_headers
    )
    assert response.status_code == 200, response.content
    ends_at = datetime.datetime.fromisoformat(response.json()["ends_at"].replace("Z", "+00:00"))
    assert ends_at == later
    beyond = client.post(
        url,
        {"ends_at": "9999-12-31T23:00:00-05:00"},
        content_type="application/json",
        headers=borrower_headers,
    )
    assert beyond.status_code == 422
    assert beyond.json()["detail"][0]["loc"][-1] == "ends_at"


def test_a_resource_outside_the_catalogue_cannot_be_booked(
    client, association, borrower, borrower_headers, owner_headers
):
    hidden = SharedResourceFactory(association=association, audience="networks")
    assert _book(client, borrower, borrower_headers, hidden, next_saturday()).status_code == 404
    mine = SharedResourceFactory(association=association, audience="associations")
    own = _book(client, association, owner_headers, mine, next_saturday())
    assert own.status_code == 403
    past = _book(
        client, borrower, borrower_headers, mine, next_saturday() - datetime.timedelta(days=14)
    )
    assert past.status_code == 422


def test_a_resource_whose_creator_erased_their_account_can_still_be_changed(
    client, association, owner_headers, van
):
    assert van.created_by is None
    url = f"/api/v1/associations/{association.slug}/shared-resources/{van.pk}"
    answer = client.patch(url, {"fee": "5"}, content_type="application/json", headers=owner_headers)
    assert answer.status_code == 200, answer.content
