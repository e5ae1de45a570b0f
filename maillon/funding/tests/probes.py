"""This module's entries in the project-wide isolation walk
(core/tests/test_isolation_walk.py) and permission matrix
(core/tests/test_permission_matrix.py). Witness objects are made on first use in the
association under test: a donor with a gift without receipt, a campaign, a valid
receipt (of another gift) and a finished yearly batch."""

import datetime
from decimal import Decimal

LAST_YEAR = datetime.date.today().year - 1


def _signature(association) -> str:
    import io

    from PIL import Image

    from maillon.funding.receipts.signature import store_signature

    out = io.BytesIO()
    Image.new("RGB", (200, 60), "white").save(out, format="PNG")
    return store_signature(association_id=association.pk, png=out.getvalue())


def _witness(association) -> dict:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.funding.models import (
        BatchStatus,
        Campaign,
        Donation,
        Donor,
        FundingSettings,
        Receipt,
        ReceiptBatch,
    )
    from maillon.funding.receipts.numbering import format_number

    with scopes_disabled():
        settings, _ = FundingSettings.objects.update_or_create(
            association=association, defaults={"receipts_enabled": True}
        )
        if not settings.signature_path:
            settings.signature_path = _signature(association)
            settings.save(update_fields=["signature_path"])
        donor, _ = Donor.objects.get_or_create(
            association=association,
            email="donateur.temoin@example.org",
            defaults={"kind": "person", "first_name": "Donateur", "last_name": "Témoin"},
        )
        campaign, _ = Campaign.objects.get_or_create(
            association=association,
            slug="campagne-temoin",
            defaults={"title": "Campagne témoin", "goal": Decimal("1000"), "is_public": True},
        )
        day = datetime.date(LAST_YEAR, 6, 1)
        gift, _ = Donation.objects.get_or_create(
            association=association,
            donor=donor,
            description="",
            amount=Decimal("10"),
            defaults={"date": day, "method": "cheque"},
        )
        receipt = Receipt.objects.filter(
            association=association, sequence=1, year=LAST_YEAR
        ).first()
        if receipt is None:
            receipt = Receipt.objects.create(
                association=association,
                year=LAST_YEAR,
                sequence=1,
                number=format_number(LAST_YEAR, 1),
                cerfa="11580",
                gift_year=LAST_YEAR,
                donor=donor,
                total=Decimal("25"),
                data=_receipt_data(association),
            )
            Donation.objects.create(
                association=association,
                donor=donor,
                date=day,
                amount=Decimal("25"),
                method="cash",
                description="reçu",
                receipt=receipt,
            )
        batch, _ = ReceiptBatch.objects.get_or_create(
            association=association,
            gift_year=LAST_YEAR - 1,
            defaults={"status": BatchStatus.DONE, "finished_at": timezone.now()},
        )
    return {
        "donor_id": donor.pk,
        "donation_id": gift.pk,
        "campaign_id": campaign.pk,
        "receipt_id": receipt.pk,
        "batch_id": batch.pk,
    }


def _receipt_data(association) -> dict:
    from maillon.funding.models import Donor, FundingSettings
    from maillon.funding.receipts import documents

    settings = FundingSettings.objects.get(association=association)
    donor = Donor.objects.get(association=association, email="donateur.temoin@example.org")
    data, _ = documents.receipt_data(
        base=documents.association_part(association, settings), donor=donor, donations=[]
    )
    data["lines"] = [
        {
            "date": f"{LAST_YEAR}-06-01",
            "amount": "25",
            "nature": "money",
            "method": "cash",
            "description": "",
        }
    ]
    data["total"] = "25"
    return data


def _ids(*names):
    def ids(association) -> dict:
        found = _witness(association)
        return {name: found[name] for name in names}

    return ids


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _accounts() -> dict:
    from maillon.funding.models import DEFAULT_ACCOUNTS

    return dict(DEFAULT_ACCOUNTS)


