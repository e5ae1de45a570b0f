"""The pooling journey, in a real browser: an association finds the van of another
association of its network for next Saturday, books it; the owner approves; the loan
agreement PDF names both. Then it posts a help request prefilled from an action of its
plan (a diagnostic recommendation adopted), and a company's coordinator sees it among
the requests that suit its employees, with the reasons. The coordinator offers an
employee; the association accepts; the skills sponsorship agreement is drafted, costed
by the company and signed by both sides; its PDF shows the 3 × PASS cap; the company
enters two time sheets, the association validates them, and the year's total it reads
is hours × hourly cost (issue #14, "Tests and evidence")."""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import formats, timezone, translation
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.help.companies.services import company_register, employee_add
from maillon.network.help.models import Engagement, EngagementStatus
from maillon.network.help.sponsorship.caps import pass_table
from maillon.network.help.sponsorship.models import (
    AgreementEmployee,
    SponsorshipAgreement,
    TimesheetEntry,
    TimesheetStatus,
)
from maillon.network.help.sponsorship.selectors import yearly_totals
from maillon.network.tests.factories import MembershipFactory, NetworkFactory
from maillon.network.tests.pooling.factories import SharedResourceFactory, next_saturday
from maillon.strategy.models import Action
from maillon.taxonomy.models import Skill

from .test_journey_strategy import log_in, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Minibus-Du-Samedi-2026!"
FMT = "%Y-%m-%dT%H:%M"
HOURLY_COST = Decimal("61.85")  # Camille's gross hourly salary + employer charges
TIMESHEET = [
    (Decimal("7.5"), "Maquette du formulaire d’adhésion"),
    (Decimal("11.25"), "Mise en ligne"),
]


