"""The yearly reminder to take the diagnostic again: sent once per diagnostic, a year
after it was completed, to the bureau members who have an account, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.strategy.models import DiagnosticReminder
from maillon.strategy.plan.tasks import send_diagnostic_reminders_across_associations
from maillon.strategy.tests.factories import CompletedDiagnosticFactory

pytestmark = pytest.mark.django_db


def completed(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def bureau(association):
    """Who gets the reminder, and who does not."""
    president = member_with_account(
        association, [Role.PRESIDENT], email="presidente@amis.example", language="fr"
    )
    secretary = member_with_account(
        association, [Role.SECRETARY, Role.MEMBER], email="secretary@amis.example", language="en"
    )
    member_with_account(association, [Role.BOARD], email="board@amis.example")
    member_with_account(association, [Role.MEMBER], email="member@amis.example")
    PersonFactory(association=association, user=None, roles=[Role.ADMIN])  # no account
    former = member_with_account(association, [Role.ADMIN], email="former@amis.example")
    with scopes_disabled():
        former.people.update(left_on=timezone.localdate())
    return president, secretary


def run(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_diagnostic_reminders_across_associations.call()


def test_a_year_later_the_bureau_is_reminded_once_in_their_language(
    association, admin_user, bureau, django_capture_on_commit_callbacks
):
    march = timezone.make_aware(datetime.datetime(timezone.now().year - 2, 3, 12, 10))
    diagnostic = CompletedDiagnosticFactory(association=association, completed_at=march)

    assert run(django_capture_on_commit_callbacks) == 1

    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == [
        "admin@amis.example",
        "presidente@amis.example",
        "secretary@amis.example",
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    english, french = by_address["secretary@amis.example"], by_address["presidente@amis.example"]
    assert "take the digital self-diagnostic again" in english.subject
    assert "Les Amis du Quartier" in english.subject
    assert "12 March" in english.body
    assert "12 mars" in french.body
    assert f"/a/{association.slug}/strategy/" in english.body
    with scopes_disabled():
        assert DiagnosticReminder.objects.get().diagnostic == diagnostic
        assert AuditEntry.objects.filter(action="strategy.diagnostic_reminder_sent").count() == 1

    # Idempotent: the next runs send nothing.
    assert run(django_capture_on_commit_callbacks) == 0
    call_command("send_diagnostic_reminders", verbosity=0)
    assert len(mail.outbox) == 3


def test_no_reminder_before_a_year(association, admin_user, django_capture_on_commit_callbacks):
    CompletedDiagnosticFactory(association=association, completed_at=completed(364))
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    with scopes_disabled():
        assert not DiagnosticReminder.objects.exists()


def test_a_newer_diagnostic_postpones_the_reminder(
    association, admin_user, django_capture_on_commit_callbacks
):
    CompletedDiagnosticFactory(association=association, completed_at=completed(800))
    CompletedDiagnosticFactory(association=association, completed_at=completed(100))
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_each_association_gets_its_own_reminder_and_only_with_the_module_on(
    association, admin_user, other_association, other_admin, django_capture_on_commit_callbacks
):
    CompletedDiagnosticFactory(association=association, completed_at=completed(400))
    CompletedDiagnosticFactory(association=other_association, completed_at=completed(400))
    switched_off = AssociationFactory(enabled_modules=["members"])
    member_with_account(switched_off, [Role.ADMIN], email="admin@off.example")
    CompletedDiagnosticFactory(association=switched_off, completed_at=completed(400))

    assert run(django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@amis.example", "admin@voisin.example"]
    assert all("Club Voisin" not in m.body for m in mail.outbox if m.to == ["admin@amis.example"])


def test_the_command_sends_the_reminders(
    association, admin_user, django_capture_on_commit_callbacks
):
    CompletedDiagnosticFactory(association=association, completed_at=completed(366))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_diagnostic_reminders", verbosity=0)
    assert [m.to for m in mail.outbox] == [["admin@amis.example"]]
