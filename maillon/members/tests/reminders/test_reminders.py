"""Fee reminders: before the end, once after it, once more M days later; by email or
as a letter; never twice; turned off from the email's link."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.members.fees.services import fee_schedule_update
from maillon.members.models import FeeReminder, Person
from maillon.members.reminders import services
from maillon.members.reminders.selectors import reminder_stage
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
END = D(2027, 8, 31)


@pytest.fixture
def club(association, admin_user):
    with scope(association=association):
        fee_schedule_update(
            association=association,
            actor=admin_user,
            period_rule="season",
            season_start_month=9,
            season_start_day=1,
            remind_days_before=30,
            remind_again_after_days=20,
        )
    return association


def send(today):
    return services.fee_reminders_send_across_associations(today=today)


def member(association, **kwargs):
    person = PersonFactory(association=association, **kwargs)
    MembershipPeriodFactory(person=person, start=D(2026, 9, 1), end=END)
    return person


def test_the_stages():
    def stage(today):
        return reminder_stage(period_end=END, today=today, days_before=30, again_after=20)

    assert stage(D(2027, 7, 31)) is None
    assert stage(D(2027, 8, 1)) == "before"
    assert stage(END) == "before"
    assert stage(D(2027, 9, 1)) == "after"
    assert stage(D(2027, 9, 20)) == "again"
    assert stage(D(2027, 10, 19)) == "again"
    assert stage(D(2027, 10, 20)) is None


def test_reminders_before_after_and_again_never_twice(club):
    person = member(club, email="lea@example.org")
    assert send(D(2027, 7, 20)) == 0
    assert send(D(2027, 8, 5)) == 1
    assert send(D(2027, 8, 6)) == 0  # same window: not again
    assert send(D(2027, 9, 2)) == 1
    assert send(D(2027, 9, 3)) == 0
    assert send(D(2027, 9, 21)) == 1
    assert send(D(2027, 9, 22)) == 0
    assert [m.to for m in mail.outbox] == [["lea@example.org"]] * 3
    assert "/fees/reminders/off/" in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    with scopes_disabled():
        assert sorted(
            FeeReminder.objects.filter(person=person).values_list("stage", flat=True)
        ) == [
            "after",
            "again",
            "before",
        ]


def test_a_renewed_member_is_not_reminded_after_the_end(club):
    person = member(club)
    send(D(2027, 8, 5))
    MembershipPeriodFactory(person=person, start=D(2027, 9, 1), end=D(2028, 8, 31))
    assert send(D(2027, 9, 2)) == 0


def test_people_who_left_or_turned_reminders_off_are_not_reminded(club):
    member(club, left_on=D(2027, 1, 1))
    member(club, fee_reminders_off_at=timezone.now())
    assert send(D(2027, 8, 5)) == 0


def test_a_member_without_email_gets_a_letter_to_print(club, admin_client):
    member(club, email="", first_name="Odette", address="3 rue des Lilas")
    assert send(D(2027, 8, 5)) == 1
    assert mail.outbox == []
    page = reverse("members:fee_reminder_letters", kwargs={"association_slug": club.slug})
    assert "Odette" in admin_client.get(page).content.decode()
    pdf = admin_client.post(
        reverse("members:fee_reminder_letters_pdf", kwargs={"association_slug": club.slug})
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    with scopes_disabled():
        assert FeeReminder.objects.get().printed_at is not None
    assert "Odette" not in admin_client.get(page).content.decode()


def test_the_email_link_turns_reminders_off(club, client):
    person = member(club, email="lea@example.org")
    send(D(2027, 8, 5))
    with scopes_disabled():
        token = FeeReminder.objects.get().token
    url = reverse("fee_reminders:off", args=[token])
    assert client.get(url).status_code == 200  # a confirmation, nothing changed yet
    with scopes_disabled():
        assert Person.objects.get(pk=person.pk).fee_reminders_off_at is None
    assert client.post(url).status_code == 200
    with scopes_disabled():
        assert Person.objects.get(pk=person.pk).fee_reminders_off_at is not None
    assert send(D(2027, 9, 2)) == 0
    assert client.get(reverse("fee_reminders:off", args=["nope"])).status_code == 404


def test_other_associations_without_reminders(club, other_association):
    member(other_association)  # no schedule: no reminder
    member(club)
    assert send(D(2027, 8, 5)) == 1


def test_the_daily_command(club, monkeypatch):
    member(club)
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2027, 8, 5))
    call_command("send_fee_reminders", verbosity=0)
    call_command("send_fee_reminders", "--enqueue", verbosity=0)  # immediate backend in tests
    with scopes_disabled():
        assert FeeReminder.objects.count() == 1