def pdf_text(body: bytes) -> str:
    """The PDF's text with every run of spaces (ordinary, non-breaking, narrow, line
    breaks inside a table cell) made one space, for comparing with figures."""
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def spaced(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def french_number(value: Decimal, places: int) -> str:
    """``value`` as a French page shows it (decimal comma, grouped thousands)."""
    with translation.override("fr"):
        return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def test_van_booking_help_request_and_skills_sponsorship(browser_page: Page, page_errors):
    page = browser_page
    owner = AssociationFactory(name="Maison des Jeunes de Vaise", slug="mjc-vaise")
    borrower = AssociationFactory(name="Secours du Plateau", slug="secours-plateau")
    network = NetworkFactory(name="Collectif Lyon 9")
    MembershipFactory(network=network, association=owner)
    MembershipFactory(network=network, association=borrower)
    van = SharedResourceFactory(
        association=owner, name="Minibus 9 places", audience="networks", deposit=500
    )
    member_with_account(owner, [Role.ADMIN], email="owner@mjc.example", password=PASSWORD)
    member_with_account(borrower, [Role.ADMIN], email="admin@secours.example", password=PASSWORD)

    # 1. The borrower searches next Saturday's vehicles of its network (a plain GET form).
    log_in(page, "admin@secours.example", PASSWORD)
    start = next_saturday(9)
    end = start + datetime.timedelta(hours=9)
    page.goto("/a/secours-plateau/resources/")
    search = page.locator("main form[role=search]")
    search.locator("[name=starts_at]").fill(start.strftime(FMT))
    search.locator("[name=ends_at]").fill(end.strftime(FMT))
    search.locator("[name=kind]").select_option("vehicle")
    search.locator("[name=network]").select_option(str(network.pk))
    submit(search)
    page.locator(f'main a[href="/a/secours-plateau/resources/{van.pk}/"]').click()

    # 2. It asks for the van.
    book = page.locator(f'main form[action="/a/secours-plateau/resources/{van.pk}/book/"]').last
    book.locator("[name=starts_at]").fill(start.strftime(FMT))
    book.locator("[name=ends_at]").fill(end.strftime(FMT))
    book.locator("[name=purpose]").fill("Sortie des familles au parc")
    submit(book)
    expect(page).to_have_url(re.compile(r"/resources/bookings/\d+/$"))
    booking_id = int(re.search(r"/bookings/(\d+)/$", page.url).group(1))

    # 3. The owner approves it.
    page.context.clear_cookies()
    log_in(page, "owner@mjc.example", PASSWORD)
    page.goto(f"/a/mjc-vaise/resources/bookings/{booking_id}/")
    decide = page.locator(
        f'main form[action="/a/mjc-vaise/resources/bookings/{booking_id}/decide/"]'
    )
    decide.locator('button[value="approve"]').click()
    expect(page.locator("main dl")).to_contain_text("Secours du Plateau")

    # 4. The loan agreement names both associations, the item and the deposit.
    response = page.context.request.get(
        f"/a/mjc-vaise/resources/bookings/{booking_id}/agreement.pdf"
    )
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    for expected in (
        "Maison des Jeunes de Vaise",
        "Secours du Plateau",
        "Minibus 9 places",
        "500,00",
    ):
        assert expected in text

    # 5. The borrower turns an adopted recommendation of its plan into a help request.
    skills = list(Skill.objects.all()[:2])
    with scopes_disabled():
        action = Action.objects.create(
            association=borrower,
            title="Faire appel au mécénat de compétences pour notre site",
            description="Notre site ne permet pas l’adhésion en ligne.",
            recommendation_code="company_sponsorship",
            due_date=timezone.localdate() + datetime.timedelta(days=90),
        )
    page.context.clear_cookies()
    log_in(page, "admin@secours.example", PASSWORD)
    page.goto(f"/a/secours-plateau/help/new/?action={action.pk}")
    form = page.locator("main form[method=post]").last
    expect(form.locator("[name=title]")).to_have_value(action.title)
    expect(form.locator('[name=audiences][value="companies"]')).to_be_checked()
    form.locator("[name=deliverable]").fill(
        "Un formulaire d’adhésion en ligne et deux bénévoles formés."
    )
    for skill in skills:
        form.locator(f'[name=skills][value="{skill.pk}"]').check()
    form.locator("[name=format]").select_option("remote")
    submit(form)
    expect(page.locator("main h1")).to_have_text(action.title)

    # 6. A company's coordinator sees it among the requests that suit its employee.
    coordinator = UserFactory(email="rse@numerique.example", password=PASSWORD)
    company = company_register(actor=coordinator, name="Numérique Solidaire", siren="732829320")
    employee_add(company=company, actor=coordinator, full_name="Camille Durand", skills=skills)
    page.context.clear_cookies()
    log_in(page, "rse@numerique.example", PASSWORD)
    page.goto(f"/companies/{company.slug}/")
    expect(page.locator("main")).to_contain_text(action.title)
    expect(page.locator("main")).to_contain_text("Camille Durand")
    expect(page.locator("main")).to_contain_text("2 sur 2 compétences recherchées")

    # 7. The coordinator offers Camille's time on that request, from the company space.
    today = timezone.localdate()
    starts_on = max(today - datetime.timedelta(days=10), datetime.date(today.year, 1, 1))
    ends_on = datetime.date(today.year, 12, 31)
    page.locator("main .card").filter(has_text=action.title).get_by_role(
        "link", name="Proposer notre aide"
    ).click()
    offer = page.locator("main form[method=post]").last
    offer.get_by_label("Camille Durand").check()
    offer.locator("[name=message]").fill(
        "Camille, développeuse, peut construire le formulaire et former deux bénévoles."
    )
    offer.locator("[name=hours_offered]").fill("40")
    offer.locator("[name=start_date]").fill(today.isoformat())
    submit(offer)
    expect(page).to_have_url(re.compile(rf"/companies/{company.slug}/help/\d+/$"))
    engagement_id = int(re.search(r"/help/(\d+)/$", page.url).group(1))
    with scopes_disabled():
        engagement = Engagement.objects.get(pk=engagement_id)
        assert engagement.company == company and engagement.association == borrower
        assert list(engagement.employees.values_list("full_name", flat=True)) == ["Camille Durand"]

    # 8. The association accepts the offer.
    page.context.clear_cookies()
    log_in(page, "admin@secours.example", PASSWORD)
    page.goto("/a/secours-plateau/help/")
    page.get_by_role("link", name="Toutes les propositions d’aide").click()
    page.locator("main table").get_by_role("link", name=action.title).click()
    expect(page.locator("main")).to_contain_text("Numérique Solidaire")
    page.get_by_role("button", name="Accepter la proposition").click()
    expect(page.locator("main dl")).to_contain_text("Acceptée")
    with scopes_disabled():
        assert Engagement.objects.get(pk=engagement_id).status == EngagementStatus.ACCEPTED

    # 9. The association drafts the agreement from the accepted offer; the company
    # names Camille with her hourly cost and signs; the association signs.
    page.get_by_role("link", name="Rédiger la convention de mécénat de compétences").click()
    terms = page.locator("main form[method=post]").last
    terms.locator("[name=tasks]").fill(
        "Construire le formulaire d’adhésion en ligne du site et former deux bénévoles."
    )
    terms.locator("[name=starts_on]").fill(starts_on.isoformat())
    terms.locator("[name=ends_on]").fill(ends_on.isoformat())
    terms.locator("[name=planned_hours]").fill("40")
    terms.locator("[name=association_signatory]").fill("Aïcha Benali, présidente")
    terms.locator("[name=company_signatory]").fill("Paul Martin, directeur RSE")
    submit(terms)
    expect(page).to_have_url(re.compile(r"/a/secours-plateau/sponsorship/\d+/$"))
    agreement_id = int(re.search(r"/sponsorship/(\d+)/$", page.url).group(1))

    page.context.clear_cookies()
    log_in(page, "rse@numerique.example", PASSWORD)
    page.goto(f"/companies/{company.slug}/")
    page.get_by_role("link", name=re.compile("^Mécénat de compétences")).click()
    page.locator("main table").get_by_role("link", name="Secours du Plateau").click()
    expect(page).to_have_url(re.compile(rf"/companies/{company.slug}/sponsorship/{agreement_id}/$"))
    costing = page.locator(
        f'main form[action="/companies/{company.slug}/sponsorship/{agreement_id}/employees/"]'
    )
    costing.locator("[name=employee]").select_option(label="Camille Durand")
    costing.locator("[name=hourly_cost]").fill(str(HOURLY_COST))
    costing.locator("[name=planned_hours]").fill("40")
    submit(costing)
    costing_row = (
        page.locator("main table").first.locator("tbody tr").filter(has_text="Camille Durand")
    )
    expect(costing_row).to_contain_text(f"{french_number(HOURLY_COST, 2)} €")
    page.get_by_role("button", name="Marquer signée par l’entreprise").click()
    expect(page.locator("main dl")).to_contain_text("Paul Martin, directeur RSE — signée le")

    page.context.clear_cookies()
    log_in(page, "admin@secours.example", PASSWORD)
    page.goto(f"/a/secours-plateau/sponsorship/{agreement_id}/")
    page.get_by_role("button", name="Marquer signée par l’association").click()
    expect(page.locator("main dl")).to_contain_text("Aïcha Benali, présidente — signée le")
    with scopes_disabled():
        agreement = SponsorshipAgreement.objects.get(pk=agreement_id)
        assert agreement.is_signed and agreement.engagement_id == engagement_id
        assert AgreementEmployee.objects.get(agreement=agreement).hourly_cost == HOURLY_COST

    # 10. The agreement PDF names both parties and Camille, her hourly cost, and the
    # year's cap: 3 × the PASS of the year.
    response = page.context.request.get(
        f"/a/secours-plateau/sponsorship/{agreement_id}/agreement.pdf"
    )
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    pass_amount = pass_table()[today.year]
    cap = 3 * pass_amount
    planned_cost = (40 * HOURLY_COST).quantize(Decimal("0.01"))
    for expected in (
        "Secours du Plateau",
        "Numérique Solidaire",
        "SIREN : 732829320",
        "Camille Durand",
        f"{french_number(HOURLY_COST, 2)} €",
        f"{french_number(planned_cost, 2)} €",
        "Plafond annuel (3 × PASS)",
        f"{today.year} : {french_number(cap, 2)} € (PASS {french_number(pass_amount, 2)} €)",
        "Aïcha Benali, présidente",
        "Paul Martin, directeur RSE",
    ):
        assert spaced(expected) in text, expected

    # 11. The company enters two time sheets; the association validates both; the
    # year's total it reads is the validated hours × Camille's hourly cost.
    page.context.clear_cookies()
    log_in(page, "rse@numerique.example", PASSWORD)
    days = [starts_on, today]
    for (hours, what), day in zip(TIMESHEET, days, strict=True):
        page.goto(f"/companies/{company.slug}/sponsorship/{agreement_id}/")
        entry = page.locator(
            f'main form[action="/companies/{company.slug}/sponsorship/{agreement_id}/time/"]'
        )
        entry.locator("[name=row]").select_option(label="Camille Durand")
        entry.locator("[name=date]").fill(day.isoformat())
        entry.locator("[name=hours]").fill(str(hours))
        entry.locator("[name=description]").fill(what)
        submit(entry)
        expect(page.locator("main table").last).to_contain_text(what)
    with scopes_disabled():
        assert (
            TimesheetEntry.objects.filter(
                agreement_id=agreement_id, status=TimesheetStatus.SUBMITTED
            ).count()
            == 2
        )

    page.context.clear_cookies()
    log_in(page, "admin@secours.example", PASSWORD)
    page.goto("/a/secours-plateau/sponsorship/")
    for _hours, what in TIMESHEET:
        page.locator("main tr").filter(has_text=what).get_by_role("button", name="Valider").click()
        expect(page.locator("main")).not_to_contain_text(what)
    with scopes_disabled():
        entries = TimesheetEntry.objects.filter(agreement_id=agreement_id)
        assert sorted(e.status for e in entries) == [TimesheetStatus.VALIDATED] * 2
        assert sorted(e.hours for e in entries) == sorted(h for h, _w in TIMESHEET)

    hours = sum((h for h, _w in TIMESHEET), Decimal(0))
    total = (hours * HOURLY_COST).quantize(Decimal("0.01"), ROUND_HALF_UP)
    [year_total] = yearly_totals(association=borrower, year=today.year)
    assert (year_total.hours, year_total.cost, year_total.valued) == (hours, total, total)
    row = page.locator("main table").last.locator("tbody tr").filter(has_text="Numérique Solidaire")
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text(
        spaced(f"Camille Durand : {french_number(hours, 2)} h, {french_number(total, 2)} €")
    )
    shown = [spaced(cells.nth(i).inner_text()) for i in (1, 2, 3)]
    assert shown == [
        french_number(hours, 2),
        spaced(f"{french_number(total, 2)} €"),
        spaced(f"{french_number(total, 2)} €"),
    ]
    assert page_errors == []
