"""No double booking on PostgreSQL: the exclusion constraint exists and holds even
without the service, and 8 requests racing for the last unit leave one winner.
Run with DATABASE_URL=postgres://... (skipped on SQLite)."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import Booking
from maillon.network.pooling import services
from maillon.network.pooling.services import BookingClash

from .factories import BookingFactory, SharedResourceFactory, next_saturday

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint"
)


@pytest.mark.django_db
def test_the_migration_adds_the_exclusion_constraint():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conname = 'booking_no_overlap_per_unit'"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
        assert cursor.fetchone() is not None
    assert len(rows) == 1
    kind, definition = rows[0]
    assert kind == "x"
    assert "tstzrange(starts_at, blocks_until" in definition and "&&" in definition


@pytest.mark.django_db
def test_the_constraint_refuses_an_overlap_written_without_the_service():
    first = BookingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            resource=first.resource,
            starts_at=first.starts_at + datetime.timedelta(hours=1),
            ends_at=first.ends_at + datetime.timedelta(hours=1),
            blocks_until=first.ends_at + datetime.timedelta(hours=1),
        )
    # another unit, or a cancelled booking, does not clash
    BookingFactory(resource=first.resource, unit_number=2)
    BookingFactory(resource=first.resource, status="cancelled")


@pytest.mark.django_db(transaction=True)
def test_eight_threads_racing_for_the_last_unit_leave_one_winner():
    owner = AssociationFactory(slug="proprietaire")
    van = SharedResourceFactory(association=owner, quantity=2, approval_required=False)
    start = next_saturday()
    BookingFactory(resource=van, unit_number=1, status="approved")  # one unit left
    borrowers = []
    for i in range(8):
        association = AssociationFactory(slug=f"emprunteur-{i}")
        borrowers.append((association, member_with_account(association, [Role.ADMIN])))
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(association, actor):
        try:
            barrier.wait()
            services.booking_request(
                association=association,
                actor=actor,
                resource=van,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=8),
            )
            result = "won"
        except BookingClash:
            result = "clash"
        except Exception as error:  # noqa: BLE001 — reported in the assertion
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=pair) for pair in borrowers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["clash"] * 7 + ["won"], outcomes
    with scopes_disabled():
        assert Booking.objects.filter(resource=van, status="approved").count() == 2
