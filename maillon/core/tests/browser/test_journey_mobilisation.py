"""The volunteer mobilisation journey, in a real browser: a citizen finds a mission by searching
without accents, applies as a guest and confirms their address from the email; the association
answers, accepts them (they enter the register as a volunteer) and records their hours; another
volunteer, who has an account, logs hours that the association validates; the engagement
dashboard shows the funnel and the hours, and the volunteer's certificate downloads as a PDF.

Selectors rely on what does not change with the language (input names, link targets, form
actions, element ids): the interface is French by default and its translations are still moving.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Person, Role
from maillon.members.tests.factories import member_with_account
from maillon.volunteering.missions import services as mission_services
from maillon.volunteering.models import (
    Activity,
    Application,
    ApplicationStatus,
    HoursStatus,
    Source,
    VolunteerHours,
)

pytestmark = [
    pytest.mark.browser,
    # live_server needs real transactions; serialized_rollback restores the reference data
    # (departments, sectors) loaded by a migration, which the flush of such tests removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "lire-a-la-croix-rousse"
PASSWORD = "Traboule-Gros-Caillou-1998!"
ADMIN_EMAIL = "helene.garnier@example.org"
BRUNO_EMAIL = "bruno.vial@example.org"
TITLE = "Accompagnement à la lecture pour les écoliers"
GUEST = {
    "first_name": "Amélie",
    "last_name": "Rousseau",
    "email": "amelie.rousseau@example.net",
    "message": "J'aime lire et je suis libre le mercredi après-midi.",
}


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


def log_out(page: Page) -> None:
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    submit(logout)
    expect(page.get_by_role("banner").locator('form[action="/accounts/logout/"]')).to_have_count(0)


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_guest_applies_is_accepted_logs_hours_and_gets_certificate(browser_page: Page, page_errors):
    page = browser_page
    base = f"/a/{SLUG}/volunteering/"
    association = AssociationFactory(name="Lire à la Croix-Rousse", slug=SLUG)
    assert "volunteering" in association.enabled_modules
    admin = member_with_account(
        association,
        [Role.ADMIN, Role.MEMBER],
        email=ADMIN_EMAIL,
        password=PASSWORD,
        first_name="Hélène",
        last_name="Garnier",
    )
    with scope(association=association):
        mission = mission_services.mission_create(
            association=association,
            actor=admin,
            status="published",
            title=TITLE,
            description="Aider des enfants de CP et CE1 à lire, une heure par semaine.",
            postal_code="69004",
            city="Lyon",
            volunteers_wanted=3,
        )
    mail.outbox.clear()

    # 1. An anonymous citizen searches the missions without typing the accents.
    page.goto("/missions/")
    search = page.locator('main form[role=search][method=get][action="/missions/"]')
    search.locator("[name=q]").fill("lecture ecoliers")
    submit(search)
    expect(page).to_have_url(re.compile(r"/missions/\?(.*&)?q=lecture\+ecoliers"))
    detail_url = f"/missions/{mission.pk}/?from={Source.SEARCH}"
    result = page.locator(f'main article a[href="{detail_url}"]')
    expect(result).to_have_text(TITLE)

    # 2. They open the mission (the visit counts as coming from the search) and apply.
    result.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(detail_url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    apply_url = f"/missions/{mission.pk}/apply/?from={Source.SEARCH}"
    page.locator(f'main a[href="{apply_url}"]').click()
    expect(page).to_have_url(re.compile(rf"{re.escape(apply_url)}$"))
    form = page.locator("main form[method=post]")
    expect(form.locator("[name=source]")).to_have_value(Source.SEARCH)
    for name, value in GUEST.items():
        form.locator(f"[name={name}]").fill(value)
    submit(form)
    expect(page).to_have_url(re.compile(r"/missions/applications/check-email/$"))
    with scopes_disabled():
        application = Application.objects.get(mission=mission)
    assert application.submitted_at is None  # not shown to the association yet
    assert application.source == Source.SEARCH

    # 3. The confirmation email holds the guest's secret link; confirming submits.
    [verification] = emails_to(GUEST["email"])
    thread_path = f"/missions/applications/{application.access_token}/"
    assert re.search(rf"https?://\S+{re.escape(thread_path)}\s", verification.body)
    page.goto(thread_path)
    confirm = page.locator(f'main form[action="{thread_path}confirm/"]')
    submit(confirm)
    expect(page).to_have_url(re.compile(rf"{re.escape(thread_path)}$"))
    expect(confirm).to_have_count(0)
    expect(page.locator(f'main form[action="{thread_path}reply/"]')).to_be_visible()
    with scopes_disabled():
        application.refresh_from_db()
    assert application.submitted_at is not None
    assert application.status == ApplicationStatus.NEW
    # The association is told (its admin is the one who manages missions).
    assert len(emails_to(ADMIN_EMAIL)) == 1

    # 4. The admin finds the application in the back-office, answers, and accepts.
    log_in(page, ADMIN_EMAIL)
    page.goto(f"{base}applications/")
    application_url = f"{base}applications/{application.pk}/"
    row = page.locator(f'main table a[href="{application_url}"]')
    expect(row).to_have_text(f"{GUEST['first_name']} {GUEST['last_name']}")
    row.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(application_url)}$"))
    expect(page.locator("main")).to_contain_text(GUEST["message"])
    reply_text = "Bonjour Amélie, merci ! Pouvez-vous venir mercredi à 14 h ?"
    reply = page.locator(f'main form[action="{application_url}reply/"]')
    reply.locator("[name=body]").fill(reply_text)
    submit(reply)
    expect(page).to_have_url(re.compile(rf"{re.escape(application_url)}$"))
    expect(page.locator("main section[aria-labelledby=thread-title]")).to_contain_text(reply_text)
    assert any(reply_text in message.body for message in emails_to(GUEST["email"]))
    decision = page.locator(f'main form[action="{application_url}status/"]')
    decision.locator("button[name=status][value=accepted]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(application_url)}$"))
    expect(page.locator(f'main form[action="{application_url}status/"]')).to_have_count(0)
    with scopes_disabled():
        application.refresh_from_db()
        assert application.status == ApplicationStatus.ACCEPTED
        volunteer = Person.objects.get(pk=application.person_id)
        assert volunteer.association_id == association.pk
        assert (volunteer.first_name, volunteer.last_name, volunteer.email) == (
            GUEST["first_name"],
            GUEST["last_name"],
            GUEST["email"],
        )
        assert volunteer.user_id is None
        assert volunteer.role_assignments.filter(role=Role.VOLUNTEER).exists()
    expect(page.locator("main")).to_contain_text(f"{GUEST['first_name']} {GUEST['last_name']}")

    # 5. The guest has no account: the admin records their afternoon of reading (a manager's
    #    entry is validated at once).
    today = timezone.localdate()
    page.goto(f"{base}hours/")
    page.locator(f'main a[href="{base}hours/new/"]').click()
    expect(page).to_have_url(re.compile(rf"{base}hours/new/$"))
    hours_form = page.locator("main form[method=post]")
    hours_form.locator("[name=person]").select_option(str(volunteer.pk))
    hours_form.locator("[name=date]").fill(today.isoformat())
    hours_form.locator("[name=hours]").fill("2,5")  # the French decimal comma
    hours_form.locator("[name=activity]").select_option(Activity.FIELD)
    hours_form.locator("[name=mission]").select_option(str(mission.pk))
    hours_form.locator("[name=description]").fill("Lecture avec trois élèves de CP")
    hours_form.locator("button[type=submit]:not([name])").click()
    expect(page).to_have_url(re.compile(rf"{base}hours/$"))
    with scopes_disabled():
        [guest_entry] = VolunteerHours.objects.filter(person=volunteer)
    assert (guest_entry.hours, guest_entry.status, guest_entry.date, guest_entry.mission_id) == (
        Decimal("2.5"),
        HoursStatus.VALIDATED,
        today,
        mission.pk,
    )

    # 6. A volunteer with an account logs their own hours: they wait for validation.
    member_with_account(
        association,
        [Role.VOLUNTEER],
        email=BRUNO_EMAIL,
        password=PASSWORD,
        first_name="Bruno",
        last_name="Vial",
    )
    with scopes_disabled():
        bruno = Person.objects.get(association=association, email=BRUNO_EMAIL)
    log_out(page)
    log_in(page, BRUNO_EMAIL)
    my_hours_url = f"{base}my-hours/"
    page.goto(my_hours_url)
    own_form = page.locator("main section[aria-labelledby=log-title] form[method=post]")
    expect(own_form.locator("[name=person]")).to_have_count(0)  # their own hours only
    own_form.locator("[name=date]").fill(today.isoformat())
    own_form.locator("[name=hours]").fill("1,5")
    own_form.locator("[name=activity]").select_option(Activity.ORGANISATION)
    own_form.locator("[name=mission]").select_option(str(mission.pk))
    submit(own_form)
    expect(page).to_have_url(re.compile(rf"{re.escape(my_hours_url)}$"))
    with scopes_disabled():
        [bruno_entry] = VolunteerHours.objects.filter(person=bruno)
    assert (bruno_entry.hours, bruno_entry.status) == (Decimal("1.5"), HoursStatus.PENDING)
    own_rows = page.locator("main table tbody tr")
    expect(own_rows).to_have_count(1)
    expect(own_rows.locator("td").first).to_have_text("1,5")  # as in messages, no trailing zero
    # Pending: they may still change or delete it.
    edit_url = f"{my_hours_url}{bruno_entry.pk}/edit/"
    expect(own_rows.locator(f'a[href="{edit_url}"]')).to_be_visible()
    log_out(page)

    # 7. The admin validates the volunteer's hours from the list.
    log_in(page, ADMIN_EMAIL)
    page.goto(f"{base}hours/")
    decide = page.locator(f'main form[action="{base}hours/decide/"]')
    decide.locator(f"button[name=validate_one][value='{bruno_entry.pk}']").click()
    expect(page).to_have_url(re.compile(rf"{base}hours/$"))
    expect(decide.locator("button[name=validate_one]")).to_have_count(0)
    with scopes_disabled():
        bruno_entry.refresh_from_db()
    assert bruno_entry.status == HoursStatus.VALIDATED
    assert bruno_entry.validated_by_id == admin.pk

    # 8. The engagement dashboard: one view (from the search), one application, one accepted;
    #    the hours of both volunteers this month.
    page.locator(f'main nav a[href="{base}dashboard/"]').click()
    expect(page).to_have_url(re.compile(rf"{base}dashboard/$"))
    funnel = page.locator("main section[aria-labelledby=funnel-title]")
    expect(funnel.locator("svg[role=img]")).to_be_visible()
    funnel_rows = funnel.locator("table tbody tr")
    expect(funnel_rows).to_have_count(4)
    numbers = [funnel_rows.nth(i).locator("td").first.inner_text() for i in range(4)]
    assert numbers == ["1", "1", "1", "0"], numbers  # views, applications, accepted, retained
    sources = page.locator("main section[aria-labelledby=sources-title] table tbody tr")
    search_row = [
        sources.nth(i).locator("td").all_inner_texts()
        for i in range(sources.count())
        if sources.nth(i).locator("td").first.inner_text() != "0"
    ]
    assert search_row == [["1", "1", "1"]], search_row  # only the search brought anyone
    months = page.locator("main section[aria-labelledby=months-title] table tbody tr")
    expect(months.last.locator("td")).to_have_text(["2", "4"])  # volunteers, hours
    for earlier in months.all()[:-1]:
        expect(earlier.locator("td")).to_have_text(["0", "0"])

    # 9. The guest's certificate of this year, from their hours in the list.
    page.goto(f"{base}hours/?person={volunteer.pk}")
    certificate_url = f"{base}hours/certificate/{volunteer.pk}/"
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{certificate_url}"]').click()
    download = download_info.value
    assert download.suggested_filename == (
        f"{SLUG}-attestation-{volunteer.pk}-{today.year}0101-{today.year}1231.pdf"
    )
    with open(download.path(), "rb") as document:
        content = document.read()
    assert content.startswith(b"%PDF-"), content[:20]
    text = " ".join(
        " ".join(page_.extract_text().split()) for page_ in PdfReader(io.BytesIO(content)).pages
    )
    assert f"{GUEST['first_name']} {GUEST['last_name']}" in text, text
    assert TITLE in text, text
    assert re.search(r"\b2,5\b", text), text  # the hours total, written the French way
    assert "Bruno" not in text  # another volunteer's hours stay out

    assert page_errors == []
