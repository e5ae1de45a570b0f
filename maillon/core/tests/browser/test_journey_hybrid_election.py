"""A hybrid general assembly elects 3 of 5 candidates, in a real browser, and the numbers of
its minutes are checked against the ballots actually cast (issue 10's regression guard).

Online, four members vote on the platform: one names three candidates; one names two and
holds a proxy whose ballot she first leaves untouched (not cast, and the page says so), then
casts blank on purpose; one submits nothing (asked again), then names one; one votes blank.
In the room, the secretary checks six members in and enters the room's count: six ballots,
one blank, marks per candidate apart from the ballots; a count beyond ballots × seats and a
count beyond the people in the room are refused with their limit. Two candidates tie for the
third seat, settled by lot.

The results page, the minutes (HTML) and the minutes' PDF text (pypdf) are then compared,
number by number, with a count made here from the stored ballots and the room's figures as
entered; the ballots file of the results page is re-counted with the ``tally`` command, which
gives the same counts, winners and lot.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shlex
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from maillon.associations.models import Statutes, VotingEligibility
from maillon.associations.tests.factories import AssociationFactory
from maillon.governance.assemblies import services as assembly_services
from maillon.governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyMode,
    Attendance,
    AttendanceMode,
    Ballot,
    Participation,
    Poll,
    PollKind,
    RollEntry,
)
from maillon.governance.polls import services as poll_services
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory
from maillon.tally.cli import main as tally_main

from .conftest import TIMEOUT_MS
from .test_journey_governance import french, log_in, person_with_account, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "quartier-des-pentes"
NBSP = "\u00a0"
CANDIDATES = ["Ali Benali", "Béatrice Roux", "Cyril Morel", "Dominique Faure", "Ève Lambert"]
SEATS = 3
# The room's paper ballots: 6, one blank; 14 marks (at most 5 × 3).
ROOM = {"ballots": 6, "blank": 1, "marks": [4, 3, 3, 3, 1]}


def plain(text: str) -> str:
    """Spaces of any kind (non-breaking included) as single spaces."""
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def percent(count: int, base: int) -> str:
    return f"{Decimal(count) * 100 / base:.1f}".replace(".", ",") + " %"


@pytest.fixture
def pages(chromium, live_server):
    contexts = []

    def make() -> Page:
        context = chromium.new_context(
            base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def prepare(association):
    """The assembly convened and opened, the election on its agenda, a proxy recorded."""
    with scopes_disabled():
        Statutes.objects.filter(association=association).update(
            voting_eligibility=VotingEligibility.ALL_MEMBERS
        )
    admin = person_with_account(
        association,
        [Role.ADMIN, Role.PRESIDENT, Role.SECRETARY, Role.MEMBER],
        email="helene.garnier@example.org",
        first_name="Hélène",
        last_name="Garnier",
    )
    voters = {
        name: person_with_account(
            association,
            [Role.MEMBER],
            email=f"{name.lower()}@example.org",
            first_name=name,
            last_name="Vial" if name == "Bruno" else "Perret",
        )
        for name in ("Bruno", "Camille", "Denis", "Elise")
    }
    fanny = PersonFactory(association=association, first_name="Fanny", last_name="Roche")
    room = [
        PersonFactory(association=association, first_name=f"Membre{n}", last_name="Salle")
        for n in range(6)
    ]
    user = admin.user
    with scope(association=association):
        assembly = assembly_services.assembly_create(
            association=association,
            actor=user,
            kind=AssemblyKind.ORDINARY,
            mode=AssemblyMode.HYBRID,
            title="Assemblée générale 2025",
            place="Maison des associations",
            online_link="https://visio.example.org/ag",
            starts_at=timezone.now() + datetime.timedelta(minutes=10),
            notice_days=0,
        )
        item = assembly_services.agenda_item_create(
            association=association,
            actor=user,
            assembly=assembly,
            title="Élection du conseil d’administration",
        )
        poll = poll_services.poll_create(
            association=association,
            actor=user,
            assembly=assembly,
            title="Élection de trois administrateurs",
            kind=PollKind.ELECTION,
            options=CANDIDATES,
            seats=SEATS,
            agenda_item=item,
        )
        assembly_services.assembly_convene(association=association, actor=user, assembly=assembly)
        entries = {e.person_id: e for e in RollEntry.objects.filter(assembly=assembly)}
        assembly_services.proxy_record_paper(
            association=association,
            actor=user,
            assembly=assembly,
            giver_entry=entries[fanny.pk],
            holder_entry=entries[voters["Camille"].pk],
        )
        assembly = assembly_services.assembly_open(
            association=association, actor=user, assembly=Assembly.objects.get(pk=assembly.pk)
        )
        poll_services.poll_open(association=association, actor=user, poll=poll)
    return admin, voters, fanny, room, assembly, poll, entries


def cast(page: Page, p_base: str, choices: dict[int, list[str] | str]) -> None:
    """Fill the ballots of the vote page: a list of candidates or "blank" per entry."""
    page.goto(p_base)
    form = page.locator(f'main form[action="{p_base}vote/"]')
    for entry_id, choice in choices.items():
        fieldset = form.locator(":scope > fieldset").filter(
            has=page.locator(f'[name^="e{entry_id}-"]')
        )
        if choice == "blank":
            fieldset.locator(f'input[name="e{entry_id}-blank"]').check()
        else:
            for name in choice:
                fieldset.get_by_label(name, exact=True).check()
    form.locator("button[type=submit]").click()


def test_hybrid_election_minutes_match_the_ballots_cast(
    browser_page: Page, pages, page_errors, tmp_path, capsys
):
    association = AssociationFactory(name="Quartier des Pentes", slug=SLUG)
    admin, voters, fanny, room, assembly, poll, entries = prepare(association)
    base = f"/a/{SLUG}/governance/"
    a_base, p_base = f"{base}assemblies/{assembly.pk}/", f"{base}polls/{poll.pk}/"
    with scopes_disabled():
        ids = {o.label: o.pk for o in poll.options.all()}

    # 1. Online. Bruno checks in and names three candidates.
    bruno = pages()
    log_in(bruno, "bruno@example.org")
    bruno.goto(a_base)
    submit(bruno.locator(f'main form[action="{a_base}check-in/"]'))
    cast(bruno, p_base, {entries[voters["Bruno"].pk].pk: CANDIDATES[:3]})
    expect(bruno.locator("main ul.receipts li code")).to_have_count(1)

    # Camille: her ballot and Fanny's start empty; she fills hers only: Fanny's is not cast.
    camille = pages()
    log_in(camille, "camille@example.org")
    camille.goto(p_base)
    vote_form = camille.locator(f'main form[action="{p_base}vote/"]')
    expect(vote_form.locator(":scope > fieldset")).to_have_count(2)
    expect(vote_form.locator("input:checked")).to_have_count(0)
    own, fanny_entry = entries[voters["Camille"].pk].pk, entries[fanny.pk].pk
    cast(camille, p_base, {own: [CANDIDATES[0], CANDIDATES[3]]})
    receipts = camille.locator("main ul.receipts li")
    expect(receipts.locator("code")).to_have_count(1)
    not_voted = "not voted: nothing was chosen on this ballot. You can still vote until the "
    expect(receipts.filter(has_text="Fanny Roche")).to_contain_text(
        french(not_voted + "vote closes.")
    )
    with scopes_disabled():
        assert not Participation.objects.filter(poll=poll, entry_id=fanny_entry).exists()
    # She comes back and casts Fanny's ballot blank, on purpose.
    cast(camille, p_base, {fanny_entry: "blank"})
    expect(camille.locator("main ul.receipts li code")).to_have_count(1)

    # Denis submits nothing: asked again, nothing cast; then names one candidate.
    denis = pages()
    log_in(denis, "denis@example.org")
    denis.goto(p_base)
    denis.locator(f'main form[action="{p_base}vote/"] button[type=submit]').click()
    nothing = "Nothing was chosen: choose an answer, or “Blank vote” to cast a blank ballot."
    expect(denis.locator("main")).to_contain_text(french(nothing))
    with scopes_disabled():
        assert Participation.objects.filter(poll=poll).count() == 3
    cast(denis, p_base, {entries[voters["Denis"].pk].pk: [CANDIDATES[1]]})
    expect(denis.locator("main ul.receipts li code")).to_have_count(1)

    # Élise votes blank.
    elise = pages()
    log_in(elise, "elise@example.org")
    cast(elise, p_base, {entries[voters["Elise"].pk].pk: "blank"})
    expect(elise.locator("main ul.receipts li code")).to_have_count(1)

    # 2. In the room: the secretary checks six members in.
    page = browser_page
    log_in(page, "helene.garnier@example.org")
    page.goto(f"{a_base}attendance/")
    for person in room:
        entry_id = entries[person.pk].pk
        row = page.locator("#attendance-rows tbody tr").filter(
            has=page.locator(f'input[name=entry][value="{entry_id}"]')
        )
        submit(row.locator("form"))
        expect(
            page.locator(f'#attendance-rows input[name=entry][value="{entry_id}"]')
        ).to_have_count(0)

    # The room's count: ballots and blanks apart from the marks, checked.
    page.goto(f"{p_base}room-counts/")
    form = page.locator("main form[method=post]")

    def fill(ballots: int, blank: int, marks: list[int]) -> None:
        form.locator("[name=count_ballots]").fill(str(ballots))
        form.locator("[name=count_blank]").fill(str(blank))
        for label, count in zip(CANDIDATES, marks, strict=True):
            form.locator(f"[name=count_{ids[label]}]").fill(str(count))
        submit(form)

    def refused() -> str:
        expect(page.locator("main .error-summary")).to_be_visible()
        return plain(page.locator("main .error-summary").inner_text())

    fill(6, 1, [5, 5, 5, 1, 0])  # 16 marks on 5 ballots of at most 3 names
    assert "16 voix pour 5 bulletins non blancs" in refused()
    assert "il ne peut donc y avoir plus de 15 voix" in refused()
    fill(8, 1, ROOM["marks"])  # 8 ballots, 6 people in the room
    assert (
        "maximum que la salle peut donner : 6 (membres présents ou représentés dans la salle : 6"
        in refused()
    )
    fill(ROOM["ballots"], ROOM["blank"], ROOM["marks"])
    expect(page).to_have_url(re.compile(rf"{re.escape(p_base)}$"))

    # 3. Close, publish, close the session, draft the minutes.
    submit(page.locator(f'main form[action="{p_base}close/"]'))
    submit(page.locator(f'main form[action="{p_base}publish/"]'))
    page.goto(a_base)
    submit(page.locator(f'main form[action="{a_base}close/"]'))
    minutes_base = f"{base}consultations/minutes/{assembly.pk}/"
    page.goto(minutes_base)
    submit(page.locator(f'main form[action="{minutes_base}generate/"]'))
    expect(page).to_have_url(re.compile(rf"{re.escape(minutes_base)}$"))

    # 4. What really happened: the stored ballots and the room's figures as entered.
    with scopes_disabled():
        stored = list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True))
        assert all(b.entry_id is None for b in Ballot.objects.filter(poll=poll))  # secret
        present = Counter(
            Attendance.objects.filter(assembly=assembly).values_list("mode", flat=True)
        )
        poll = Poll.objects.get(pk=poll.pk)
    by_id = {pk: label for label, pk in ids.items()}
    online = Counter(by_id[option] for choice in stored for option in choice)
    room_marks = dict(zip(CANDIDATES, ROOM["marks"], strict=True))
    total = {name: online[name] + room_marks[name] for name in CANDIDATES}
    ballots = len(stored) + ROOM["ballots"]
    blank = sum(1 for choice in stored if not choice) + ROOM["blank"]
    assert (len(stored), ballots, blank) == (5, 11, 3)
    assert total == {
        "Ali Benali": 6,
        "Béatrice Roux": 5,
        "Cyril Morel": 4,
        "Dominique Faure": 4,
        "Ève Lambert": 1,
    }
    assert present == {AttendanceMode.ROOM: 6, AttendanceMode.ONLINE: 4}

    # 5. The results page, option by option.
    page.goto(f"{p_base}results/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(CANDIDATES))
    for row in rows.all():
        name = row.locator("th").inner_text().strip()
        cells = [plain(c) for c in row.locator("td").all_inner_texts()]
        expected = [
            str(online[name]),
            str(room_marks[name]),
            str(total[name]),
            percent(total[name], ballots - blank),
        ]
        assert cells[:4] == expected, (name, cells)
    summary = plain(page.locator("main dl.summary").inner_text())
    assert f"Bulletins {ballots} (en ligne : {len(stored)} ; sur place : 6)" in summary
    assert f"Bulletins blancs {blank}" in summary
    tie = poll.result["tie_break"]["ties"][0]
    assert sorted(tie["tied"]) == ["Cyril Morel", "Dominique Faure"]
    seed = poll.result["tie_break"]["seed"]
    assert f"graine {seed}" in summary
    command = plain(page.locator("main p.help code").last.inner_text())
    assert command.startswith(f"tally --method approval --seats 3 --seed {seed} ")

    # 6. The minutes, in the page and in the PDF: the same numbers.
    def check_minutes(text: str) -> None:
        text = plain(text)
        votes = " ; ".join(
            f"{name} : {total[name]} ({percent(total[name], ballots - blank)})"
            for name in CANDIDATES
        )
        assert f"Voix : {votes}." in text, text
        assert f"Bulletins : {ballots}, dont blancs : {blank}." in text, text
        assert "Présents sur place : 6." in text and "Présents en ligne : 4." in text
        assert "Représentés par pouvoir : 1." in text
        assert "Présents ou représentés : 11." in text
        winners = ", ".join(poll.result["winners"])
        assert f"Élus ou retenus : {winners}." in text
        assert "Égalité entre Cyril Morel et Dominique Faure (4 voix chacun)" in text
        assert f"graine {seed}" in text and command in text
        assert "88.9" not in text and not re.search(r"\d\.\d %", text)

    page.goto(minutes_base)
    html_text = page.locator("main .minutes-text").inner_text()
    assert NBSP in html_text  # French typography: non-breaking spaces
    check_minutes(html_text)
    with page.expect_download() as download:
        page.locator(f'main a[href="{minutes_base}pdf"]').click()
    with open(download.value.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    check_minutes(" ".join(p.extract_text() for p in reader.pages))

    # 7. The ballots file re-counts to the same result with the tally command.
    page.goto(f"{p_base}results/")
    with page.expect_download() as download:
        page.locator(f'main a[href="{p_base}ballots.csv"]').click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    argv = shlex.split(command)
    assert argv[0] == "tally" and argv[-1] == path.name
    capsys.readouterr()
    assert tally_main([*argv[1:-1], str(path)]) == 0
    recount = json.loads(capsys.readouterr().out)
    assert recount["rounds"][0]["counts"] == total
    assert (recount["ballots"], recount["blank"]) == (ballots, blank)
    assert recount["winners"] == poll.result["winners"]
    assert recount["tie_break"] == poll.result["tie_break"]

    assert page_errors == []
