"""The donations journey, in a real browser: the treasurer declares that the
association may issue tax receipts, adds a donor, records two gifts of last year,
issues the yearly receipts in the background (progress page) → the donor signs in and
downloads their receipt from their personal space.

Selectors rely on what does not change with the language (input names, form actions,
link targets)."""

import datetime
import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.core.tests.browser.conftest import TIMEOUT_MS
from maillon.funding.models import Donation, Receipt
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "epicerie-belle-de-mai"
PASSWORD = "Panier-Belle-de-Mai-2026!"
TREASURER = "tresorier@belle-de-mai.example"
DONOR = "marie.curie@example.org"
LAST_YEAR = datetime.date.today().year - 1


def submit(form) -> None:
    form.locator("[type=submit]").first.click()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(email)
    login.locator("[name=password]").fill(PASSWORD)
    submit(login)
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    expect(logout.get_by_role("button")).to_be_visible()


@pytest.fixture
def donor_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_treasurer_records_gifts_issues_yearly_receipts_and_donor_downloads(
    browser_page: Page, donor_page: Page, page_errors
):
    page = browser_page
    base = f"/a/{SLUG}/funding/"
    association = AssociationFactory(
        name="Épicerie solidaire Belle de Mai", slug=SLUG, city="Marseille"
    )
    assert "funding" in association.enabled_modules
    member_with_account(
        association,
        [Role.TREASURER, Role.MEMBER],
        email=TREASURER,
        password=PASSWORD,
        first_name="Jean-Pierre",
        last_name="Santoni",
    )
    UserFactory(email=DONOR, password=PASSWORD)

    # 1. The treasurer says the association may issue receipts, and what they print.
    log_in(page, TREASURER)
    page.goto(f"{base}receipts/settings/")
    form = page.locator("main form[method=post]")
    form.locator("[name=receipts_enabled]").check()
    form.locator("[name=legal_basis]").select_option("general_interest")
    form.locator("[name=object]").fill("Aide alimentaire et épicerie solidaire")
    form.locator("[name=address]").fill("41 rue Loubon")
    form.locator("[name=signatory_name]").fill("Jean-Pierre Santoni")
    form.locator("[name=signatory_title]").fill("Trésorier")
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}receipts/$"))

    # 2. A donor from outside the register.
    page.goto(f"{base}donors/new/")
    form = page.locator("main form[method=post]")
    form.locator("[name=kind]").select_option("person")
    form.locator("[name=first_name]").fill("Marie")
    form.locator("[name=last_name]").fill("Curie")
    form.locator("[name=email]").fill(DONOR)
    form.locator("[name=address]").fill("11 rue Pierre et Marie Curie")
    form.locator("[name=postal_code]").fill("75005")
    form.locator("[name=city]").fill("Paris")
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}donors/\d+/$"))

    # 3. Two gifts of last year: a cheque, and a gift in kind.
    for day, nature, amount, extra in (
        (f"{LAST_YEAR}-03-14", "money", "120", {"method": "cheque"}),
        (f"{LAST_YEAR}-11-02", "in_kind", "80", {"description": "Conserves et café"}),
    ):
        page.locator(f'main a[href^="{base}donations/new/"]').first.click()
        form = page.locator("main form[method=post]")
        form.locator("[name=date]").fill(day)
        form.locator("[name=nature]").select_option(nature)
        form.locator("[name=amount]").fill(amount)
        for name, value in extra.items():
            if name == "method":
                form.locator("[name=method]").select_option(value)
            else:
                form.locator(f"[name={name}]").fill(value)
        submit(form)
        expect(page).to_have_url(re.compile(rf"{re.escape(base)}$"))
        page.goto(f"{base}donors/")
        page.locator(f'main a[href^="{base}donors/"]').filter(has_text="Curie").click()
    with scopes_disabled():
        assert Donation.objects.filter(association=association).count() == 2

    # 4. The yearly receipts, issued in the background, with their progress.
    page.goto(f"{base}receipts/")
    form = page.locator(f'main form[action="{base}receipts/yearly/"]')
    form.locator("[name=gift_year]").fill(str(LAST_YEAR))
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}receipts/yearly/\d+/$"))
    expect(page.locator("#batch-progress progress")).to_have_attribute("value", "100")
    with scopes_disabled():
        receipt = Receipt.objects.get(association=association)
    assert receipt.total == 200 and receipt.is_yearly

    # 5. The donor signs in and downloads their receipt from their personal space.
    log_in(donor_page, DONOR)
    donor_page.goto("/me/funding/receipts/")
    expect(donor_page.locator("main table")).to_contain_text(receipt.number)
    with donor_page.expect_download() as download_info:
        donor_page.locator(f'main a[href="/me/funding/receipts/{receipt.pk}/pdf/"]').click()
    download = download_info.value
    assert download.suggested_filename == f"recu-fiscal-{receipt.number}.pdf"
    with open(download.path(), "rb") as document:
        assert document.read().startswith(b"%PDF-")

    assert page_errors == []
