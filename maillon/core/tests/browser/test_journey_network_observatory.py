"""A network's own wave, in a real browser: the head opens it from
/n/<slug>/observatory/, publishes it, and reads the frozen figures; the page passes
axe (WCAG 2.x A/AA) at 1280 px and 375 px and does not scroll sideways at 375 px.

The national wave and the members' consents are set up directly (consent itself has
its own journey); eight members consent, one does not."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Page, expect

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import NetworkRoleKind
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.observatory.models import Wave, WaveStatus
from maillon.observatory.tests.factories import answers_for, completed_diagnostic, national_margins
from maillon.observatory.waves.services import wave_consent_set, wave_open

from .test_journey_observatory import log_in
from .test_pages import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Observatoire-Pentes-2026!"
HEAD = "tete@reseau-pentes.example"
SLUG = "reseau-des-pentes"


def test_head_opens_publishes_and_reads_the_networks_wave(browser_page: Page, settings):
    settings.OBSERVATORY_NETWORK_MINIMUM = 8
    page = browser_page
    national_margins()
    national = wave_open(actor=UserFactory(is_staff=True), year=timezone.localdate().year)
    network = NetworkFactory(slug=SLUG, name="Réseau des Pentes")
    head = network_staff(network, NetworkRoleKind.HEAD, email=HEAD)
    head.set_password(PASSWORD)
    head.save()
    for i in range(9):
        association = AssociationFactory()
        MembershipFactory(network=network, association=association)
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i, ("none", "3-9", "50+")[i % 3]))
        with scope(association=association):
            wave_consent_set(association=association, actor=admin, wave=national, consented=i < 8)

    log_in(page, HEAD)
    page.goto(f"/n/{SLUG}/observatory/")
    page.locator(f'main form[action="/n/{SLUG}/observatory/waves/open/"] [type=submit]').click()
    expect(page.locator(".messages, [role=status], .message").first).to_be_visible()
    page.locator(f'main form[action="/n/{SLUG}/observatory/waves/publish/"] [type=submit]').click()
    expect(page.locator("#network-wave-title")).to_be_visible()
    wave = Wave.objects.get(network=network)
    assert wave.status == WaveStatus.PUBLISHED and wave.weighting["n"] == 8

    axe = Axe()
    problems = []
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/n/{SLUG}/observatory/")
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        problems += [
            f"{width}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}" for v in violations
        ]
        if width == 375:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{width}: {scroll} px wide")
    assert not problems, "\n".join(problems)
    # The national pages know nothing of the network's wave (the national one is open).
    response = page.goto(f"/observatory/{wave.year}/")
    assert response is not None and response.status == 404
    page.goto("/observatory/trends/")
    assert page.locator("main svg").count() == 0
