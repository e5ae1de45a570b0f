import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import BookingStatus
from maillon.network.pooling.reminders import loan_reminders_send_across_associations

from .factories import BookingFactory, SharedResourceFactory

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_reminder_the_day_before_and_overdue_alert_once(
    association, django_capture_on_commit_callbacks
):
    borrower = AssociationFactory(name="Secours", contact_email="contact@secours.example")
    association.contact_email = "contact@amis.example"
    association.save()
    due = BookingFactory(
        resource=SharedResourceFactory(association=association, name="Minibus"),
        borrower=borrower,
        status=BookingStatus.CHECKED_OUT,
        starts_at=_at(-1, 9),
        ends_at=_at(1),
        blocks_until=_at(1),
    )
    late = BookingFactory(
        resource=SharedResourceFactory(association=association, name="Sono"),
        borrower=borrower,
        status=BookingStatus.CHECKED_OUT,
        starts_at=_at(-3, 9),
        ends_at=_at(-1),
        blocks_until=_at(-1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert loan_reminders_send_across_associations() == (1, 1)
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Minibus" in s for s in subjects) and any("Sono" in s for s in subjects)
    overdue = next(m for m in mail.outbox if "Sono" in m.subject)
    assert set(overdue.to) == {"contact@secours.example", "contact@amis.example"}
    with scopes_disabled():
        due.refresh_from_db()
        late.refresh_from_db()
    assert due.reminder_sent_at and late.overdue_alert_sent_at
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_loan_reminders", verbosity=0)  # nothing sent twice
    assert len(mail.outbox) == 2


def test_free_loans_show_on_both_valuation_pages(client, association, admin_user):
    borrower = AssociationFactory(name="Secours", slug="secours")
    borrower_admin = member_with_account(borrower, [Role.ADMIN])
    booking = BookingFactory(
        resource=SharedResourceFactory(association=association, fee=0),
        borrower=borrower,
        status=BookingStatus.CLOSED,
        value_in_kind=Decimal("150"),
    )
    for user, slug, text in (
        (admin_user, association.slug, "Prêts gratuits consentis à d’autres associations"),
        (borrower_admin, "secours", "Prêt gratuit reçu d’une autre association"),
    ):
        client.force_login(user)
        page = client.get(
            reverse("volunteering:valuation", kwargs={"association_slug": slug}),
            {"year": booking.starts_at.year},
        ).content.decode()
        assert text in page and "150,00" in page


def test_metrics_count_resources_bookings_and_help_requests(association):
    from maillon.metrics.registry import measure
    from maillon.network.models import HelpRequest

    borrower = AssociationFactory()
    booking = BookingFactory(
        resource=SharedResourceFactory(association=association), borrower=borrower
    )
    with scopes_disabled():
        HelpRequest.objects.create(
            association=association, title="T", need="N", deliverable="D", audiences=["companies"]
        )
    day = booking.starts_at.date()
    start, end = day - datetime.timedelta(days=30), day
    today = timezone.localdate()
    assert measure("network.resources_shared", association=association, start=start, end=end) == 1
    assert measure("network.bookings", association=association, start=start, end=end) == 1
    assert measure("network.bookings", association=borrower, start=start, end=end) == 1
    assert measure("network.help_requests", association=association, start=today, end=today) == 1
