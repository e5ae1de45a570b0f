import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from maillon.network.models import Booking, Company, HelpRequest, SharedResource

pytestmark = pytest.mark.django_db


def test_the_demo_lends_a_van_in_a_collective_and_asks_for_help():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    with scopes_disabled():
        assert SharedResource.objects.filter(name="Minibus 9 places").count() == 1
        booking = Booking.objects.get()
        assert booking.association.slug == "amis-croix-rousse"
        assert booking.borrower.slug == "epicerie-belle-de-mai"
        asked = HelpRequest.objects.get(association__slug="epicerie-belle-de-mai")
        assert asked.audiences == ["companies", "volunteers"]
    assert Company.objects.get().employees.count() == 1