# name → (ids, methods, data(association))
def _pages() -> dict:
    donation = _ids("donation_id")
    return {
        "funding:donations": (None, ("GET",), None),
        "funding:donation_create": (
            None,
            ("GET", "POST"),
            lambda a: {
                "donor": _witness(a)["donor_id"],
                "date": _today(),
                "nature": "money",
                "amount": "5",
                "method": "cash",
            },
        ),
        "funding:donation_detail": (donation, ("GET",), None),
        "funding:donation_cancel": (donation, ("POST",), lambda a: {"reason": "Pirate"}),
        "funding:receipt_issue": (donation, ("POST",), None),
        "funding:donors": (None, ("GET",), None),
        "funding:donor_create": (
            None,
            ("GET", "POST"),
            lambda a: {"kind": "person", "last_name": "Pirate"},
        ),
        "funding:donor_detail": (_ids("donor_id"), ("GET",), None),
        "funding:donor_edit": (
            _ids("donor_id"),
            ("GET", "POST"),
            lambda a: {"last_name": "Pirate"},
        ),
        "funding:campaigns": (None, ("GET",), None),
        "funding:campaign_create": (
            None,
            ("GET", "POST"),
            lambda a: {"title": "Pirate", "starts_on": _today()},
        ),
        "funding:campaign_edit": (
            _ids("campaign_id"),
            ("GET", "POST"),
            lambda a: {"title": "Pirate", "starts_on": _today()},
        ),
        "funding:receipts": (None, ("GET",), None),
        "funding:receipt_settings": (
            None,
            ("GET", "POST"),
            lambda a: {"legal_basis": "general_interest", "receipt_mode": "yearly"},
        ),
        "funding:receipt_signature": (_ids(), ("GET",), None),  # the witness has one
        "funding:batch_start": (None, ("POST",), lambda a: {"gift_year": LAST_YEAR}),
        "funding:batch_progress": (_ids("batch_id"), ("GET",), None),
        "funding:receipt_letters": (None, ("GET", "POST"), None),
        "funding:receipt_emails": (None, ("POST",), None),
        "funding:receipt_detail": (_ids("receipt_id"), ("GET",), None),
        "funding:receipt_pdf": (_ids("receipt_id"), ("GET",), None),
        "funding:receipt_cancel": (_ids("receipt_id"), ("POST",), lambda a: {"reason": "Pirate"}),
        "funding:accounts": (None, ("GET", "POST"), lambda a: _accounts()),
        "funding:journal": (None, ("GET",), None),
    }


def isolation_probes(Probe) -> dict:
    probes = {}
    for name, (ids, methods, data) in _pages().items():
        kwargs = {"methods": methods}
        if ids is not None:
            kwargs["ids"] = lambda w, ids=ids: ids(w.association)
        if data is not None:
            kwargs["data"] = lambda w, data=data: data(w.association)
        probes[name] = Probe(**kwargs)
    donation = lambda w: _ids("donation_id")(w.association)  # noqa: E731
    probes.update(
        {
            "associations/{slug}/donations": Probe(
                methods=("GET", "POST"),
                data=lambda w: {
                    "donor": _witness(w.association)["donor_id"],
                    "date": _today(),
                    "amount": "5",
                    "method": "cash",
                },
            ),
            "associations/{slug}/donations/{donation_id}": Probe(ids=donation),
            "associations/{slug}/donations/{donation_id}/receipt": Probe(
                ids=donation, methods=("POST",)
            ),
            "associations/{slug}/receipts": Probe(),
            "associations/{slug}/receipts/{receipt_id}": Probe(
                ids=lambda w: _ids("receipt_id")(w.association)
            ),
        }
    )
    return probes


def matrix_routes(Route) -> dict:
    routes = {}
    for name, (ids, methods, data) in _pages().items():
        method = "POST" if methods == ("POST",) else "GET"

        def url(t, name=name, ids=ids):
            return t.url(name, **(ids(t.association) if ids else {}))

        routes[name] = Route(
            url,
            method,
            (lambda t, data=data: data(t.association))
            if data and method == "POST"
            else (lambda t: {}),
        )
    return routes
