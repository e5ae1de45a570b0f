"""The general assembly journey, in a real browser: the president prepares a hybrid general
assembly (agenda, a secret yes/no resolution) and convenes it; a member gives his proxy to
another, who checks in online; the president opens the session, the secretary checks in a member
without email who came to the room, the poll opens; the proxy holder votes for herself and for
the member she represents; the president closes and publishes the vote, closes the session,
drafts the minutes and downloads them as a PDF.

Selectors rely on what does not change with the language (input names, link targets, form
actions, element ids); the few words checked are taken from the French catalogue.
"""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.models import Statutes, VotingEligibility
from maillon.associations.tests.factories import AssociationFactory
from maillon.governance.models import (
    Assembly,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Ballot,
    Minutes,
    Participation,
    Poll,
    PollKind,
    PollStatus,
    Proxy,
    RollEntry,
    VoteChannel,
)
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory

from .conftest import TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    # live_server needs real transactions; serialized_rollback restores the reference data
    # (departments, sectors) loaded by a migration, which the flush of such tests removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "amis-croix-rousse"
PASSWORD = "Traboule-Gros-Caillou-1998!"
ADMIN_EMAIL = "helene.garnier@example.org"
BRUNO_EMAIL = "bruno.vial@example.org"
CAMILLE_EMAIL = "camille.perret@example.org"
TITLE = "Assemblée générale ordinaire 2025"
RESOLUTION = "Approbation du rapport moral"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def submit(form) -> None:
    form.locator("[type=submit]").click()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(email)
    login.locator("[name=password]").fill(PASSWORD)
    submit(login)
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    expect(logout.get_by_role("button")).to_be_visible()


def person_with_account(association, roles, *, email, first_name, last_name):
    user = UserFactory(email=email, password=PASSWORD, full_name=f"{first_name} {last_name}")
    return PersonFactory(
        association=association,
        user=user,
        email=email,
        first_name=first_name,
        last_name=last_name,
        roles=roles,
    )


def french(text: str) -> str:
    with translation.override("fr"):
        return gettext(text)


