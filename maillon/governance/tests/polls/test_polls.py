"""Poll pages over HTTP: create, vote without JavaScript (a double click counts
once), results hidden before close, exports, ballot list, receipts, room counts,
isolation and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.governance.models import Ballot, Participation, Poll, PollKind
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import (
    AttendanceFactory,
    ProxyFactory,
    RollEntryFactory,
)
from maillon.governance.tests.polls.test_ballots import Session
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(association, other_association):
    return Session(association)


def url(session, name, **kwargs):
    return reverse(f"governance:{name}", args=[session.association.slug, *kwargs.values()])


def test_the_bureau_creates_a_poll_with_the_statutes_majority(session, client):
    from maillon.governance.models import AssemblyKind

    session.assembly.kind = AssemblyKind.EXTRAORDINARY
    with scopes_disabled():
        session.assembly.save()
    client.force_login(session.admin)
    path = url(session, "poll_create", assembly_id=session.assembly.pk)
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="two_thirds" selected' in page.content.decode()
    response = client.post(
        path,
        {
            "title": "Modification des statuts",
            "kind": "yes_no",
            "seats": 1,
            "min_choices": 0,
            "is_secret": "secret",
            "majority_rule": "two_thirds",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        poll = Poll.objects.get(title="Modification des statuts")
    assert poll.majority_rule == "two_thirds" and poll.is_secret


def test_a_secret_poll_allowing_vote_change_is_refused_with_the_reason(session, client):
    client.force_login(session.admin)
    response = client.post(
        url(session, "poll_create", assembly_id=session.assembly.pk),
        {
            "title": "X",
            "kind": "yes_no",
            "seats": 1,
            "min_choices": 0,
            "is_secret": "secret",
            "allow_vote_change": "on",
            "majority_rule": "simple",
        },
    )
    assert response.status_code == 200
    assert "secret ballot must never keep" in response.content.decode()


def _key(page):
    return re.search(r'name="idempotency_key" value="(\w+)"', page.content.decode()).group(1)


def test_voting_in_the_browser_a_double_click_counts_once(session, client):
    poll = session.poll()
    user, entry = session.voter()
    client.force_login(user)
    page = client.get(url(session, "poll_detail", poll_id=poll.pk))
    assert page.status_code == 200
    key = _key(page)
    data = {"idempotency_key": key, f"e{entry.pk}-answer": "yes"}
    first = client.post(url(session, "poll_vote", poll_id=poll.pk), data)
    second = client.post(url(session, "poll_vote", poll_id=poll.pk), data)
    receipt = re.search(r"<code>(\w+)</code>", first.content.decode()).group(1)
    assert receipt in second.content.decode()
    with scopes_disabled():
        assert Ballot.objects.filter(poll=poll).count() == 1
    # A new form (another key) is told the vote is already cast.
    data["idempotency_key"] = "another"
    third = client.post(url(session, "poll_vote", poll_id=poll.pk), data)
    assert "already been cast" in third.content.decode()


def test_a_holder_votes_for_the_giver_with_the_same_choice(session, client):
    poll = session.poll()
    holder, holder_entry = session.voter()
    _giver, giver_entry = session.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll_id=poll.pk))
    assert f"e{giver_entry.pk}-answer" in page.content.decode()
    response = client.post(
        url(session, "poll_vote", poll_id=poll.pk),
        {
            "idempotency_key": _key(page),
            f"e{holder_entry.pk}-answer": "no",
            "same_for_all": "on",
        },
    )
    assert len(re.findall(r"<code>\w+</code>", response.content.decode())) == 2
    with scopes_disabled():
        assert sorted(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)) == [
            "no",
            "no",
        ]
        assert Participation.objects.filter(poll=poll, channel="proxy").count() == 1


def test_ranked_and_graded_ballots_from_the_form(session, client):
    ranked = session.poll(PollKind.RANKED, ["A", "B", "C"])
    graded = session.poll(PollKind.MAJORITY_JUDGMENT, ["A", "B"])
    user, entry = session.voter()
    client.force_login(user)
    ids = session.option_ids(ranked)
    p = f"e{entry.pk}"
    client.post(
        url(session, "poll_vote", poll_id=ranked.pk),
        {f"{p}-rank_{ids['C']}": "1", f"{p}-rank_{ids['A']}": "2"},
    )
    gids = session.option_ids(graded)
    client.post(
        url(session, "poll_vote", poll_id=graded.pk),
        {f"{p}-grade_{gids['A']}": "6", f"{p}-grade_{gids['B']}": "0"},
    )
    with scopes_disabled():
        assert Ballot.objects.get(poll=ranked).choice == [ids["C"], ids["A"]]
        assert Ballot.objects.get(poll=graded).choice == {str(gids["A"]): 6, str(gids["B"]): 0}


def test_results_are_hidden_before_close_and_published_for_everyone(session, client):
    poll = session.poll()
    user, entry = session.voter()
    session.cast(poll, user, entry, "yes")
    names = ("poll_results", "poll_results_csv", "poll_results_json", "poll_ballots")
    client.force_login(session.admin)
    for name in names:
        assert client.get(url(session, name, poll_id=poll.pk)).status_code == 404
    detail = client.get(url(session, "poll_detail", poll_id=poll.pk)).content.decode()
    assert "Adopted" not in detail and "Receipt" not in detail
    poll = session.close(poll)
    assert client.get(url(session, "poll_results", poll_id=poll.pk)).status_code == 200
    client.force_login(user)
    assert client.get(url(session, "poll_results", poll_id=poll.pk)).status_code == 404
    poll_services.poll_publish(association=session.association, actor=session.admin, poll=poll)
    page = client.get(url(session, "poll_results", poll_id=poll.pk))
    assert page.status_code == 200 and "Adopted" in page.content.decode()


def _published(session):
    poll = session.poll()
    receipts = []
    for choice in ("yes", "yes", "no"):
        user, entry = session.voter()
        receipts.append(session.cast(poll, user, entry, choice))
    poll = session.close(poll)
    poll_services.poll_publish(association=session.association, actor=session.admin, poll=poll)
    return poll, receipts


def test_exports_and_ballot_list_and_receipt_check(session, client):
    poll, receipts = _published(session)
    client.force_login(session.voters[0])
    csv_text = client.get(url(session, "poll_results_csv", poll_id=poll.pk)).content.decode()
    assert ";2;;2;66.7\r\n" in csv_text
    data = client.get(url(session, "poll_results_json", poll_id=poll.pk)).json()
    assert data["adopted"] is True and data["ballots"] == 3
    ballots = client.get(url(session, "poll_ballots", poll_id=poll.pk)).content.decode()
    assert all(r in ballots for r in receipts)
    assert ballots.index(min(receipts)) < ballots.index(max(receipts))
    verify = url(session, "poll_verify", poll_id=poll.pk)
    assert (
        "your ballot was counted" in client.get(verify, {"receipt": receipts[0]}).content.decode()
    )
    assert "is not in the" in client.get(verify, {"receipt": "0000"}).content.decode()


def test_room_counts_are_entered_and_merged(session, client):
    poll = session.poll()
    user, entry = session.voter()
    session.cast(poll, user, entry, "no")
    for _n in range(7):  # the 7 votes counted in the room come from 7 members there
        AttendanceFactory(entry=RollEntryFactory(assembly=session.assembly))
    client.force_login(session.admin)
    response = client.post(
        url(session, "poll_room_counts", poll_id=poll.pk),
        {"count_yes": 4, "count_no": 1, "count_abstain": 0, "count_blank": 2},
    )
    assert response.status_code == 302
    result = session.close(poll).result
    assert result["total"]["rounds"][0]["counts"] == {"yes": 4, "no": 2, "abstain": 0}
    assert result["blank"] == 2
    page = client.get(url(session, "poll_results", poll_id=poll.pk)).content.decode()
    assert "In the room" in page


def test_the_secretary_records_a_paper_ballot(session, client):
    poll = session.poll()
    _user, entry = session.voter()
    client.force_login(session.admin)
    page = client.get(url(session, "poll_record", poll_id=poll.pk))
    assert page.status_code == 200
    response = client.post(
        url(session, "poll_record", poll_id=poll.pk),
        {"entry": entry.pk, "channel": "paper", "b-answer": "yes", "idempotency_key": "z"},
    )
    assert "<code>" in response.content.decode()
    with scopes_disabled():
        assert Participation.objects.get(poll=poll).channel == "paper"


def test_a_member_cannot_manage_polls(session, client):
    poll = session.poll(open_=False)
    user, _entry = session.voter()
    client.force_login(user)
    assert client.post(url(session, "poll_open", poll_id=poll.pk)).status_code == 403
    assert client.get(url(session, "poll_record", poll_id=poll.pk)).status_code == 403


def test_another_associations_admin_gets_404_everywhere(session, client, other_admin):
    poll, _receipts = _published(session)
    client.force_login(other_admin)
    for name in ("poll_detail", "poll_results", "poll_results_csv", "poll_ballots", "poll_verify"):
        assert client.get(url(session, name, poll_id=poll.pk)).status_code == 404
        own_slug = reverse(f"governance:{name}", args=["club-voisin", poll.pk])
        assert client.get(own_slug).status_code == 404


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", [PollKind.SINGLE])
def test_query_counts_do_not_grow_with_ballots_and_options(session, client, kind):
    counts = []
    for n in (3, 6):
        poll = session.poll(kind, [f"Option {i}" for i in range(n)])
        ids = list(session.option_ids(poll).values())
        for i in range(n):
            user, entry = session.voter()
            session.cast(poll, user, entry, [ids[i % len(ids)]])
        client.force_login(session.admin)
        detail = _count_queries(client, url(session, "poll_detail", poll_id=poll.pk))
        poll = session.close(poll)
        result = _count_queries(client, url(session, "poll_results", poll_id=poll.pk))
        counts.append((detail, result))
    assert counts[0] == counts[1]


def test_a_member_not_on_the_roll_sees_the_poll_but_cannot_vote(session, client):
    poll = session.poll()
    outsider = member_with_account(session.association, [Role.MEMBER])
    client.force_login(outsider)
    assert client.get(url(session, "poll_detail", poll_id=poll.pk)).status_code == 200
    response = client.post(url(session, "poll_vote", poll_id=poll.pk), {})
    assert response.status_code == 302


# --- Who may see a poll -----------------------------------------------------------------

MEMBER_POLL_PAGES = (
    ("poll_detail", "get"),
    ("poll_vote", "post"),
    ("poll_results", "get"),
    ("poll_results_csv", "get"),
    ("poll_results_json", "get"),
    ("poll_ballots", "get"),
    ("poll_verify", "get"),
)


def _draft_assembly_poll(session):
    """An open poll of an assembly still in draft (its date and agenda not sent)."""
    from maillon.governance.models import AssemblyStatus, PollStatus

    poll = session.poll(open_=False)
    with scopes_disabled():
        Poll.objects.filter(pk=poll.pk).update(status=PollStatus.OPEN)
        type(session.assembly).objects.filter(pk=session.assembly.pk).update(
            status=AssemblyStatus.DRAFT
        )
    return poll


def test_a_member_gets_404_for_a_poll_not_opened_yet(session, client):
    poll = session.poll(open_=False)
    user, _entry = session.voter()
    client.force_login(user)
    for name, method in MEMBER_POLL_PAGES:
        response = getattr(client, method)(url(session, name, poll_id=poll.pk))
        assert response.status_code == 404, name
    with scopes_disabled():
        assert not Participation.objects.filter(poll=poll).exists()


def test_a_member_gets_404_for_a_poll_of_a_draft_assembly(session, client):
    poll = _draft_assembly_poll(session)
    user, _entry = session.voter()
    client.force_login(user)
    for name, method in MEMBER_POLL_PAGES:
        response = getattr(client, method)(url(session, name, poll_id=poll.pk))
        assert response.status_code == 404, name


def test_who_prepares_assemblies_sees_unopened_polls_and_those_of_a_draft(session, client):
    unopened = session.poll(open_=False)
    client.force_login(session.admin)
    assert client.get(url(session, "poll_detail", poll_id=unopened.pk)).status_code == 200
    draft = _draft_assembly_poll(session)
    assert client.get(url(session, "poll_detail", poll_id=draft.pk)).status_code == 200


def test_the_assembly_page_lists_for_a_member_only_the_polls_they_may_see(session, client):
    opened = session.poll()
    unopened = session.poll(open_=False)
    with scopes_disabled():
        Poll.objects.filter(pk=unopened.pk).update(title="Pas encore ouvert")
    user, _entry = session.voter()
    assembly_url = reverse(
        "governance:assembly", args=[session.association.slug, opened.assembly_id]
    )
    client.force_login(user)
    page = client.get(assembly_url).content.decode()
    assert opened.title in page and "Pas encore ouvert" not in page
    client.force_login(session.admin)
    assert "Pas encore ouvert" in client.get(assembly_url).content.decode()


def test_sending_the_same_form_again_with_another_choice_is_refused(session, client):
    """Back in the browser, another answer, the same form sent again: the first
    ballot counts and the voter is told so, not shown the first receipt as if the
    new answer had been taken."""
    poll = session.poll()
    user, entry = session.voter()
    client.force_login(user)
    page = client.get(url(session, "poll_detail", poll_id=poll.pk))
    data = {"idempotency_key": _key(page), f"e{entry.pk}-cast": "on", f"e{entry.pk}-answer": "yes"}
    first = client.post(url(session, "poll_vote", poll_id=poll.pk), data)
    receipt = re.search(r"<code>(\w+)</code>", first.content.decode()).group(1)
    data[f"e{entry.pk}-answer"] = "no"
    again = client.post(url(session, "poll_vote", poll_id=poll.pk), data)
    assert again.status_code == 200
    assert receipt not in again.content.decode()
    assert "already sent with another choice" in again.content.decode()
    with scopes_disabled():
        assert list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)) == ["yes"]
