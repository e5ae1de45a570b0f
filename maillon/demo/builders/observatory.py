"""The observatory's demo: a published wave of 1,500 synthetic anonymous diagnostics,
drawn with large associations over-represented (half of them employ staff, against
about one in eight in France), so that weighting visibly moves the figures."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from maillon.accounts.models import User
from maillon.observatory.margins.loading import shipped_margins
from maillon.observatory.margins.selectors import margin_set_default
from maillon.observatory.margins.services import margin_set_load
from maillon.observatory.models import AnonymousOptIn, Wave
from maillon.observatory.synthetic import skewed_profile, synthetic_answers
from maillon.observatory.waves.services import wave_open, wave_publish
from maillon.strategy.models import AnonymousDiagnostic

from .accounts import SUPERUSER_EMAIL
from .common import DemoRun

DEMO_WAVE_SIZE = 1500
SEED = 2025


def seed_observatory(run: DemoRun, *, size: int = DEMO_WAVE_SIZE) -> Wave | None:
    year = run.today.year - 1  # leaves this year's wave for the administrator to open
    existing = Wave.objects.filter(year=year, network__isnull=True).first()
    if existing is not None:
        run.kept(f"= observatory wave {year} ({existing.status})")
        return existing
    if Wave.objects.filter(status="open", network__isnull=True).exists():
        run.kept("= observatory: a wave is open, no demo wave added")
        return None
    staff = User.objects.get(email__iexact=SUPERUSER_EMAIL)
    if margin_set_default() is None:
        margin_set_load(margins=shipped_margins(), actor=staff)
    rnd = random.Random(SEED)
    now = timezone.now()
    diagnostics = []
    regions = []
    for _ in range(size):
        size_band, sector, region = skewed_profile(rnd)
        taken = now - datetime.timedelta(days=rnd.randint(1, 300))
        diagnostics.append(
            AnonymousDiagnostic(
                questionnaire_version=1,
                answers=synthetic_answers(rnd, size_band, sector),
                created_at=taken,
                completed_at=taken,
            )
        )
        regions.append(region)
    created = AnonymousDiagnostic.objects.bulk_create(diagnostics, batch_size=500)
    AnonymousOptIn.objects.bulk_create(
        [AnonymousOptIn(token=d.token, region=r) for d, r in zip(created, regions, strict=True)],
        batch_size=500,
    )
    wave = wave_publish(actor=staff, wave=wave_open(actor=staff, year=year))
    website = next(i for i in wave.results["indicators"] if i["code"] == "tool_website")
    run.added(
        f"+ observatory wave {year}: {size} synthetic anonymous diagnostics, "
        f"website {website['unweighted_share']:.0%} raw -> {website['share']:.0%} weighted "
        f"(design effect {wave.weighting['design_effect']:.2f})"
    )
    return wave