@pytest.fixture
def new_page(chromium, live_server):
    """Pages of other visitors, each with its own cookies (another member's browser)."""
    contexts = []

    def make() -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_assembly_convened_proxied_checked_in_voted_published_and_minuted(
    browser_page: Page, new_page, page_errors
):
    page = browser_page
    base = f"/a/{SLUG}/governance/"
    association = AssociationFactory(name="Les Amis de la Croix-Rousse", slug=SLUG)
    assert "governance" in association.enabled_modules
    with scopes_disabled():
        # Every member votes: no fee to record first.
        Statutes.objects.filter(association=association).update(
            voting_eligibility=VotingEligibility.ALL_MEMBERS
        )
    person_with_account(
        association,
        [Role.ADMIN, Role.PRESIDENT, Role.MEMBER],
        email=ADMIN_EMAIL,
        first_name="Hélène",
        last_name="Garnier",
    )
    bruno = person_with_account(
        association, [Role.MEMBER], email=BRUNO_EMAIL, first_name="Bruno", last_name="Vial"
    )
    camille = person_with_account(
        association, [Role.MEMBER], email=CAMILLE_EMAIL, first_name="Camille", last_name="Perret"
    )
    paulette = PersonFactory(
        association=association, user=None, email="", first_name="Paulette", last_name="Chambon"
    )
    log_in(page, ADMIN_EMAIL)

    # 1. Prepare a hybrid general assembly, starting in a few minutes.
    starts_at = (timezone.localtime(timezone=PARIS) + datetime.timedelta(minutes=10)).replace(
        second=0, microsecond=0
    )
    same_day = starts_at.date() == timezone.localdate(timezone=PARIS)
    page.goto(base)
    page.locator(f'main a[href="{base}assemblies/new/"]').first.click()
    form = page.locator("main form[method=post]")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=kind]").select_option("ordinary")
    form.locator("[name=mode]").select_option("hybrid")
    form.locator("[name=starts_at]").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=place]").fill("Salle des fêtes, 1 place Joannès-Ambre")
    form.locator("[name=online_link]").fill("https://visio.example.org/ag-2025")
    form.locator("[name=notice_days]").fill("0")
    submit(form)
    assembly_url = re.compile(rf"{base}assemblies/(\d+)/$")
    expect(page).to_have_url(assembly_url)
    assembly_id = int(assembly_url.search(page.url).group(1))
    a_base = f"{base}assemblies/{assembly_id}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # 2. An agenda item, then a secret yes/no resolution.
    page.locator(f'main a[href="{a_base}agenda/new/"]').click()
    form = page.locator("main form[method=post]")
    form.locator("[name=title]").fill("Rapport moral de la présidente")
    form.locator("[name=description]").fill("Présentation de l'année écoulée.")
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(a_base)}$"))
    expect(page.locator('main section[aria-labelledby="agenda-title"] ol > li')).to_have_count(1)

    page.locator(f'main a[href="{base}polls/{assembly_id}/new/"]').click()
    form = page.locator("main form[method=post]")
    form.locator("[name=title]").fill(RESOLUTION)
    form.locator("[name=resolution]").fill("L'assemblée approuve le rapport moral 2025.")
    form.locator("[name=kind]").select_option(PollKind.YES_NO)
    # The statutes' default (secret ballot, for resolutions too) is offered first.
    expect(form.locator("[name=is_secret]")).to_have_value("")
    submit(form)
    poll_url = re.compile(rf"{base}polls/(\d+)/$")
    expect(page).to_have_url(poll_url)
    poll_id = int(poll_url.search(page.url).group(1))
    p_base = f"{base}polls/{poll_id}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(RESOLUTION)

    # 3. Convene: the roll is frozen, everyone with an email gets the invitation (.ics).
    page.goto(a_base)
    expect(page.locator(f'main a[href="{p_base}"]')).to_have_text(RESOLUTION)
    submit(page.locator(f'main form[action="{a_base}convene/"]'))
    expect(page.locator(f'main form[action="{a_base}open/"]')).to_be_visible()
    with scopes_disabled():
        assembly = Assembly.objects.get(pk=assembly_id)
        assert assembly.status == AssemblyStatus.CONVENED
        assert not assembly.late_convocation
        entries = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
    assert len(entries) == 4 and all(e.may_vote for e in entries.values())
    convocations = [m for m in mail.outbox if TITLE in m.subject]
    assert sorted(m.to[0] for m in convocations) == sorted(
        [ADMIN_EMAIL, BRUNO_EMAIL, CAMILLE_EMAIL]
    )
    for message in convocations:
        name, content, mimetype = message.attachments[0]
        assert name == "assembly.ics" and mimetype.startswith("text/calendar")
        ics = content.decode() if isinstance(content, bytes) else content
        assert "BEGIN:VCALENDAR" in ics and "METHOD:REQUEST" in ics
    # Paulette has no email: she is convened by post.
    expect(page.locator(f'main a[href="{a_base}letters.pdf"]')).to_be_visible()

    # 4. Bruno gives his proxy to Camille.
    bruno_page = new_page()
    log_in(bruno_page, BRUNO_EMAIL)
    bruno_page.goto(a_base)
    proxy_form = bruno_page.locator(f'main form[action="{a_base}proxy/"]')
    proxy_form.locator("[name=holder]").select_option(str(entries[camille.pk].pk))
    submit(proxy_form)
    expect(bruno_page.locator(f'main form[action="{a_base}proxy/revoke/"]')).to_be_visible()
    with scopes_disabled():
        proxy = Proxy.objects.get(assembly=assembly, revoked_at__isnull=True)
    assert (proxy.giver_id, proxy.holder_id) == (entries[bruno.pk].pk, entries[camille.pk].pk)
    assert not proxy.is_paper

    # 5. Camille checks in online (on the day; otherwise once the session is open).
    camille_page = new_page()
    log_in(camille_page, CAMILLE_EMAIL)

    def camille_checks_in() -> None:
        camille_page.goto(a_base)
        participation = camille_page.locator('main section[aria-labelledby="participation-title"]')
        expect(participation.locator("li")).to_have_text(["Bruno Vial"])  # proxies held
        submit(participation.locator(f'form[action="{a_base}check-in/"]'))
        expect(participation.locator(f'form[action="{a_base}check-in/"]')).to_have_count(0)
        expect(participation).to_contain_text(french("You are checked in."))

    if same_day:
        camille_checks_in()

    # 6. The session opens; the secretary checks Paulette in, in the room.
    page.goto(a_base)
    submit(page.locator(f'main form[action="{a_base}open/"]'))
    expect(page.locator(f'main form[action="{a_base}close/"]')).to_be_visible()
    if not same_day:
        camille_checks_in()
    page.locator(f'main a[href="{a_base}attendance/"]').click()
    expect(page).to_have_url(re.compile(rf"{re.escape(a_base)}attendance/$"))
    paulette_entry = entries[paulette.pk].pk
    row = page.locator("#attendance-rows tbody tr").filter(
        has=page.locator(f'input[name=entry][value="{paulette_entry}"]')
    )
    submit(row.locator("form"))
    expect(
        page.locator(f'#attendance-rows input[name=entry][value="{paulette_entry}"]')
    ).to_have_count(0)
    with scopes_disabled():
        modes = dict(Attendance.objects.filter(assembly=assembly).values_list("entry_id", "mode"))
    assert modes == {
        entries[camille.pk].pk: AttendanceMode.ONLINE,
        paulette_entry: AttendanceMode.ROOM,
    }

    # The quorum counts the present (Camille, Paulette) and the represented (Bruno).
    page.goto(a_base)
    quorum = page.locator("main #assembly-quorum")
    expect(quorum.locator("dd")).to_have_text(["2", "1", "1"])  # present, represented, required
    expect(quorum).to_contain_text(french("Quorum reached"))

    # 7. The vote opens.
    page.locator(f'main a[href="{p_base}"]').click()
    submit(page.locator(f'main form[action="{p_base}open/"]'))
    expect(page.locator(f'main form[action="{p_base}close/"]')).to_be_visible()

    # 8. Camille votes for herself and, by proxy, for Bruno: two receipts.
    camille_page.goto(p_base)
    ballot = camille_page.locator(f'main form[action="{p_base}vote/"]')
    expect(ballot.locator(":scope > fieldset")).to_have_count(2)  # own vote, Bruno's
    expect(ballot.locator("input:checked")).to_have_count(0)  # nothing chosen for anyone
    for entry in (entries[camille.pk], entries[bruno.pk]):
        ballot.locator(f'input[name="e{entry.pk}-answer"][value="yes"]').check()
    ballot.locator("button[type=submit]").click()
    receipts = camille_page.locator("main ul.receipts li code")
    expect(receipts).to_have_count(2)
    shown = [text.strip() for text in receipts.all_inner_texts()]
    assert all(re.fullmatch(r"[0-9a-f]{16}", receipt) for receipt in shown), shown
    with scopes_disabled():
        assert sorted(
            Participation.objects.filter(poll_id=poll_id).values_list("entry_id", "channel")
        ) == sorted(
            [
                (entries[camille.pk].pk, VoteChannel.ONLINE),
                (entries[bruno.pk].pk, VoteChannel.PROXY),
            ]
        )
        ballots = list(Ballot.objects.filter(poll_id=poll_id))
    assert sorted(b.receipt for b in ballots) == sorted(shown)
    assert all(b.entry_id is None and b.choice == "yes" for b in ballots)  # secret
    camille_page.goto(p_base)
    expect(camille_page.locator(f'main form[action="{p_base}vote/"]')).to_have_count(0)

    # 9. Close the vote, publish it, read the results.
    page.goto(p_base)
    submit(page.locator(f'main form[action="{p_base}close/"]'))
    submit(page.locator(f'main form[action="{p_base}publish/"]'))
    page.locator(f'main a[href="{p_base}results/"]').click()
    expect(page).to_have_url(re.compile(rf"{re.escape(p_base)}results/$"))
    with scopes_disabled():
        poll = Poll.objects.get(pk=poll_id)
    assert poll.status == PollStatus.PUBLISHED
    assert poll.result["adopted"] is True and poll.result["ballots"] == 2
    rows = page.locator("main table tbody tr")
    expect(rows.get_by_role("rowheader")).to_have_text(
        [french("Yes"), french("No"), french("Abstain")]
    )
    totals = rows.evaluate_all("rows => rows.map(r => r.querySelector('td').textContent.trim())")
    assert totals[:2] == ["2", "0"], totals
    expect(page.locator("main dl.summary strong").first).to_have_text(french("Adopted"))
    # Camille finds both receipts in the published ballot list.
    camille_page.goto(f"{p_base}ballots/")
    expect(camille_page.locator("main table tbody tr code")).to_have_text(sorted(shown))

    # 10. Close the session, draft the minutes, download them as a PDF.
    page.goto(a_base)
    submit(page.locator(f'main form[action="{a_base}close/"]'))
    expect(page.locator(f'main form[action="{a_base}approve-minutes/"]')).to_be_visible()
    minutes_base = f"{base}consultations/minutes/{assembly_id}/"
    submit(page.locator(f'main form[action="{minutes_base}generate/"]'))
    expect(page).to_have_url(re.compile(rf"{re.escape(minutes_base)}$"))
    text = page.locator("main .minutes-text")
    expect(text).to_contain_text(RESOLUTION)
    expect(text).to_contain_text(TITLE)
    with scopes_disabled():
        minutes = Minutes.objects.get(assembly_id=assembly_id)
    assert minutes.president_name == "Hélène Garnier"
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{minutes_base}pdf"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as document:
        content = document.read()
    assert content.startswith(b"%PDF-"), content[:20]

    assert page_errors == []
