"""The numbers in the minutes and on the results (issue 10, item 5): French
typography and decimal comma through locale formatting, a tie that says who tied
and how it was settled (rule, seed, how to re-check it with ``tally``), and the
signature block kept on one page with the names."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from maillon.governance.minutes import pdf as minutes_pdf
from maillon.governance.minutes import services as minutes_services
from maillon.governance.models import AssemblyStatus, Minutes, PollKind
from maillon.governance.polls import results, selectors
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.polls.test_ballots import Session
from maillon.tally.cli import main as tally_main

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def session(association, other_association):
    return Session(association)


def vote(session, poll, choices):
    for choice in choices:
        user, entry = session.voter()
        session.cast(poll, user, entry, choice)
    return session.close(poll)


def minutes_body(session, language):
    with scopes_disabled():
        type(session.assembly).objects.filter(pk=session.assembly.pk).update(
            status=AssemblyStatus.CLOSED
        )
        session.assembly.refresh_from_db()
    with translation.override(language), scope(association=session.association):
        return minutes_services.minutes_generate(
            association=session.association, actor=session.admin, assembly=session.assembly
        ).body


def test_minutes_in_french_use_french_typography_and_the_decimal_comma(session):
    poll = session.poll()
    vote(session, poll, ["yes"] * 8 + ["no", "abstain", "blank"])
    body = minutes_body(session, "fr")
    expected = f"Oui{NBSP}: 8 (88,9{NBSP}%){NBSP}; Non{NBSP}: 1 (11,1{NBSP}%){NBSP}; "
    assert expected + f"Abstention{NBSP}: 1." in body, body
    assert f"Bulletins{NBSP}: 11, dont blancs{NBSP}: 1." in body
    assert "88.9" not in body and " :" not in body and " ;" not in body


def test_minutes_in_english_keep_english_typography(session):
    poll = session.poll()
    vote(session, poll, ["yes"] * 8 + ["no"])
    body = minutes_body(session, "en")
    assert "Yes: 8 (88.9%); No: 1 (11.1%); Abstention: 0." in body


def test_results_page_and_csv_in_french_use_the_decimal_comma(session, client):
    poll = session.poll()
    vote(session, poll, ["yes"] * 8 + ["no"])
    session.admin.language = "fr"
    session.admin.save(update_fields=["language"])
    client.force_login(session.admin)
    page = client.get(
        reverse("governance:poll_results", args=[session.association.slug, poll.pk])
    ).content.decode()
    assert f"88,9{NBSP}%" in page and "88.9" not in page
    csv_text = client.get(
        reverse("governance:poll_results_csv", args=[session.association.slug, poll.pk])
    ).content.decode()
    assert ";8;88,9\r\n" in csv_text


def tied_election(session):
    """2 seats among 3: Ali 3, Bea 2, Cyd 2 — Bea and Cyd tie for the second seat."""
    poll = session.poll(PollKind.ELECTION, ["Ali", "Bea", "Cyd"], seats=2)
    ids = session.option_ids(poll)
    ballots = [["Ali", "Bea"], ["Ali", "Cyd"], ["Ali"], ["Bea"], ["Cyd"]]
    return vote(session, poll, [[ids[name] for name in ballot] for ballot in ballots])


def test_a_tie_in_the_minutes_says_who_tied_and_how_it_was_settled(session):
    poll = tied_election(session)
    seed = poll.result["tie_break"]["seed"]
    chosen = poll.result["tie_break"]["ties"][0]["chosen"][0]
    other = ({"Bea", "Cyd"} - {chosen}).pop()
    body = minutes_body(session, "en")
    assert "Tie between Bea and Cyd (2 votes each) for 1 seat: settled by lot" in body
    assert f"seed {seed}" in body and f"{chosen} takes the seat, not {other}." in body
    assert "SHA-256" in body  # the rule of the lot, so anyone can redo it
    assert f"tally --method approval --seats 2 --seed {seed} poll-{poll.pk}-ballots.csv" in body
    assert f"Elected or chosen: Ali, {chosen}." in body


def test_the_published_ballots_recount_with_tally_to_the_same_result(
    session, client, tmp_path, capsys
):
    poll = tied_election(session)
    poll_services.poll_publish(association=session.association, actor=session.admin, poll=poll)
    client.force_login(session.voters[0])
    response = client.get(
        reverse("governance:poll_ballots_csv", args=[session.association.slug, poll.pk])
    )
    assert response.status_code == 200
    path = tmp_path / "ballots.csv"
    path.write_bytes(response.content)
    with scopes_disabled():
        spec = results.spec_for_poll(poll)
    command = results.tally_command(spec, poll.result, str(path)).split()
    assert tally_main(command[1:]) == 0
    recount = json.loads(capsys.readouterr().out)
    assert recount["winners"] == poll.result["winners"]
    assert recount["ballots"] == poll.result["ballots"] == 5
    assert recount["tie_break"] == poll.result["tie_break"]
    assert recount["rounds"][0]["counts"] == poll.result["total"]["rounds"][0]["counts"]


def page_of(reader: PdfReader, fragment: str) -> list[int]:
    return [
        n
        for n, page in enumerate(reader.pages)
        if fragment in " ".join(page.extract_text().split())
    ]


def test_the_signature_block_stays_on_one_page_with_the_names(session):
    """Whatever the length of the text, the signature headings, the names and the
    signature lines are on the same page."""
    poll = session.poll()
    vote(session, poll, ["yes"])
    minutes_body(session, "en")
    with scopes_disabled():
        minutes = Minutes.objects.select_related("assembly__association").get(
            assembly=session.assembly
        )
    minutes.president_name, minutes.secretary_name = "Paule Présidente", "Sacha Secrétaire"
    for lines in range(38, 62):
        minutes.body = "\n".join(f"Ligne {n} du procès-verbal." for n in range(lines))
        reader = PdfReader(io.BytesIO(minutes_pdf.minutes_document(minutes=minutes, language="en")))
        heading = page_of(reader, "The president of the session")
        names = page_of(reader, "Paule Présidente")
        signature = page_of(reader, "Signature:")
        assert heading == names == signature and len(heading) == 1, (lines, heading, names)


def test_quorum_and_counts_of_the_minutes_match_the_ballots(session):
    poll = session.poll()
    vote(session, poll, ["yes", "yes", "no"])
    body = minutes_body(session, "en")
    with scopes_disabled():
        cast = len(selectors.ballots_for_count(poll=poll))
    assert re.search(rf"Ballots: {cast}, of which blank: 0\.", body)
