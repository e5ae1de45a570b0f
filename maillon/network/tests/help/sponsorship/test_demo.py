import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from maillon.network.models import SponsorshipAgreement, TimesheetEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_signed_agreement_and_time_sheets_one_validated():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    with scopes_disabled():
        agreement = SponsorshipAgreement.objects.get()
        assert agreement.is_signed and agreement.association.slug == "epicerie-belle-de-mai"
        statuses = sorted(TimesheetEntry.objects.values_list("status", flat=True))
    assert statuses == ["submitted", "submitted", "validated"]
