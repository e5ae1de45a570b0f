"""The agreement PDF and the cerfa 16216 receipt of the yearly valued time."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.funding.models import Donation, Donor, Receipt
from maillon.funding.receipts.services import receipt_cancel, render_pdf
from maillon.funding.tests.factories import CompanyDonorFactory, eligible
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.help.sponsorship import selectors, services
from maillon.network.help.sponsorship.pdf import agreement_pdf, money

from .factories import agreement_for, entry

pytestmark = pytest.mark.django_db
D = datetime.date


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def treasurer(association):
    return member_with_account(association, [Role.TREASURER, Role.MEMBER])


@pytest.fixture
def agreement(association, company, camille, bruno):
    return agreement_for(
        association,
        company,
        rows=[(camille, "100", "1600"), (bruno, "45.50", "20")],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )


def test_the_agreement_pdf_names_parties_employees_costing_and_the_cap(agreement):
    text = text_of(agreement_pdf(agreement=agreement, language="fr"))
    with translation.override("fr"):
        cap, pass_2026 = flat(money(Decimal("144180"))), flat(money(Decimal("48060")))
    for mention in (
        "Convention de mécénat de compétences",
        "Les Amis du Quartier",
        "Numérique Solidaire",
        "SIREN : 443061841",
        "Léa Martin, présidente",
        "Hervé Noël, DRH",
        "Refonte du site et formation de deux bénévoles.",
        "Camille Durand",
        "Bruno Lefèvre",
        "45,50 €",
        f"2026 : {cap} (PASS {pass_2026})",
        "dépasse le plafond",
        "Pour l’association",
        "Pour l’entreprise",
    ):
        assert mention in text, mention


def test_the_agreement_pdf_in_english(agreement):
    text = text_of(agreement_pdf(agreement=agreement, language="en"))
    assert "Skills sponsorship agreement" in text
    assert "Yearly cap (3 × PASS)" in text


def _validated_year(agreement, camille, bruno):
    for day in range(75):
        entry(agreement, camille, date=D(2026, 1, 1) + datetime.timedelta(days=day), hours="20")
    entry(agreement, bruno, date=D(2026, 5, 4), hours="10")
    entry(agreement, bruno, date=D(2026, 5, 5), hours="8", status="submitted")


def test_the_receipt_certifies_the_yearly_total_of_the_company(
    association, treasurer, admin_user, agreement, company, camille, bruno
):
    eligible(association)
    _validated_year(agreement, camille, bruno)
    total = selectors.yearly_total(association=association, company=company, year=2026)
    assert total.valued == Decimal("144635.00")
    with pytest.raises(PermissionDenied):  # issuing receipts is the treasurer's
        services.sponsorship_receipt_issue(
            association=association,
            actor=member_with_account(association, [Role.SECRETARY]),
            company=company,
            year=2026,
        )
    with translation.override("fr"):
        receipt = services.sponsorship_receipt_issue(
            association=association, actor=treasurer, company=company, year=2026
        )
    assert receipt.cerfa == "16216" and receipt.gift_year == 2026
    assert receipt.total == total.valued
    with scopes_disabled():
        donor = Donor.objects.get(association=association, siren=company.siren)
        (gift,) = Donation.objects.filter(receipt=receipt)
    assert donor.kind == "company" and donor.company_name == "Numérique Solidaire"
    assert gift.nature == "in_kind" and gift.amount == total.valued
    text = flat(text_of(render_pdf(receipt)))
    with translation.override("fr"):
        figure = flat(money(total.valued))
    for mention in (
        "16216",
        "443061841",
        "Numérique Solidaire",
        figure,
        "Mécénat de compétences 2026 : 1 510,00 h validées",
        "valorisées au coût de revient",
        "plafonné à 3 × PASS",
    ):
        assert mention in text, mention
    # Once per company and year: a second receipt is refused, naming the first.
    with pytest.raises(ValidationError, match=receipt.number):
        services.sponsorship_receipt_issue(
            association=association, actor=treasurer, company=company, year=2026
        )


def test_the_receipt_follows_the_numbering_and_is_never_deleted(
    association, treasurer, agreement, company, camille, bruno
):
    eligible(association)
    donor = CompanyDonorFactory(association=association, siren=company.siren)
    _validated_year(agreement, camille, bruno)
    first = services.sponsorship_receipt_issue(
        association=association, actor=treasurer, company=company, year=2026
    )
    # The company's existing donor record is used, not a second one.
    assert first.donor == donor
    # A correction: more time validated, the receipt cancelled without replacement,
    # then a new one with the new figure, numbered next.
    entry(agreement, bruno, date=D(2026, 6, 1), hours="2")
    receipt_cancel(
        association=association,
        actor=treasurer,
        receipt=first,
        reason="Heures oubliées",
        reissue=False,
    )
    second = services.sponsorship_receipt_issue(
        association=association, actor=treasurer, company=company, year=2026
    )
    assert second.sequence == first.sequence + 2  # the cancellation took the number between
    assert second.total == first.total + Decimal("91.00")
    with scopes_disabled():
        assert Receipt.objects.filter(association=association).count() == 3


def test_no_receipt_without_validated_time_or_pass(association, treasurer, company, agreement):
    eligible(association)
    with pytest.raises(ValidationError, match="nothing to certify|rien à certifier"):
        services.sponsorship_receipt_issue(
            association=association, actor=treasurer, company=company, year=2026
        )
    with pytest.raises(ValidationError, match="PASS"):
        services.sponsorship_receipt_issue(
            association=association, actor=treasurer, company=company, year=2023
        )
