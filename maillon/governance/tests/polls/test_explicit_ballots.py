"""A ballot is cast only when something was chosen for it (issue 10 item 3, issue 17
item 6): ballots start with nothing selected, "blank vote" is a choice of its own,
submitting nothing asks again, and a proxy seat left untouched stays unvoted and
the page says so. The service and the API want an explicit choice too."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.governance.models import Ballot, Participation, PollKind
from maillon.governance.tests.factories import ProxyFactory
from maillon.governance.tests.polls.test_ballots import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(association, other_association):
    return Session(association)


def url(session, name, poll):
    return reverse(f"governance:{name}", args=[session.association.slug, poll.pk])


def key(page) -> str:
    return re.search(r'name="idempotency_key" value="(\w+)"', page.content.decode()).group(1)


def stored(poll):
    with scopes_disabled():
        return (
            sorted(
                Participation.objects.filter(poll=poll).values_list("entry_id", "channel"),
            ),
            list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)),
        )


def holder_and_giver(session):
    holder, holder_entry = session.voter()
    _giver, giver_entry = session.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry)
    return holder, holder_entry, giver_entry


# --- The page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, options",
    [
        (PollKind.YES_NO, ()),
        (PollKind.SINGLE, ("Lyon", "Paris")),
        (PollKind.ELECTION, ("Ali", "Bea", "Cyd")),
        (PollKind.RANKED, ("Ali", "Bea", "Cyd")),
        (PollKind.MAJORITY_JUDGMENT, ("Ali", "Bea")),
    ],
)
def test_a_ballot_starts_with_nothing_selected_and_offers_a_blank_vote(
    session, client, kind, options
):
    poll = session.poll(kind, options)
    holder, _own, _giver = holder_and_giver(session)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll)).content.decode()
    form = page[page.index('action="' + url(session, "poll_vote", poll)) :]
    form = form[: form.index("</form>")]
    assert " checked" not in form  # no radio, box or "cast this ballot" ticked
    assert " selected" not in form.replace('value="" selected', "")  # ranks: "not ranked"
    assert form.count('value="blank"') == 2  # a blank vote, on each of the two ballots


def test_submitting_with_nothing_chosen_asks_again(session, client):
    poll = session.poll()
    holder, _own, _giver = holder_and_giver(session)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll))
    response = client.post(url(session, "poll_vote", poll), {"idempotency_key": key(page)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was chosen" in text
    assert 'action="' + url(session, "poll_vote", poll) in text  # the ballots again
    assert stored(poll) == ([], [])


def test_an_untouched_proxy_seat_is_left_unvoted_and_the_page_says_so(session, client):
    """The holder fills in their own ballot only: no blank ballot for the giver."""
    poll = session.poll()
    holder, own, giver = holder_and_giver(session)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll))
    response = client.post(
        url(session, "poll_vote", poll),
        {"idempotency_key": key(page), f"e{own.pk}-answer": "yes"},
    )
    text = response.content.decode()
    assert len(re.findall(r"<code>\w+</code>", text)) == 1
    assert "not voted" in text and str(giver.person) in text
    assert stored(poll) == ([(own.pk, "online")], ["yes"])
    # The giver's ballot is still there to fill in.
    again = client.get(url(session, "poll_detail", poll)).content.decode()
    assert f'name="e{giver.pk}-answer"' in again and f'name="e{own.pk}-answer"' not in again


def test_a_blank_vote_is_cast_when_chosen(session, client):
    poll = session.poll()
    holder, own, giver = holder_and_giver(session)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll))
    response = client.post(
        url(session, "poll_vote", poll),
        {
            "idempotency_key": key(page),
            f"e{own.pk}-answer": "no",
            f"e{giver.pk}-answer": "blank",
        },
    )
    assert len(re.findall(r"<code>\w+</code>", response.content.decode())) == 2
    participations, choices = stored(poll)
    assert participations == sorted([(own.pk, "online"), (giver.pk, "proxy")])
    assert sorted(map(str, choices)) == ["[]", "no"]


def test_same_choice_for_all_is_an_explicit_choice_for_every_seat(session, client):
    poll = session.poll()
    holder, own, giver = holder_and_giver(session)
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll))
    client.post(
        url(session, "poll_vote", poll),
        {"idempotency_key": key(page), f"e{own.pk}-answer": "yes", "same_for_all": "on"},
    )
    assert stored(poll)[1] == ["yes", "yes"]


def test_an_election_ballot_cannot_be_blank_and_name_candidates(session, client):
    poll = session.poll(PollKind.ELECTION, ["Ali", "Bea", "Cyd"], seats=2)
    ids = session.option_ids(poll)
    user, entry = session.voter()
    client.force_login(user)
    page = client.get(url(session, "poll_detail", poll))
    p = f"e{entry.pk}"
    response = client.post(
        url(session, "poll_vote", poll),
        {"idempotency_key": key(page), f"{p}-answer": [ids["Ali"]], f"{p}-blank": "on"},
    )
    assert response.status_code == 200 and "blank vote names no" in response.content.decode()
    assert stored(poll) == ([], [])
    client.post(url(session, "poll_vote", poll), {"idempotency_key": key(page), f"{p}-blank": "on"})
    assert stored(poll)[1] == [[]]


def test_the_secretary_records_only_an_explicit_choice(session, client):
    poll = session.poll()
    _user, entry = session.voter()
    client.force_login(session.admin)
    path = url(session, "poll_record", poll)
    page = client.get(path).content.decode()
    assert " checked" not in page[page.index('name="b-answer"') - 200 :]
    response = client.post(path, {"entry": entry.pk, "channel": "paper", "idempotency_key": "k"})
    assert "Nothing was chosen" in response.content.decode()
    assert stored(poll) == ([], [])
    client.post(
        path, {"entry": entry.pk, "channel": "paper", "b-answer": "blank", "idempotency_key": "k"}
    )
    assert stored(poll) == ([(entry.pk, "paper")], [[]])


# --- The service and the API -----------------------------------------------------------


@pytest.mark.parametrize("nothing", [None, "", [], {}])
def test_the_service_refuses_a_ballot_without_a_choice(session, nothing):
    poll = session.poll()
    user, entry = session.voter()
    with pytest.raises(ValidationError) as error:
        session.cast(poll, user, entry, nothing)
    assert "Nothing was chosen" in " ".join(error.value.messages)
    assert stored(poll) == ([], [])
    session.cast(poll, user, entry, "blank")
    assert stored(poll)[1] == [[]]


def test_an_api_ballot_must_carry_an_explicit_choice(session, client):
    poll = session.poll(PollKind.APPROVAL, ["A", "B"])
    user, _entry = session.voter()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}
    path = f"/api/v1/associations/{session.association.slug}/polls/{poll.pk}/ballots"

    def post(body, idem):
        return client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=idem,
            **auth,
        )

    for n, body in enumerate([{}, {"choice": None}, {"choice": []}]):
        response = post(body, f"k{n}")
        assert response.status_code == 422, body
        assert "blank" in json.dumps(response.json())
    assert stored(poll) == ([], [])
    assert post({"choice": "blank"}, "k9").status_code == 201
    assert stored(poll)[1] == [[]]


def test_same_choice_for_all_applies_to_the_ballots_on_the_page(session, client):
    """The holder voted for herself earlier; her two proxies' ballots take the same
    choice, without a refusal for her own seat, and a double click shows both
    receipts again."""
    poll = session.poll()
    holder, own, first_giver = holder_and_giver(session)
    _second, second_giver = session.voter()
    ProxyFactory(giver=second_giver, holder=own)
    session.cast(poll, holder, own, "no")
    client.force_login(holder)
    page = client.get(url(session, "poll_detail", poll))
    first, second = sorted([first_giver, second_giver], key=lambda e: e.person.last_name)
    data = {
        "idempotency_key": key(page),
        "shown": [first.pk, second.pk],
        f"e{first.pk}-answer": "abstain",
        "same_for_all": "on",
    }
    for _click in range(2):
        text = client.post(url(session, "poll_vote", poll), data).content.decode()
        assert len(re.findall(r"<code>\w+</code>", text)) == 2
        assert "already been cast" not in text and "not voted" not in text
    assert sorted(stored(poll)[1]) == ["abstain", "abstain", "no"]
