"""The fee renewal journey, in a real browser: a member of a club whose season runs from
1 September to 31 August renews their fee on the (fake, local) HelloAsso checkout page,
comes back to Maillon and sees « À jour jusqu’au 31/08/<year> »; HelloAsso's
notifications, replayed, change nothing.

Selectors rely on input names, form actions and the page's text that the journey is
about (French, the default language)."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.fees.services import fee_schedule_update, fee_type_save
from maillon.members.models import MembershipPeriod, Role
from maillon.members.tests.factories import member_with_account
from maillon.payments.models import Payment, ProviderAccount
from maillon.payments.tests.factories import connected_account
from maillon.payments.tests.fake_helloasso import FakeHelloAsso

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "us-prairies-rennes"
PASSWORD = "Prairies-Saint-Martin-1972!"
MEMBER_EMAIL = "kylian.morvan@example.org"


@pytest.fixture
def fake_helloasso(settings, live_server):
    fake = FakeHelloAsso().start()
    settings.HELLOASSO_API_URL = fake.url
    settings.HELLOASSO_CHECKOUT_ORIGIN = fake.url
    settings.SITE_URL = live_server.url
    yield fake
    fake.stop()


def season_end(today: datetime.date) -> datetime.date:
    year = today.year + 1 if today.month >= 9 else today.year
    return datetime.date(year, 8, 31)


def test_a_member_renews_their_fee_on_helloasso(browser_page: Page, fake_helloasso, page_errors):
    page = browser_page
    club = AssociationFactory(name="US Prairies Rennes", slug=SLUG)
    treasurer = member_with_account(club, [Role.TREASURER, Role.MEMBER])
    member = member_with_account(
        club,
        [Role.MEMBER],
        email=MEMBER_EMAIL,
        password=PASSWORD,
        first_name="Kylian",
        last_name="Morvan",
    )
    with scope(association=club):
        fee_schedule_update(
            association=club,
            actor=treasurer,
            period_rule="season",
            season_start_month=9,
            season_start_day=1,
        )
        fee_type_save(
            association=club, actor=treasurer, name="Licence adulte", kind="full", amount=145
        )
    connected_account(club)

    # Sign in and open my membership: not up to date yet.
    page.goto("/accounts/login/")
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(MEMBER_EMAIL)
    login.locator("[name=password]").fill(PASSWORD)
    login.locator("[type=submit]").click()
    expect(page.get_by_role("banner").locator('form[action="/accounts/logout/"]')).to_have_count(1)
    page.goto(f"/me/a/{SLUG}/")
    expect(page.locator("main")).to_contain_text("Pas à jour")

    # Renew: off to HelloAsso's checkout page, pay, back to Maillon.
    renew = page.locator(f'form[action="/me/a/{SLUG}/pay/renew/"]')
    renew.locator("[name=fee_type]").select_option(label="Licence adulte")
    renew.locator("[type=submit]").click()
    expect(page).to_have_url(f"{fake_helloasso.url}/pay/{max(fake_helloasso.intents)}")
    expect(page.locator("main")).to_contain_text("145.00 €")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{page.context.pages[0].url.split('/me/')[0]}/me/a/{SLUG}/")
    end = season_end(datetime.date.today())
    expect(page.locator("main")).to_contain_text(f"À jour jusqu’au {end:%d/%m/%Y}")

    # HelloAsso's notifications arrive afterwards, three times: nothing more is recorded.
    with scopes_disabled():
        token = ProviderAccount.objects.get(association=club).webhook_token
    order_id = max(fake_helloasso.orders)
    for _ in range(3):
        Client().post(
            reverse("payment_notifications:helloasso", args=[token]),
            json.dumps(fake_helloasso.notification("Order", order_id)),
            content_type="application/json",
        )
    with scopes_disabled():
        assert Payment.objects.count() == 1
        period = MembershipPeriod.objects.get(person__user=member)
    assert period.end == end
    assert period.start == datetime.date(end.year - 1, 9, 1)
    assert page_errors == []
