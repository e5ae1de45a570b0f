"""The money journey, in a real browser, checking every figure a person reads against
what happened:

1. the treasurer imports the register (a member with her email address);
2. the member signs up with that address, links her record (verified-email linking),
   renews her fee on the (fake, local) HelloAsso → her page says « À jour jusqu’au
   31/08/<year> » (season 1 September → 31 August) and her fee history shows exactly
   one period, at the amount she paid;
3. the treasurer sets the tax receipts up (with the signature image), records two gifts
   of last year for that member as donor and issues the yearly receipts in the
   background (progress bar) → the summary shows one receipt and the sum of the gifts;
4. the member downloads her receipt: her name, the first number of the year, the
   exact total in euros (French format) and the signature image.

Selectors rely on input names, form actions, link targets and the French text the
journey is about."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from maillon.associations.tests.factories import AssociationFactory
from maillon.core.tests.browser.conftest import TIMEOUT_MS
from maillon.funding.models import Donation, Receipt
from maillon.members.fees.services import fee_schedule_update, fee_type_save
from maillon.members.models import MembershipPeriod, Person, Role
from maillon.members.tests.factories import member_with_account
from maillon.payments.models import Payment
from maillon.payments.tests.factories import connected_account
from maillon.payments.tests.fake_helloasso import FakeHelloAsso

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "velo-club-confluence"
PASSWORD = "Quai-Perrache-Velo-1985!"
TREASURER = "tresorier@velo-confluence.example"
MEMBER = "ines.morel@example.org"
FEE = Decimal("35.50")
GIFTS = (Decimal("100.00"), Decimal("50.00"))
TODAY = datetime.date.today()
THIS_YEAR, LAST_YEAR = TODAY.year, TODAY.year - 1
# As a French spreadsheet saves it: semicolons, Windows-1252, CRLF.
REGISTER_CSV = (
    "Nom;Prénom;Courriel\r\n"
    "Morel;Inès;ines.morel@example.org\r\n"
    "Blanc;Théo;theo.blanc@example.org\r\n"
)


def season_end(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + 1 if today.month >= 9 else today.year, 8, 31)


def euros(amount: Decimal) -> str:
    """As the French pages and receipts print it: « 1 280,50 € »."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{chr(0x202F).join(groups)},{cents} €"


def flat(text: str) -> str:
    return " ".join(text.split())


