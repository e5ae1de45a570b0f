"""The observatory's demo wave: skewed towards large associations, weighting moves it."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.utils import timezone

from maillon.accounts.tests.factories import UserFactory
from maillon.demo.builders.accounts import SUPERUSER_EMAIL
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.observatory import seed_observatory
from maillon.observatory.models import Snapshot, SnapshotLink, WaveStatus

pytestmark = pytest.mark.django_db


def test_demo_wave_is_published_and_weighting_moves_the_figures():
    UserFactory(email=SUPERUSER_EMAIL, is_staff=True, is_superuser=True)
    out = io.StringIO()
    run = DemoRun(timezone.localdate(), make_password("x"), out, no_style())
    wave = seed_observatory(run, size=300)
    assert wave.status == WaveStatus.PUBLISHED
    assert Snapshot.objects.filter(wave=wave).count() == 300
    assert not SnapshotLink.objects.exists()
    moved = [
        abs(i["share"] - i["unweighted_share"])
        for i in wave.results["indicators"]
        if not i["suppressed"]
    ]
    assert max(moved) > 0.05  # weighting visibly moves figures
    assert wave.weighting["design_effect"] > 1.5
    assert seed_observatory(run, size=300) == wave  # idempotent
