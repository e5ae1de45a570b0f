"""The pooling journey, in a real browser: an association finds the van of another
association of its network for next Saturday, books it; the owner approves; the loan
agreement PDF names both. Then it posts a help request prefilled from an action of its
plan (a diagnostic recommendation adopted), and a company's coordinator sees it among
the requests that suit its employees, with the reasons.

Not covered yet (not built): the company's offer, the sponsorship agreement PDF with the
3 × PASS cap, and the time sheets (issue #14, point 7)."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.help.companies.services import company_register, employee_add
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


def test_van_booking_agreement_and_help_request(browser_page: Page, page_errors):
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
    assert page_errors == []
