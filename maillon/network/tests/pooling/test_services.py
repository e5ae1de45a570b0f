import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import BookingStatus, BorrowerAudience, WaitlistStatus
from maillon.network.pooling import services
from maillon.network.pooling.services import BookingClash
from maillon.network.tests.factories import MembershipFactory, NetworkFactory

from .factories import SharedResourceFactory, next_saturday

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


@pytest.fixture
def owner(association):
    return association


@pytest.fixture
def owner_admin(admin_user):
    return admin_user


@pytest.fixture
def borrower():
    return AssociationFactory(name="Secours Populaire du Quartier", slug="secours")


@pytest.fixture
def borrower_admin(borrower):
    return member_with_account(borrower, [Role.ADMIN], email="admin@secours.example")


@pytest.fixture
def van(owner):
    return SharedResourceFactory(association=owner, name="Minibus", buffer_minutes=60)


def _book(borrower, actor, resource, start, hours=8, **kw):
    return services.booking_request(
        association=borrower,
        actor=actor,
        resource=resource,
        starts_at=start,
        ends_at=start + hours * H,
        **kw,
    )


def test_full_loan_cycle_is_audited_on_both_sides(
    owner, owner_admin, borrower, borrower_admin, van
):
    with scopes_disabled():
        van.fee = 0
        van.value_in_kind = Decimal("120")
        van.save()
    booking = _book(borrower, borrower_admin, van, next_saturday())
    assert booking.status == BookingStatus.REQUESTED and booking.association == owner
    services.booking_decide(association=owner, actor=owner_admin, booking=booking, approve=True)
    services.booking_check_out(
        association=owner, actor=owner_admin, booking=booking, condition="Plein fait, 42 000 km"
    )
    services.booking_check_in(
        association=owner, actor=owner_admin, booking=booking, condition="Rayure porte arrière"
    )
    closed = services.booking_close(
        association=owner, actor=owner_admin, booking=booking, value_in_kind=Decimal("150")
    )
    assert closed.status == BookingStatus.CLOSED and closed.value_in_kind == Decimal("150")
    with scopes_disabled():
        for side in (owner, borrower):
            actions = set(
                AuditEntry.objects.filter(association=side).values_list("action", flat=True)
            )
            assert {"network.booking_requested", "network.booking_closed"} <= actions


def test_instant_booking_is_approved_at_once(borrower, borrower_admin, van):
    with scopes_disabled():
        van.approval_required = False
        van.save()
    assert _book(borrower, borrower_admin, van, next_saturday()).status == BookingStatus.APPROVED


def test_a_clash_names_the_holder_and_the_next_free_slot(borrower, borrower_admin, van):
    first = _book(borrower, borrower_admin, van, next_saturday(9), hours=4)
    third = AssociationFactory(name="Club de Judo")
    judo_admin = member_with_account(third, [Role.ADMIN])
    with pytest.raises(BookingClash) as caught:
        _book(third, judo_admin, van, next_saturday(10), hours=2)
    clash = caught.value
    assert clash.holder == borrower
    assert "Secours Populaire du Quartier" in clash.messages[0]
    # free again after the 4 hours plus the hour of buffer
    assert clash.next_start == first.ends_at + H


def test_the_buffer_keeps_the_unit_after_the_end(borrower, borrower_admin, van):
    start = next_saturday(9)
    _book(borrower, borrower_admin, van, start, hours=2)
    with pytest.raises(BookingClash):
        _book(
            borrower, borrower_admin, van, start + 2 * H + datetime.timedelta(minutes=30), hours=1
        )
    assert _book(borrower, borrower_admin, van, start + 3 * H, hours=1).unit_number == 1


def test_two_units_take_two_bookings(borrower, borrower_admin, owner):
    tables = SharedResourceFactory(association=owner, quantity=2, kind="equipment")
    start = next_saturday()
    assert _book(borrower, borrower_admin, tables, start).unit_number == 1
    assert _book(borrower, borrower_admin, tables, start).unit_number == 2
    with pytest.raises(BookingClash):
        _book(borrower, borrower_admin, tables, start)


