import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from maillon.network.models import Engagement

pytestmark = pytest.mark.django_db


def test_the_demo_has_engagements_in_various_states():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    with scopes_disabled():
        states = sorted(Engagement.objects.values_list("kind", "status"))
        closed = Engagement.objects.get(status="closed")
    assert states == [
        ("company", "in_progress"),
        ("network", "closed"),
        ("volunteer", "declined"),
        ("volunteer", "offered"),
    ]
    assert closed.handover_notes and closed.network.slug == "collectif-croix-rousse"
