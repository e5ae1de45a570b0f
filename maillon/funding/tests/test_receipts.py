"""Tax receipts: eligibility, numbering, the cerfa mentions in the PDF, cancelling
(never deleting), the yearly batch, the donor's downloads."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.funding.donations.services import donation_cancel
from maillon.funding.models import (
    BatchStatus,
    Donation,
    Method,
    Nature,
    Receipt,
    ReceiptBatch,
    ReceiptKind,
    ReceiptStatus,
)
from maillon.funding.receipts.links import receipt_token
from maillon.funding.receipts.services import (
    receipt_batch_start,
    receipt_cancel,
    receipt_issue,
    render_pdf,
)
from maillon.funding.receipts.words import euros_in_words
from maillon.members.tests.factories import member_with_account

from .factories import CompanyDonorFactory, DonationFactory, DonorFactory, eligible

pytestmark = pytest.mark.django_db

LAST_YEAR = datetime.date.today().year - 1
THIS_YEAR = datetime.date.today().year


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_no_receipt_until_the_association_says_it_may(association, treasurer):
    gift = DonationFactory(donor=DonorFactory(association=association))
    with pytest.raises(ValidationError):
        receipt_issue(association=association, actor=treasurer, donation=gift)
    eligible(association)
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    assert receipt.number == f"{THIS_YEAR}-000001"
    with pytest.raises(ValidationError):
        receipt_issue(association=association, actor=treasurer, donation=gift)


def test_numbers_follow_each_other_per_association_and_year(
    association, other_association, treasurer
):
    eligible(association)
    eligible(other_association)
    numbers = []
    for _ in range(3):
        gift = DonationFactory(donor=DonorFactory(association=association))
        numbers.append(
            receipt_issue(association=association, actor=treasurer, donation=gift).sequence
        )
    assert numbers == [1, 2, 3]
    # Another association starts its own sequence.
    other = member_with_account(other_association, ["treasurer"])
    gift = DonationFactory(donor=DonorFactory(association=other_association))
    assert receipt_issue(association=other_association, actor=other, donation=gift).sequence == 1


def test_the_individual_receipt_prints_every_mention_of_the_cerfa_11580(association, treasurer):
    eligible(association)
    donor = DonorFactory(
        association=association,
        first_name="Éloïse",
        last_name="Lefèvre",
        address="8 allée des Érables",
    )
    gift = DonationFactory(donor=donor, amount=Decimal("1280.50"), method=Method.CHEQUE)
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    text = flat(text_of(render_pdf(receipt)))
    for mention in (
        "11580",
        f"Numéro d’ordre du reçu : {receipt.number}",
        "Les Amis du Quartier",
        "3 place Sathonay",
        "Aide aux devoirs et sorties culturelles",
        "[X] Œuvre ou organisme d’intérêt général",
        "LEFÈVRE Éloïse",
        "8 allée des Érables",
        "1 280,50 €",
        "mille deux cent quatre-vingts euros et cinquante centimes",
        "article 200 du Code général des impôts",
        "[X] Chèque",
        "[X] Versement en numéraire",
        "Hélène Dubois, Trésorière",
    ):
        assert mention in text, mention


def test_the_company_receipt_is_the_cerfa_16216_with_the_siren(association, treasurer):
    eligible(association)
    gift = DonationFactory(
        donor=CompanyDonorFactory(association=association, company_name="Épicerie Brûlé"),
        amount=Decimal("500"),
        method=Method.TRANSFER,
    )
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    assert receipt.cerfa == "16216"
    text = flat(text_of(render_pdf(receipt)))
    for mention in (
        "16216",
        "238 bis",
        "Épicerie Brûlé",
        "732829320",
        "500,00 €",
        "cinq cents euros",
    ):
        assert mention in text, mention


def test_a_gift_in_kind_prints_its_description_and_value(
    association, treasurer, django_capture_on_commit_callbacks
):
    eligible(association)
    donor = DonorFactory(association=association)
    DonationFactory(
        donor=donor,
        nature=Nature.IN_KIND,
        method=Method.NONE,
        amount=Decimal("300"),
        description="Vidéoprojecteur",
    )
    DonationFactory(donor=donor, nature=Nature.MONEY, amount=Decimal("20"))
    with django_capture_on_commit_callbacks(execute=True):
        batch = receipt_batch_start(association=association, actor=treasurer, gift_year=LAST_YEAR)
    with scopes_disabled():
        receipt = Receipt.objects.get(association=association)
        assert ReceiptBatch.objects.get(pk=batch.pk).status == BatchStatus.DONE
    text = flat(text_of(render_pdf(receipt)))
    assert "Vidéoprojecteur" in text and "320,00 €" in text and "300,00 €" in text


def test_a_cancelled_receipt_stays_readable_and_a_cancellation_is_issued(
    association, treasurer, django_capture_on_commit_callbacks
):
    eligible(association)
    donor = DonorFactory(association=association)
    first = DonationFactory(donor=donor, amount=Decimal("40"))
    second = DonationFactory(donor=donor, amount=Decimal("60"))
    with django_capture_on_commit_callbacks(execute=True):
        receipt_batch_start(association=association, actor=treasurer, gift_year=LAST_YEAR)
    with scopes_disabled():
        yearly = Receipt.objects.get(association=association)
    assert yearly.total == Decimal("100")

    donation_cancel(
        association=association, actor=treasurer, donation=first, reason="Chèque refusé"
    )

    with scopes_disabled():
        yearly.refresh_from_db()
        cancellation = Receipt.objects.get(cancels=yearly)
        replacement = Receipt.objects.get(replaces=yearly)
        assert Donation.objects.get(pk=second.pk).receipt_id == replacement.pk
        assert Receipt.objects.filter(association=association).count() == 3
    assert yearly.status == ReceiptStatus.CANCELLED
    assert cancellation.kind == ReceiptKind.CANCELLATION
    assert replacement.total == Decimal("60")
    assert [yearly.sequence, replacement.sequence, cancellation.sequence] == [1, 2, 3]
    stamped = flat(text_of(render_pdf(yearly)))
    assert "ANNULÉ" in stamped and cancellation.number in stamped and "100,00 €" in stamped
    assert yearly.number in flat(text_of(render_pdf(cancellation)))
    assert yearly.number in flat(text_of(render_pdf(replacement)))
    with pytest.raises(ValidationError):
        receipt_cancel(association=association, actor=treasurer, receipt=yearly, reason="encore")


def test_the_yearly_batch_issues_one_receipt_per_donor_and_stores_the_pdfs(
    association, treasurer, treasurer_client, django_capture_on_commit_callbacks
):
    eligible(association)
    donors = [DonorFactory(association=association) for _ in range(3)]
    for donor in donors:
        DonationFactory(donor=donor)
        DonationFactory(donor=donor, date=datetime.date(LAST_YEAR, 11, 2))
    DonationFactory(donor=donors[0], date=datetime.date(LAST_YEAR - 1, 6, 1))  # another year
    CompanyDonorFactory(association=association, siren="")  # no gift
    with django_capture_on_commit_callbacks(execute=True):
        response = treasurer_client.post(
            reverse("funding:batch_start", kwargs={"association_slug": association.slug}),
            {"gift_year": LAST_YEAR},
        )
    assert response.status_code == 302
    page = treasurer_client.get(response["Location"])
    assert "3 reçus émis" in page.content.decode() or "3 receipts issued" in page.content.decode()
    with scopes_disabled():
        receipts = list(Receipt.objects.filter(association=association).order_by("sequence"))
    assert [r.sequence for r in receipts] == [1, 2, 3]
    assert all(r.is_yearly and r.file_path and len(r.data["lines"]) == 2 for r in receipts)


def test_the_donor_downloads_their_receipt_by_link_or_from_their_space(
    association, treasurer, client
):
    from maillon.accounts.tests.factories import UserFactory

    eligible(association)
    user = UserFactory(email="marie.curie@example.org")
    gift = DonationFactory(
        donor=DonorFactory(association=association, email="Marie.Curie@example.org")
    )
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    link = reverse("funding_public:receipt", kwargs={"token": receipt_token(receipt)})
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(link[:-3] + "xx/").status_code == 404
    client.force_login(user)
    page = client.get(reverse("my_funding:receipts"))
    assert receipt.number in page.content.decode()
    pdf = client.get(reverse("my_funding:receipt_pdf", kwargs={"receipt_id": receipt.pk}))
    assert pdf.status_code == 200
    client.force_login(UserFactory(email="someone.else@example.org"))
    assert (
        client.get(reverse("my_funding:receipt_pdf", kwargs={"receipt_id": receipt.pk})).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "un euro"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),
        ("81.01", "quatre-vingt-un euros et un centime"),
        ("200", "deux cents euros"),
        ("2000", "deux mille euros"),
        ("1000000", "un million d’euros"),
        ("0.50", "cinquante centimes"),
    ],
)
def test_amounts_in_french_words(amount, words):
    assert euros_in_words(Decimal(amount)) == words


def test_a_receipted_donor_cannot_be_deleted_but_the_association_can(association, treasurer):
    from django.db.models import RestrictedError

    from maillon.associations.models import Association

    eligible(association)
    donor = DonorFactory(association=association)
    receipt_issue(association=association, actor=treasurer, donation=DonationFactory(donor=donor))
    with scopes_disabled():
        with pytest.raises(RestrictedError):
            donor.delete()
        association.delete()
        assert not Association.objects.filter(pk=association.pk).exists()
        assert not Receipt.objects.exists()


def test_the_yearly_summary_counts_receipts_by_year_of_the_gifts(
    association, treasurer, treasurer_client
):
    """Article 222 bis of the CGI: the gifts received in a year that gave rise to
    receipts, and how many receipts; a receipt issued this year for last year's gift
    counts in last year's row."""
    from maillon.funding.receipts.selectors import yearly_summary

    eligible(association)
    donor = DonorFactory(association=association)
    old_gift = DonationFactory(
        donor=donor, amount=Decimal("40"), date=datetime.date(LAST_YEAR, 12, 20)
    )
    new_gift = DonationFactory(
        donor=donor, amount=Decimal("15.50"), date=datetime.date(THIS_YEAR, 1, 2)
    )
    cancelled = DonationFactory(
        donor=DonorFactory(association=association),
        amount=Decimal("99"),
        date=datetime.date(LAST_YEAR, 5, 1),
    )
    for gift in (old_gift, new_gift, cancelled):
        receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
        assert receipt.year == THIS_YEAR  # all issued this year
    with scopes_disabled():
        wrong = Receipt.objects.get(donor=cancelled.donor)
    receipt_cancel(
        association=association, actor=treasurer, receipt=wrong, reason="Erreur", reissue=False
    )
    with scopes_disabled():
        summary = yearly_summary(association=association)
    assert summary == [
        {"year": THIS_YEAR, "valid": 1, "valid_total": Decimal("15.50"), "cancelled": 0},
        {"year": LAST_YEAR, "valid": 1, "valid_total": Decimal("40.00"), "cancelled": 1},
    ]
    page = treasurer_client.get(reverse("funding:receipts", args=[association.slug]))
    assert "40,00 €" in page.content.decode()
