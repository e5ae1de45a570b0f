"""Yearly tax receipts benchmark: one association, DONATIONS gifts of last year by
DONORS donors, then the year-end task (``issue_yearly_receipts``, the same entry point
the worker runs) issues one numbered receipt per donor and stores every PDF.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillon_funding_bench \\
        .venv/bin/python bench/receipts/run.py

Knobs: DONATIONS=20000 DONORS=5000. The data set is made once (bulk inserts) and the
receipts of the previous run are removed before each run (benchmark database only).
Prints the load average before and after: the machine may be shared."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillon_funding_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
os.environ.setdefault("MAILLON_DEBUG", "1")
os.environ.setdefault("MAILLON_VAR_DIR", "/tmp/maillon-receipts-bench-var")
os.environ["TASKS_BACKEND"] = "immediate"

DONATIONS = int(os.environ.get("DONATIONS", "20000"))
DONORS = int(os.environ.get("DONORS", "5000"))
SLUG = "bench-receipts"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def setup():
    from pgdb import ensure_db

    ensure_db()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The task emails every donor who has an address: compose the messages (that is
    # part of the work measured) but keep them in memory instead of printing 5,000
    # emails on the console (the DEBUG default) or reaching an SMTP server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("migrate", verbosity=0)


def dataset():
    from django_scopes import scopes_disabled

    from maillon.accounts.models import User
    from maillon.associations.models import Association, Module
    from maillon.funding.models import Donation, Donor, FundingSettings
    from maillon.members.models import Person, Role, RoleAssignment

    year = datetime.date.today().year - 1
    with scopes_disabled():
        association = Association.objects.filter(slug=SLUG).first()
        if association is None:
            association = Association.objects.create(
                name="Banc d’essai des reçus",
                slug=SLUG,
                city="Lyon",
                postal_code="69001",
                enabled_modules=[Module.MEMBERS, Module.FUNDING],
            )
        user, _ = User.objects.get_or_create(email="tresorier@bench-receipts.test")
        person, _ = Person.objects.get_or_create(
            association=association,
            user=user,
            defaults={"first_name": "Trésorier", "last_name": "Banc"},
        )
        RoleAssignment.objects.get_or_create(
            association=association, person=person, role=Role.TREASURER
        )
        FundingSettings.objects.update_or_create(
            association=association,
            defaults={
                "receipts_enabled": True,
                "object": "Banc d’essai",
                "address": "1 rue de l’Essai",
                "signatory_name": "Hélène Dubois",
                "signatory_title": "Trésorière",
            },
        )
        have = Donation.objects.filter(association=association).count()
        if have != DONATIONS or Donor.objects.filter(association=association).count() != DONORS:
            Donation.objects.filter(association=association).update(receipt=None)
            _reset(association)
            Donation.objects.filter(association=association).delete()
            Donor.objects.filter(association=association).delete()
            donors = Donor.objects.bulk_create(
                [
                    Donor(
                        association=association,
                        kind="person",
                        first_name="Éloïse",
                        last_name=f"Lefèvre-{i:05d}",
                        email=f"donateur{i}@example.org",
                        address=f"{i % 90 + 1} rue des Érables",
                        postal_code="69004",
                        city="Lyon",
                    )
                    for i in range(DONORS)
                ],
                batch_size=2000,
            )
            Donation.objects.bulk_create(
                [
                    Donation(
                        association=association,
                        donor=donors[i % DONORS],
                        date=datetime.date(year, 1 + i % 12, 1 + i % 28),
                        amount=Decimal(10 + i % 90),
                        method=("cheque", "transfer", "card", "cash")[i % 4],
                    )
                    for i in range(DONATIONS)
                ],
                batch_size=5000,
            )
        _reset(association)
    return association, user, year


def _reset(association):
    from maillon.funding.models import Donation, Receipt, ReceiptBatch, ReceiptCounter

    Donation.objects.filter(association=association).update(receipt=None)
    Receipt.objects.filter(association=association).update(cancels=None, replaces=None)
    Receipt.objects.filter(association=association).delete()
    ReceiptBatch.objects.filter(association=association).delete()
    ReceiptCounter.objects.filter(association=association).delete()


def main():
    setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from maillon.funding.models import Receipt, ReceiptBatch
    from maillon.funding.receipts.tasks import issue_yearly_receipts

    association, user, year = dataset()
    with scopes_disabled():
        batch = ReceiptBatch.objects.create(
            association=association, gift_year=year, requested_by=user
        )
    print(f"{DONATIONS} donations by {DONORS} donors, gifts of {year}; {connection.vendor}")
    print("before:", uptime())
    start = time.perf_counter()
    issue_yearly_receipts.call(association_id=association.pk, language="fr", batch_id=batch.pk)
    elapsed = time.perf_counter() - start
    print("after: ", uptime())
    with scopes_disabled():
        batch.refresh_from_db()
        receipts = Receipt.objects.filter(association=association)
        sequences = list(receipts.order_by("sequence").values_list("sequence", flat=True))
        stored = receipts.exclude(file_path="").count()
    assert batch.status == "done", batch.status
    assert sequences == list(range(1, DONORS + 1)), "numbers are not consecutive"
    print(
        f"{batch.issued} receipts issued, {stored} PDFs stored, numbers 1..{sequences[-1]} "
        f"without gap, in {elapsed:.1f} s "
        f"({1000 * elapsed / max(batch.issued, 1):.1f} ms per receipt)"
    )


if __name__ == "__main__":
    main()
