"""The room's counts of a hybrid assembly (issue 10, items 1 and 2).

An election's room count gives the number of ballots (and blank ones) apart from the
marks per candidate: marks are not ballots. No room count may exceed the people
present or represented in the room, less those of them who already voted on the
platform."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.governance.models import AssemblyMode, AttendanceMode, PollKind
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import AttendanceFactory, ProxyFactory, RollEntryFactory
from maillon.governance.tests.polls.test_ballots import Session

pytestmark = pytest.mark.django_db

CANDIDATES = ["Ali", "Bea", "Cyd", "Dom", "Eve"]


@pytest.fixture
def session(association, other_association):
    return Session(association, mode=AssemblyMode.HYBRID)


def in_the_room(session, count):
    """``count`` members checked in, in the room."""
    entries = [RollEntryFactory(assembly=session.assembly) for _ in range(count)]
    for entry in entries:
        AttendanceFactory(entry=entry, mode=AttendanceMode.ROOM)
    return entries


def set_counts(session, poll, counts):
    return poll_services.poll_set_room_counts(
        association=session.association, actor=session.admin, poll=poll, counts=counts
    )


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


def election(session):
    poll = session.poll(PollKind.ELECTION, CANDIDATES, seats=3)
    return poll, session.option_ids(poll)


def test_an_election_counts_room_ballots_not_marks(session):
    """3 seats among 5 candidates: 5 ballots online (one blank), 6 in the room
    naming 3 candidates each (18 marks): 11 ballots, 1 blank."""
    poll, ids = election(session)
    for choice in (["Ali", "Bea", "Cyd"], ["Ali", "Dom"], ["Bea"], ["Ali", "Bea", "Eve"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in choice])
    user, entry = session.voter()
    session.cast(poll, user, entry, "blank")
    in_the_room(session, 6)
    marks = {"Ali": 5, "Bea": 4, "Cyd": 4, "Dom": 3, "Eve": 2}  # 18 marks
    set_counts(
        session,
        poll,
        {"ballots": 6, "blank": 0, **{str(ids[name]): n for name, n in marks.items()}},
    )
    result = session.close(poll).result
    assert (result["ballots"], result["blank"]) == (11, 1)
    assert (result["online"]["ballots"], result["room"]["ballots"]) == (5, 6)
    totals = result["total"]["rounds"][0]["counts"]
    assert totals == {"Ali": 8, "Bea": 7, "Cyd": 5, "Dom": 4, "Eve": 3}
    assert result["winners"] == ["Ali", "Bea", "Cyd"]
    # Percentages of the 10 ballots that named someone.
    assert result["percentages"]["Ali"] == "80.0"


def test_an_election_room_count_needs_the_number_of_ballots(session):
    poll, ids = election(session)
    in_the_room(session, 6)
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {str(ids["Ali"]): 4})
    assert "number of ballots" in message(error.value)


def test_marks_cannot_exceed_ballots_times_seats(session):
    poll, ids = election(session)
    in_the_room(session, 6)
    # 6 ballots, 1 of them blank: 5 ballots × 3 seats = 15 marks at most.
    marks = {"Ali": 4, "Bea": 4, "Cyd": 4, "Dom": 3, "Eve": 3}  # 18, none above 5
    counts = {"ballots": 6, "blank": 1, **{str(ids[c]): n for c, n in marks.items()}}
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, counts)
    text = message(error.value)
    assert "18" in text and "15" in text


def test_a_candidate_cannot_have_more_marks_than_ballots_naming_someone(session):
    poll, ids = election(session)
    in_the_room(session, 6)
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {"ballots": 4, "blank": 0, str(ids["Ali"]): 5})
    assert "Ali" in message(error.value)


def test_more_blank_ballots_than_ballots_is_refused(session):
    poll, _ids = election(session)
    in_the_room(session, 6)
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {"ballots": 2, "blank": 3})
    assert "Blank ballots: 3;" in message(error.value)


def test_a_non_blank_ballot_names_at_least_one_candidate(session):
    poll, ids = election(session)
    in_the_room(session, 6)
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {"ballots": 5, "blank": 0, str(ids["Ali"]): 3})
    assert "at least 1 candidate" in message(error.value)


def test_a_room_count_beyond_the_people_in_the_room_is_refused_with_the_limit(session):
    """11 present or represented in the room: "Oui = 50" is refused, and the
    message says 11."""
    poll = session.poll()
    present = in_the_room(session, 9)
    for holder in present[:2]:
        ProxyFactory(giver=RollEntryFactory(assembly=session.assembly), holder=holder)
    # Present online, or represented by someone online: not in the room.
    online = RollEntryFactory(assembly=session.assembly)
    AttendanceFactory(entry=online, mode=AttendanceMode.ONLINE)
    ProxyFactory(giver=RollEntryFactory(assembly=session.assembly), holder=online)
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {"yes": 50})
    assert "11" in message(error.value)
    set_counts(session, poll, {"yes": 8, "no": 2, "blank": 1})
    with scopes_disabled():
        poll.refresh_from_db()
    assert poll.room_counts == {"yes": 8, "no": 2, "blank": 1}


def test_those_who_voted_online_are_not_counted_again_in_the_room(session):
    poll = session.poll()
    in_the_room(session, 3)
    user, own = session.voter()
    AttendanceFactory(entry=own, mode=AttendanceMode.ROOM)
    # 4 in the room, one of whom voted on their phone: 3 left for the room's count.
    session.cast(poll, user, own, "yes")
    with pytest.raises(ValidationError) as error:
        set_counts(session, poll, {"yes": 2, "no": 2})
    text = message(error.value)
    assert "3" in text and "4" in text
    set_counts(session, poll, {"yes": 2, "no": 1})


def test_closing_refuses_room_counts_overtaken_by_online_votes(session):
    """A member counted in the room who then votes online would count twice: the
    count is refused until the room's counts are corrected."""
    poll = session.poll()
    user, entry = session.voter()
    AttendanceFactory(entry=entry, mode=AttendanceMode.ROOM)
    in_the_room(session, 1)
    set_counts(session, poll, {"yes": 2})
    session.cast(poll, user, entry, "yes")
    with pytest.raises(ValidationError) as error:
        session.close(poll)
    assert "room" in message(error.value)
    set_counts(session, poll, {"yes": 1})
    assert session.close(poll).result["ballots"] == 2


