"""Pages still work under the Content-Security-Policy (no inline script, no style
attribute, no eval), in a real browser: any violation reported by Chromium fails the test
(conftest.py watches every page). Also the admin's sign-in through allauth with its TOTP step.
"""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.events.models import Event, EventStatus
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory

from . import conftest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "helene.garnier@example.org"
PASSWORD = "correct horse battery"  # the factories' password
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
# Records the calls of window.print() instead of opening the print dialog.
PRINT_STUB = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def test_a_violation_is_reported_and_fails_the_test(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.route(
            "**/planted-inline-script",
            lambda route: route.fulfill(
                status=200,
                content_type="text/html",
                headers={"Content-Security-Policy": "script-src 'self'; style-src 'self'"},
                body='<p style="color: red">x</p><script>document.title = "ran"</script>',
            ),
        )
        page.goto("/planted-inline-script")
        assert page.title() != "ran"  # the policy blocked it
        page.wait_for_timeout(200)
    finally:
        context.close()
    reported = list(conftest._csp_violations)
    conftest._csp_violations.clear()  # seen: this test itself must not fail for them
    assert any("script-src" in line for line in reported), reported
    assert any("style-src" in line for line in reported), reported


def totp_code() -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(SECRET, counter))


@pytest.fixture
def association_admin():
    association = AssociationFactory(name="Les Amis du Quartier", slug="amis-du-quartier")
    user = UserFactory(email=EMAIL, full_name="Hélène Garnier", is_staff=True, is_superuser=True)
    TOTP.activate(user, SECRET)
    PersonFactory(
        association=association,
        user=user,
        email=EMAIL,
        first_name="Hélène",
        last_name="Garnier",
        roles=[Role.ADMIN, Role.MEMBER],
    )
    for first, last in [("Jeanne", "Lefèvre"), ("Louis", "Bernard"), ("Élodie", "Nguyen")]:
        PersonFactory(association=association, first_name=first, last_name=last)
    with scopes_disabled():
        import datetime

        from django.utils import timezone

        starts = timezone.now() + datetime.timedelta(days=3)
        event = Event.objects.create(
            association=association,
            title="Atelier compost",
            address="1 place de la Mairie",
            postal_code="69001",
            city="Lyon",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            status=EventStatus.PUBLISHED,
            published_at=timezone.now(),
        )
    return association, event


def test_staff_sign_in_through_allauth_with_totp_and_pages_work_under_the_policy(
    browser_page: Page, association_admin, page_errors
):
    association, event = association_admin
    page = browser_page
    page.context.add_init_script(PRINT_STUB)

    # The admin has no login form of its own: allauth's, then the TOTP step.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(EMAIL)
    login.locator("[name=password]").fill(PASSWORD)
    login.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.locator("[name=code]").fill(totp_code())
    page.locator("[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto("/admin/associations/association/")
    expect(page.locator("#result_list")).to_contain_text("Les Amis du Quartier")
    page.goto(f"/admin/associations/association/{association.pk}/change/")
    expect(page.locator("#association_form")).to_be_visible()

    # htmx (configured for the policy: no eval, no inline style) still filters the register.
    page.goto(f"/a/{association.slug}/members/")
    page.locator("main input[type=search]").fill("Lefèvre")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Jeanne")

    # The sign-in sheet's print button: a static script, not an onclick attribute.
    page.goto(f"/a/{association.slug}/events/{event.pk}/sign-in-sheet/")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.__printed") == 1

    # Charts (no style attribute) and public pages, the missions' embed page, the API docs.
    for path in (
        f"/a/{association.slug}/volunteering/dashboard/",
        "/",
        "/missions/",
        "/events/",
        "/associations/",
        f"/missions/embed/{association.slug}/",
        "/api/v1/docs",
    ):
        page.goto(path)
        expect(page.locator("body")).to_be_visible()
    expect(page.locator("#swagger-ui")).to_contain_text("Maillon API")
    assert not page_errors
