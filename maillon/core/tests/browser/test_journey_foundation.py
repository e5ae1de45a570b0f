"""The founding journey, in a real browser: a newcomer signs up, creates their association's space,
invites a member and imports the rest of the register from a spreadsheet.

Selectors rely on what does not change with the language (input names, link targets, the landmark
or form they sit in): the interface is French by default and its translations are still moving.
"""

import datetime
import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.associations.models import Association
from maillon.members.models import Person
from maillon.taxonomy.models import Sector

pytestmark = [
    pytest.mark.browser,
    # live_server needs real transactions; serialized_rollback restores the reference data
    # (departments, sectors) loaded by a migration, which the flush of such tests removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOUNDER_EMAIL = "claire.dupont@example.org"
FOUNDER_PASSWORD = "Tilleul-Quai-Saone-2024!"
ASSOCIATION_NAME = "Jardins Partagés de la Guillotière"
# As saved by a French spreadsheet: semicolons, Windows-1252, CRLF, dates as dd/mm/yyyy.
# Line 3 (counting the header as line 1) has an email address without "@".
MEMBERS_CSV = (
    "Nom;Prénom;Courriel;Date d'adhésion\r\n"
    "Lefèvre;Jeanne;jeanne.lefevre@example.org;15/09/2023\r\n"
    "Nguyen;Élodie;elodie.nguyen.example.org;03/01/2024\r\n"
    "Bernard;Louis;louis.bernard@example.org;01/02/2024\r\n"
)


def path_in(email_body: str, prefix: str) -> str:
    """The path of the first link in an email starting with ``prefix`` (hosts vary by setting)."""
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", email_body)
    assert match, f"no link to {prefix} in:\n{email_body}"
    return match.group(1)


def submit(form) -> None:
    form.locator("[type=submit]").click()


def test_founder_signs_up_creates_association_invites_and_imports(
    browser_page: Page, mailoutbox, page_errors, tmp_path
):
    page = browser_page

    # 1. Sign up from the home page, confirm the email address: signed in.
    page.goto("/")
    page.get_by_role("banner").locator('a[href="/accounts/signup/"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    signup = page.locator("main form[method=post]").filter(has=page.locator("[name=password2]"))
    signup.locator("[name=email]").fill(FOUNDER_EMAIL)
    signup.locator("[name=password1]").fill(FOUNDER_PASSWORD)
    signup.locator("[name=password2]").fill(FOUNDER_PASSWORD)
    submit(signup)
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    confirmations = [m for m in mailoutbox if FOUNDER_EMAIL in m.to]
    assert len(confirmations) == 1, [m.subject for m in mailoutbox]
    page.goto(path_in(confirmations[0].body, "/accounts/confirm-email/"))
    submit(page.locator('main form[action^="/accounts/confirm-email/"]'))
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    expect(logout.get_by_role("button")).to_be_visible()
    expect(page.get_by_role("banner").locator('a[href="/accounts/signup/"]')).to_have_count(0)

    # 2. Create the association's space; land in its back-office.
    page.goto("/")
    page.locator('main a[href="/associations/new/"]').click()
    create = page.locator("main form[method=post]")
    create.locator("[name=first_name]").fill("Claire")
    create.locator("[name=last_name]").fill("Dupont")
    create.locator("[name=name]").fill(ASSOCIATION_NAME)
    create.locator("[name=purpose]").fill("Cultiver ensemble des parcelles au cœur du 7e.")
    create.locator("[name=sector]").select_option(str(Sector.objects.get(code="environment").pk))
    create.locator("[name=postal_code]").fill("69003")
    create.locator("[name=city]").fill("Lyon")
    create.locator("[name=contact_email]").fill("contact@jardins.example.org")
    submit(create)
    expect(page).to_have_url(re.compile(r"/a/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ASSOCIATION_NAME)
    slug = re.search(r"/a/([\w-]+)/$", page.url).group(1)
    with scopes_disabled():
        association = Association.objects.get(slug=slug)
    assert association.name == ASSOCIATION_NAME
    assert association.department is not None and association.department.code == "69"
    assert association.sector is not None and association.sector.code == "environment"

    # 3. Add Camille Martin to the register and invite her to link an account.
    members_url = f"/a/{slug}/members/"
    page.locator(f'nav a[href="{members_url}"]').first.click()
    expect(page).to_have_url(re.compile(rf"{members_url}$"))
    page.locator(f'main a[href="{members_url}new/"]').click()
    person_form = page.locator("main form[method=post]")
    person_form.locator("[name=first_name]").fill("Camille")
    person_form.locator("[name=last_name]").fill("Martin")
    person_form.locator("[name=email]").fill("camille@example.org")
    submit(person_form)
    expect(page).to_have_url(re.compile(rf"{members_url}\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Martin")

    invitation_form = page.locator('main form[action$="/invite/"]')
    expect(invitation_form.locator("[name=email]")).to_have_value("camille@example.org")
    submit(invitation_form)
    expect(page.get_by_role("status").filter(has_text="camille@example.org")).to_be_visible()
    invitations = [m for m in mailoutbox if "camille@example.org" in m.to]
    assert len(invitations) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert re.fullmatch(r"/invitations/[\w-]+/", path_in(invitations[0].body, "/invitations/"))

    # 4. Import the rest of the register from a spreadsheet, skipping the row with a bad email.
    csv_file = tmp_path / "adherents.csv"
    csv_file.write_bytes(MEMBERS_CSV.encode("cp1252"))
    page.locator(f'nav a[href="{members_url}"]').first.click()
    page.locator(f'main a[href="{members_url}import/"]').click()
    upload = page.locator('main form[enctype="multipart/form-data"]')
    upload.locator("input[type=file]").set_input_files(csv_file)
    submit(upload)

    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/mapping/$"))
    mapping = page.locator("main form[method=post]")
    # One select per column of the file, labelled by its header and guessed from it.
    expect(mapping.get_by_role("combobox")).to_have_count(4)
    expect(mapping.get_by_label(re.compile(r"^Nom\b"))).to_have_value("last_name")
    expect(mapping.get_by_label(re.compile(r"^Prénom\b"))).to_have_value("first_name")
    expect(mapping.get_by_label(re.compile(r"^Courriel\b"))).to_have_value("email")
    expect(mapping.get_by_label(re.compile(r"^Date d'adhésion\b"))).to_have_value("joined_on")
    submit(mapping)

    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/preview/"))
    # With errors, the preview lists the rows with errors: line 3 (the header is line 1).
    bad_row = page.get_by_role("row").filter(has_text="elodie.nguyen.example.org")
    expect(bad_row).to_have_count(1)
    expect(bad_row.get_by_role("rowheader")).to_have_text("3")
    expect(bad_row.get_by_role("listitem")).to_have_count(1)
    expect(bad_row.get_by_role("listitem")).to_contain_text("Courriel")
    confirm = page.locator('main form[action$="/confirm/"]')
    confirm.locator("[name=skip_invalid_rows]").check()
    expect(confirm.locator("[type=submit]")).to_contain_text("2")
    submit(confirm)

    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/progress/$"))
    done = page.locator("main").get_by_role("status").filter(has_text="2")
    expect(done).to_be_visible()
    page.locator(f'main a[href="{members_url}"]').click()
    expect(page).to_have_url(re.compile(rf"{members_url}$"))
    register = page.locator("#member-results").get_by_role("table")
    for name in ("Dupont Claire", "Lefèvre Jeanne", "Bernard Louis", "Martin Camille"):
        expect(register.get_by_role("rowheader", name=name)).to_be_visible()
    expect(register.get_by_role("cell", name=FOUNDER_EMAIL)).to_be_visible()
    expect(register.get_by_role("rowheader")).to_have_count(4)
    expect(page.get_by_text("elodie.nguyen.example.org")).to_have_count(0)

    with scopes_disabled():
        people = {p.email: p for p in Person.objects.filter(association=association)}
    assert sorted(people) == sorted(
        [
            FOUNDER_EMAIL,
            "camille@example.org",
            "jeanne.lefevre@example.org",
            "louis.bernard@example.org",
        ]
    )
    assert people["jeanne.lefevre@example.org"].joined_on == datetime.date(2023, 9, 15)
    assert people["louis.bernard@example.org"].first_name == "Louis"

    # 5. A picture of the end of the journey, for debugging only (outside the repository).
    screenshot = tmp_path / "journey-end.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot of the end of the journey: {screenshot}")
    assert page_errors == []
