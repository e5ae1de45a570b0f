"""Time the publication of an observatory wave of N snapshots (default 10,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillon_observatory \\
        .venv/bin/python bench/observatory/publish.py [--snapshots 10000]

Creates the database if needed and migrates it, removes the previous benchmark wave,
adds N completed anonymous diagnostics with their observatory opt-ins (synthetic,
skewed towards large associations), opens a wave, then times ``wave_publish``:
freezing the N snapshots and their links, raking, storing the weights, computing
every indicator with its breakdowns and suppression, deleting the links.
Target: < 30 s."""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillon_observatory")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
os.environ.setdefault("MAILLON_DEBUG", "1")

BENCH_YEAR = 2099


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshots", type=int, default=10_000)
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from pgdb import ensure_db

        ensure_db()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from maillon.accounts.models import User
    from maillon.observatory.models import AnonymousOptIn, Wave
    from maillon.observatory.synthetic import skewed_profile, synthetic_answers
    from maillon.observatory.waves.services import wave_open, wave_publish
    from maillon.strategy.models import AnonymousDiagnostic

    Wave.objects.filter(year=BENCH_YEAR).delete()
    Wave.objects.filter(status="open").delete()
    AnonymousOptIn.objects.all().delete()
    AnonymousDiagnostic.objects.all().delete()
    staff, _ = User.objects.get_or_create(
        email="bench-observatory@example.org", defaults={"is_staff": True}
    )
    rnd = random.Random(7)
    now = timezone.now()
    start = time.perf_counter()
    diagnostics, regions = [], []
    for _ in range(args.snapshots):
        size, sector, region = skewed_profile(rnd)
        taken = now - datetime.timedelta(days=rnd.randint(1, 300))
        diagnostics.append(
            AnonymousDiagnostic(
                questionnaire_version=1,
                answers=synthetic_answers(rnd, size, sector),
                created_at=taken,
                completed_at=taken,
            )
        )
        regions.append(region)
    created = AnonymousDiagnostic.objects.bulk_create(diagnostics, batch_size=1000)
    AnonymousOptIn.objects.bulk_create(
        [AnonymousOptIn(token=d.token, region=r) for d, r in zip(created, regions, strict=True)],
        batch_size=1000,
    )
    print(f"setup: {args.snapshots:,} anonymous diagnostics in {time.perf_counter() - start:.1f} s")
    wave = wave_open(actor=staff, year=BENCH_YEAR)
    start = time.perf_counter()
    wave = wave_publish(actor=staff, wave=wave)
    elapsed = time.perf_counter() - start
    report = wave.weighting
    print(f"wave_publish: {elapsed:.2f} s for {report['n']:,} snapshots")
    print(
        f"converged {report['converged']} in {report['iterations']} cycles, effective n "
        f"{report['effective_sample_size']:,.0f}, design effect {report['design_effect']:.2f}"
    )


if __name__ == "__main__":
    main()
