"""The observatory journey, in a real browser: instance staff open a wave, an
association's administrator consents from the diagnostic's results, staff publish,
a visitor reads the weighted and national figures and downloads the CSV.

Five more consenting associations are set up directly (the threshold k is 5); the
consent of the first one goes through its results page."""

import csv
import io
import re

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.observatory.models import Snapshot, Wave, WaveStatus
from maillon.observatory.tests.factories import answers_for, completed_diagnostic, national_margins
from maillon.observatory.waves.services import wave_consent_set

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Observatoire-Pentes-2026!"
STAFF = "equipe@maillon.example"
ADMIN = "claire.martin@example.org"
YEAR = 2026


def log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(email)
    login.locator("[name=password]").fill(PASSWORD)
    login.locator("[type=submit]").click()
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    expect(logout.get_by_role("button")).to_be_visible()


def test_open_consent_publish_read_and_download(browser_page: Page, page_errors, settings):
    settings.ADMIN_REQUIRE_TOTP = False  # the staff's TOTP step belongs to the admin's journey
    page = browser_page
    national_margins()
    UserFactory(email=STAFF, password=PASSWORD, is_staff=True)
    association = AssociationFactory(name="Les Pentes Solidaires", slug="pentes-solidaires")
    member_with_account(association, [Role.ADMIN, Role.MEMBER], email=ADMIN, password=PASSWORD)
    diagnostic = completed_diagnostic(association, answers_for(1, "3-9"))

    # 1. Staff open the wave of the year.
    log_in(page, STAFF)
    page.goto("/observatory/manage/")
    form = page.locator('main form[method=post]:not([action*="publish"])')
    form.locator("[name=year]").fill(str(YEAR))
    form.locator("[type=submit]").click()
    expect(page.locator(f'main form[action="/observatory/manage/{YEAR}/publish/"]')).to_be_visible()
    wave = Wave.objects.get(year=YEAR)

    # 2. The association's administrator consents at the end of the diagnostic.
    log_in(page, ADMIN)
    results = f"/a/{association.slug}/strategy/{diagnostic.pk}/results/"
    page.goto(results)
    consent = page.locator(f'main form[action="/a/{association.slug}/observatory/consent/"]')
    expect(consent.locator("[name=consented]")).not_to_be_checked()  # off by default
    consent.locator("[name=consented]").check()
    consent.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(results) + "$"))
    expect(page.locator("[name=consented]")).to_be_checked()
    assert Snapshot.objects.filter(wave=wave).count() == 1

    for i in range(5):  # the others, so that figures reach the threshold
        other = AssociationFactory()
        other_admin = member_with_account(other, [Role.ADMIN])
        completed_diagnostic(other, answers_for(10 + i, ("none", "50+")[i % 2]))
        with scope(association=other):
            wave_consent_set(association=other, actor=other_admin, wave=wave, consented=True)

    # 3. Staff publish.
    log_in(page, STAFF)
    page.goto("/observatory/manage/")
    page.locator(f'main form[action="/observatory/manage/{YEAR}/publish/"] [type=submit]').click()
    expect(page).to_have_url(re.compile(rf"/observatory/{YEAR}/$"))
    assert Wave.objects.get(year=YEAR).status == WaveStatus.PUBLISHED

    # 4. Any visitor sees the weighted and the national figures, chart and table.
    page.context.clear_cookies()
    page.goto("/observatory/")
    card = page.locator("main section.observatory-card").first
    expect(card.locator("svg[role=img]")).to_be_visible()
    website = card.locator("tbody tr").first
    expect(website.locator("td").nth(0)).to_have_text(re.compile(r"^\d+\s%$"))  # weighted
    expect(website.locator("td").nth(3)).to_have_text(re.compile(r"^\d+\s% \(2019\)$"))

    # 5. The open data downloads as CSV.
    with page.expect_download() as download_info:
        page.locator(f'main a[href="/observatory/{YEAR}/data.csv"]').click()
    download = download_info.value
    assert download.suggested_filename == f"observatoire-{YEAR}.csv"
    with open(download.path(), encoding="utf-8") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert any(r["indicator"] == "tool_website" and r["national_value"] == "0.71" for r in rows)
    assert not page_errors