def test_the_room_counts_page_asks_ballots_and_blanks_apart_from_marks(session, client):
    poll, ids = election(session)
    in_the_room(session, 6)
    client.force_login(session.admin)
    path = reverse("governance:poll_room_counts", args=[session.association.slug, poll.pk])
    page = client.get(path).content.decode()
    assert 'name="count_ballots"' in page and 'name="count_blank"' in page
    data = {f"count_{ids[c]}": 0 for c in CANDIDATES}
    data.update({"count_ballots": 6, "count_blank": 1})
    data.update({f"count_{ids[c]}": 4 for c in ["Ali", "Bea", "Cyd", "Dom"]})  # 16 marks
    refused = client.post(path, data)
    assert refused.status_code == 200
    assert "15" in refused.content.decode()
    # The figures stay as entered, to be corrected.
    assert f'name="count_{ids["Dom"]}" value="4"' in refused.content.decode()
    data.update({f"count_{ids[c]}": 0 for c in ["Cyd", "Dom"]})
    data.update({f"count_{ids[c]}": 5 for c in ["Ali", "Bea"]})
    assert client.post(path, data).status_code == 302
    with scopes_disabled():
        poll.refresh_from_db()
    assert poll.room_counts == {
        "ballots": 6,
        "blank": 1,
        str(ids["Ali"]): 5,
        str(ids["Bea"]): 5,
    }