def path_in(body: str, prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", body)
    assert match, f"no link to {prefix} in:\n{body}"
    return match.group(1)


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
def fake_helloasso(settings, live_server):
    fake = FakeHelloAsso().start()
    settings.HELLOASSO_API_URL = fake.url
    settings.HELLOASSO_CHECKOUT_ORIGIN = fake.url
    settings.SITE_URL = live_server.url
    yield fake
    fake.stop()


@pytest.fixture
def member_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_member_imported_renews_gives_and_downloads_the_exact_receipt(
    browser_page: Page, member_page: Page, fake_helloasso, mailoutbox, page_errors, tmp_path
):
    page = browser_page
    club = AssociationFactory(name="Vélo Club Confluence", slug=SLUG, city="Lyon")
    treasurer = member_with_account(
        club,
        # A small club: its treasurer also keeps the register (a treasurer alone may not
        # import members: IMPORT_MEMBERS belongs to the secretary and the bureau).
        [Role.TREASURER, Role.SECRETARY, Role.MEMBER],
        email=TREASURER,
        password=PASSWORD,
        first_name="Rémi",
        last_name="Gauthier",
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
            association=club, actor=treasurer, name="Cotisation adulte", kind="full", amount=FEE
        )
    connected_account(club)
    members_url = f"/a/{SLUG}/members/"

    # 1. The treasurer imports the register from a spreadsheet.
    log_in(page, TREASURER)
    register_file = tmp_path / "adherents.csv"
    register_file.write_bytes(REGISTER_CSV.encode("cp1252"))
    page.goto(f"{members_url}import/")
    upload = page.locator('main form[enctype="multipart/form-data"]')
    upload.locator("input[type=file]").set_input_files(register_file)
    submit(upload)
    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/mapping/$"))
    mapping = page.locator("main form[method=post]")
    expect(mapping.get_by_label(re.compile(r"^Courriel\b"))).to_have_value("email")
    submit(mapping)
    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/preview/"))
    confirm = page.locator('main form[action$="/confirm/"]')
    expect(confirm.locator("[type=submit]")).to_contain_text("2")
    submit(confirm)
    expect(page).to_have_url(re.compile(rf"{members_url}import/\d+/progress/$"))
    expect(page.locator("main").get_by_role("status").filter(has_text="2")).to_be_visible()
    with scopes_disabled():
        imported = Person.objects.get(association=club, email=MEMBER)
    assert (imported.first_name, imported.last_name, imported.user_id) == ("Inès", "Morel", None)

    # 2. The member signs up with the address the club holds, confirms it, links her record.
    member = member_page
    member.goto("/accounts/signup/")
    signup = member.locator("main form[method=post]").filter(has=member.locator("[name=password2]"))
    signup.locator("[name=email]").fill(MEMBER)
    signup.locator("[name=password1]").fill(PASSWORD)
    signup.locator("[name=password2]").fill(PASSWORD)
    submit(signup)
    expect(member).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    confirmations = [m for m in mailoutbox if MEMBER in m.to]
    assert len(confirmations) == 1, [m.subject for m in mailoutbox]
    member.goto(path_in(confirmations[0].body, "/accounts/confirm-email/"))
    submit(member.locator('main form[action^="/accounts/confirm-email/"]'))
    expect(member).to_have_url(re.compile(r"/me/links/"))
    offer = member.locator("main form").filter(has=member.locator(f'[value="{SLUG}"]'))
    expect(member.locator("main")).to_contain_text("Inès Morel")
    offer.locator('button[name=answer][value="yes"]').click()
    expect(member).not_to_have_url(re.compile(r"/me/links/"))
    with scopes_disabled():
        imported.refresh_from_db()
        assert imported.user is not None and imported.user.email == MEMBER

    # The fee: not up to date, renew on HelloAsso at the fee's amount, back to Maillon.
    member.goto(f"/me/a/{SLUG}/")
    expect(member.locator("main")).to_contain_text("Pas à jour")
    renew = member.locator(f'form[action="/me/a/{SLUG}/pay/renew/"]')
    renew.locator("[name=fee_type]").select_option(label="Cotisation adulte")
    submit(renew)
    expect(member).to_have_url(f"{fake_helloasso.url}/pay/{max(fake_helloasso.intents)}")
    expect(member.locator("main")).to_contain_text(f"{FEE:.2f} €")  # the fake's own format
    member.locator("main form button[type=submit]").click()
    expect(member).to_have_url(re.compile(rf"/me/a/{SLUG}/$"))

    end = season_end(TODAY)
    start = datetime.date(end.year - 1, 9, 1)
    status = member.locator("main section").filter(has=member.locator("#status-title"))
    expect(status).to_contain_text(f"À jour jusqu’au {end:%d/%m/%Y}")
    history = member.locator("main section").filter(has=member.locator("#history-title"))
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
    expect(rows.first).to_contain_text("Cotisation adulte")
    expect(rows.first.locator("td").nth(2)).to_have_text(euros(FEE))
    expect(rows.first).to_contain_text(f"{TODAY:%d/%m/%Y}")
    with scopes_disabled():
        (payment,) = Payment.objects.filter(association=club)
        (period,) = MembershipPeriod.objects.filter(person=imported)
    assert payment.amount_cents == int(FEE * 100)
    assert (period.start, period.end, period.amount, period.fee_paid) == (start, end, FEE, True)

    # 3. The treasurer sets the receipts up, with the signature image.
    base = f"/a/{SLUG}/funding/"
    signature_file = tmp_path / "signature.png"
    Image.new("RGB", (360, 110), "white").save(signature_file)
    page.goto(f"{base}receipts/settings/")
    form = page.locator("main form[method=post]")
    form.locator("[name=receipts_enabled]").check()
    form.locator("[name=legal_basis]").select_option("general_interest")
    form.locator("[name=object]").fill("Promouvoir le vélo au quotidien")
    form.locator("[name=address]").fill("12 cours Charlemagne")
    form.locator("[name=signatory_name]").fill("Rémi Gauthier")
    form.locator("[name=signatory_title]").fill("Trésorier")
    form.locator("[name=signature]").set_input_files(signature_file)
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}receipts/$"))

    # The member as donor, and her two gifts of last year.
    page.goto(f"{base}donors/new/")
    form = page.locator("main form[method=post]")
    form.locator("[name=kind]").select_option("member")
    form.locator("[name=person]").select_option(label="Morel Inès")
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}donors/\d+/$"))
    donor_url = page.url
    for day, amount, method in (
        (f"{LAST_YEAR}-03-14", GIFTS[0], "cheque"),
        (f"{LAST_YEAR}-11-02", GIFTS[1], "transfer"),
    ):
        page.goto(donor_url)
        page.locator(f'main a[href^="{base}donations/new/"]').first.click()
        form = page.locator("main form[method=post]")
        form.locator("[name=date]").fill(day)
        form.locator("[name=nature]").select_option("money")
        form.locator("[name=amount]").fill(str(amount))
        form.locator("[name=method]").select_option(method)
        submit(form)
        expect(page).to_have_url(re.compile(rf"{re.escape(base)}$"))
    with scopes_disabled():
        gifts = sorted(d.amount for d in Donation.objects.filter(association=club))
    assert gifts == sorted(GIFTS)
    total = sum(GIFTS)

    # The yearly receipts, in the background, with their progress bar.
    page.goto(f"{base}receipts/")
    form = page.locator(f'main form[action="{base}receipts/yearly/"]')
    form.locator("[name=gift_year]").fill(str(LAST_YEAR))
    submit(form)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}receipts/yearly/\d+/$"))
    expect(page.locator("#batch-progress progress")).to_have_attribute("value", "100")
    expect(page.locator("#batch-progress [role=status]")).to_have_text("1 reçu émis.")
    page.goto(f"{base}receipts/")
    summary = page.locator("main table").filter(has=page.locator("caption"))
    expect(summary.locator("tbody tr")).to_have_count(1)
    cells = summary.locator("tbody tr").first.locator("th, td")
    # By year of the gifts (the yearly declaration), not of the issue.
    expect(cells).to_have_text([str(LAST_YEAR), "1", euros(total), "0"])
    with scopes_disabled():
        receipt = Receipt.objects.get(association=club)
    assert receipt.number == f"{THIS_YEAR}-000001"
    assert (receipt.total, receipt.is_yearly, receipt.gift_year) == (total, True, LAST_YEAR)

    # 4. The member downloads her receipt from her personal space.
    member.goto("/me/funding/receipts/")
    row = member.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(receipt.number)
    expect(row.locator("td").nth(2)).to_have_text(euros(total))
    with member.expect_download() as download_info:
        member.locator(f'main a[href="/me/funding/receipts/{receipt.pk}/pdf/"]').click()
    download = download_info.value
    assert download.suggested_filename == f"recu-fiscal-{receipt.number}.pdf"
    with open(download.path(), "rb") as document:
        pdf = PdfReader(io.BytesIO(document.read()))
    text = flat(" ".join(p.extract_text() for p in pdf.pages))
    for mention in (
        "MOREL Inès",
        f"Numéro d’ordre du reçu : {THIS_YEAR}-000001",
        flat(euros(total)),
        "cent cinquante euros",
        "Vélo Club Confluence",
        "Signature : Rémi Gauthier, Trésorier",
        f"du 14/03/{LAST_YEAR} au 02/11/{LAST_YEAR}",
    ):
        assert mention in text, (mention, text)
    images = [
        ref
        for p in pdf.pages
        for ref in (p["/Resources"].get("/XObject") or {}).values()
        if ref.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1

    assert page_errors == []
