"""The network journey, in a real browser: a federation invites an association; it
accepts and shares its diagnostic only; the federation sees its level but not its
member counts; the association writes a practice sheet from a finished action and
shares it with the federation; another member association finds it under a
recommendation of its own diagnostic and says "we did it too".

Selectors rely on what does not change with the language (form actions, names,
data attributes)."""

import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.tests.browser.test_journey_strategy import log_in, submit
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.models import NetworkMembership, PracticeEndorsement
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.strategy.models import Action
from maillon.strategy.tests.diagnostic.test_diagnostic import make_diagnostic

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Fédération-Rennes-35-Sport!"  # noqa: S105 - a test account's


def test_federation_invites_consent_sheet_found_from_a_recommendation_and_endorsed(
    browser_page: Page, page_errors, chromium, live_server
):
    page = browser_page
    federation = NetworkFactory(name="Fédération sportive d’Ille-et-Vilaine", slug="fs35")
    network_staff(federation, "head", email="tete@fs35.example", password=PASSWORD)
    club = AssociationFactory(name="Union sportive des Prairies", slug="us-prairies")
    member_with_account(club, [Role.ADMIN], email="bureau@prairies.example", password=PASSWORD)
    other = AssociationFactory(name="Cercle de voile", slug="cercle-voile")
    other_admin = member_with_account(
        other, [Role.ADMIN], email="bureau@voile.example", password=PASSWORD
    )
    MembershipFactory(network=federation, association=other)
    make_diagnostic(other, user=other_admin)  # its results recommend "second_person"
    with scopes_disabled():
        action = Action.objects.create(
            association=club,
            title="Un binôme sur chaque outil",
            recommendation_code="second_person",
            description="Deux personnes savent faire chaque tâche numérique.",
            status="done",
        )
    for n in range(4):  # member counts the federation must not see
        member_with_account(club, [Role.MEMBER], email=f"m{n}@prairies.example")

    # 1. The federation's head invites the club.
    log_in(page, "tete@fs35.example", PASSWORD)
    page.goto("/n/fs35/invitations/?q=prairies")
    submit(page.locator('main form[action="/n/fs35/invitations/send/"]').first)
    expect(page.locator("main")).to_contain_text("Union sportive des Prairies")

    # 2. The club accepts and shares its diagnostic only.
    club_context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    club_page = club_context.new_page()
    log_in(club_page, "bureau@prairies.example", PASSWORD)
    club_page.goto("/a/us-prairies/networks/")
    club_page.locator('main button[name=decision][value="accept"]').click()
    expect(club_page).to_have_url(re.compile(r"/networks/\d+/consent/$"))
    club_page.locator('input[name=families][value="diagnostic"]').check()
    submit(club_page.locator("main form[method=post]"))
    with scopes_disabled():
        membership = NetworkMembership.objects.get(network=federation, association=club)
    assert membership.shared_families == ["diagnostic"]
    make_diagnostic(club)

    # 3. The federation sees the club's level, not its member counts.
    page.goto("/n/fs35/")
    row = page.locator("#member-table tbody tr").filter(has_text="Union sportive des Prairies")
    expect(row.locator('[data-code="level"]')).not_to_contain_text("—")
    expect(row.locator('[data-code="members.active"]')).to_contain_text("—")

    # 4. The club writes a sheet from its finished action and shares it with the federation.
    club_page.goto("/a/us-prairies/practices/")
    club_page.locator(f'main a[href$="?action={action.pk}"]').click()
    expect(club_page.locator("[name=title]")).to_have_value("Un binôme sur chaque outil")
    club_page.locator("[name=what_was_done]").fill("Chaque outil a deux référents formés.")
    submit(club_page.locator("main form[method=post]"))
    club_page.locator('main a[href$="/publish/"]').click()
    club_page.locator('input[name=visibility][value="network"]').check()
    club_page.locator("input[name=networks]").first.check()
    submit(club_page.locator("main form[method=post]"))
    expect(club_page.locator("main")).to_contain_text("Fédération sportive")
    club_context.close()

    # 5. The other member finds it under its own recommendation and endorses it.
    other_context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    other_page = other_context.new_page()
    log_in(other_page, "bureau@voile.example", PASSWORD)
    other_page.goto("/a/cercle-voile/strategy/")
    other_page.locator('main a[href*="/results/"]').first.click()
    like_yours = other_page.locator('.practices-like-yours[data-recommendation="second_person"]')
    like_yours.get_by_role("link", name="Un binôme sur chaque outil").click()
    other_page.locator("[name=outcome]").fill("Nous aussi : plus de panne le dimanche.")
    submit(other_page.locator('main form[action$="/endorse/"]'))
    expect(other_page.locator("main")).to_contain_text("plus de panne le dimanche")
    other_context.close()
    with scopes_disabled():
        assert PracticeEndorsement.objects.filter(association=other).count() == 1
    assert timezone.now()
    assert page_errors == []
