"""Two requests casting for the same roll entry at the same instant, on PostgreSQL
(SQLite serialises writers, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from maillon.governance.models import Ballot, Participation
from maillon.governance.polls.ballots import AlreadyVoted, ballot_cast
from maillon.governance.tests.polls.test_ballots import Session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has no concurrent writers",
    ),
]


def _race(session, poll, user, entry, keys):
    barrier = threading.Barrier(len(keys))
    outcomes = [None] * len(keys)

    def cast(i, key):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ballot_cast(
                association=session.association,
                actor=user,
                poll=poll,
                entry=entry,
                choice="yes",
                idempotency_key=key,
            )
        except AlreadyVoted as error:
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(i, k)) for i, k in enumerate(keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def session(association, other_association):
    return Session(association)


def test_same_key_at_the_same_time_gives_one_ballot_and_the_same_receipt(session):
    poll = session.poll()
    user, entry = session.voter()
    first, second = _race(session, poll, user, entry, ["same", "same"])
    assert isinstance(first, str) and first == second
    with scopes_disabled():
        assert Ballot.objects.filter(poll=poll).count() == 1
        assert Participation.objects.filter(poll=poll).count() == 1


def test_different_keys_at_the_same_time_give_one_ballot_and_already_voted(session):
    poll = session.poll()
    user, entry = session.voter()
    outcomes = _race(session, poll, user, entry, ["one", "two"])
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyVoted) for o in outcomes) == 1
    with scopes_disabled():
        assert Ballot.objects.filter(poll=poll).count() == 1