def test_unavailable_dates_refuse(owner, owner_admin, borrower, borrower_admin, van):
    day = next_saturday().date()
    services.resource_blackout_add(
        association=owner, actor=owner_admin, resource=van, starts_on=day, ends_on=day
    )
    with pytest.raises(BookingClash) as caught:
        _book(borrower, borrower_admin, van, next_saturday())
    assert caught.value.holder is None
    assert caught.value.next_start.date() == day + datetime.timedelta(days=1)


def test_cancellation_promotes_the_waiting_list(owner, owner_admin, borrower, borrower_admin, van):
    booking = _book(borrower, borrower_admin, van, next_saturday())
    judo = AssociationFactory(name="Club de Judo")
    judo_admin = member_with_account(judo, [Role.ADMIN])
    entry = services.waitlist_join(
        association=judo,
        actor=judo_admin,
        resource=van,
        starts_at=next_saturday(10),
        ends_at=next_saturday(12),
    )
    services.booking_cancel(association=owner, actor=owner_admin, booking=booking, reason="Panne")
    with scopes_disabled():
        entry.refresh_from_db()
        assert entry.status == WaitlistStatus.PROMOTED
        assert entry.booking.borrower == judo
        assert entry.booking.status == BookingStatus.REQUESTED


def test_the_borrower_may_cancel_a_third_association_may_not(borrower, borrower_admin, van):
    booking = _book(borrower, borrower_admin, van, next_saturday())
    judo = AssociationFactory(name="Club de Judo")
    with pytest.raises(Exception) as caught:
        services.booking_cancel(
            association=judo, actor=member_with_account(judo, [Role.ADMIN]), booking=booking
        )
    assert caught.value.__class__.__name__ in ("ObjectOutsideAssociation", "PermissionDenied")
    cancelled = services.booking_cancel(association=borrower, actor=borrower_admin, booking=booking)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_by_owner is False


def test_extending_rechecks_clashes(borrower, borrower_admin, van):
    start = next_saturday(8)
    first = _book(borrower, borrower_admin, van, start, hours=2)
    _book(borrower, borrower_admin, van, start + 5 * H, hours=2)
    extended = services.booking_extend(
        association=borrower, actor=borrower_admin, booking=first, ends_at=start + 4 * H
    )
    assert extended.blocks_until == start + 5 * H
    with pytest.raises(BookingClash):
        services.booking_extend(
            association=borrower, actor=borrower_admin, booking=first, ends_at=start + 5 * H
        )


def test_network_only_resources_need_a_shared_network(owner, borrower, borrower_admin, van):
    with scopes_disabled():
        van.audience = BorrowerAudience.NETWORKS
        van.save()
    with pytest.raises(PermissionDenied):
        _book(borrower, borrower_admin, van, next_saturday())
    network = NetworkFactory()
    MembershipFactory(network=network, association=owner)
    MembershipFactory(network=network, association=borrower)
    assert _book(borrower, borrower_admin, van, next_saturday()).borrower == borrower


def test_only_the_owner_decides(borrower, borrower_admin, van):
    booking = _book(borrower, borrower_admin, van, next_saturday())
    with pytest.raises(Exception) as caught:
        services.booking_decide(
            association=borrower, actor=borrower_admin, booking=booking, approve=True
        )
    assert caught.value.__class__.__name__ == "ObjectOutsideAssociation"


def test_check_out_needs_a_condition_report(owner, owner_admin, borrower, borrower_admin, van):
    booking = _book(borrower, borrower_admin, van, next_saturday())
    services.booking_decide(association=owner, actor=owner_admin, booking=booking, approve=True)
    with pytest.raises(ValidationError):
        services.booking_check_out(
            association=owner, actor=owner_admin, booking=booking, condition=" "
        )
