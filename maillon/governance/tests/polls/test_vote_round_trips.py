"""Issue 16, point 1: a vote in the steady state costs at most 7 round trips to
PostgreSQL, through the API and the poll page, secret and open, own seat and proxy.

Counted with ``CaptureQueriesContext`` on PostgreSQL: in a test the outer
transaction makes ``BEGIN``/``COMMIT`` show as ``SAVEPOINT``/``RELEASE SAVEPOINT``
(one round trip each all the same); the health check sends nothing (see
``maillon/core/db/postgresql``). "Steady state": the association has already taken
votes in this process (the poll and its options are kept a few seconds, see
``maillon.core.process_memo``) and the token's last use is not due. The counts are
pinned exactly so that a new query on the vote path shows up here."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.governance.models import AssemblyStatus, Ballot, Participation, PollKind
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import AssemblyFactory, ProxyFactory, RollEntryFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="round trips to PostgreSQL"),
]

API = "/api/v1/associations"
#: Issue 16's ceiling for one vote.
MAX_ROUND_TRIPS = 7


class Election:
    def __init__(self, association):
        self.association = association
        self.admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
        self.assembly = AssemblyFactory(association=association, status=AssemblyStatus.OPEN)
        self.roll(self.admin)

    def roll(self, user):
        with scopes_disabled():
            person = user.people.get()
        return RollEntryFactory(assembly=self.assembly, person=person)

    def voter(self):
        user = member_with_account(self.association, [Role.MEMBER])
        return user, self.roll(user)

    def poll(self, *, is_secret, kind=PollKind.YES_NO, options=()):
        poll = poll_services.poll_create(
            association=self.association,
            actor=self.admin,
            assembly=self.assembly,
            title="Élection du bureau",
            kind=kind,
            options=list(options),
            is_secret=is_secret,
        )
        return poll_services.poll_open(association=self.association, actor=self.admin, poll=poll)

    def proxy(self, giver, holder):
        with scopes_disabled():
            return ProxyFactory(
                association=self.association, assembly=self.assembly, giver=giver, holder=holder
            )


@pytest.fixture
def election(association, other_association):
    return Election(association)


def _api_vote(client, election, poll, user, body, key):
    token = api_token_create(user=user, name="vote")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get(f"{API}/{election.association.slug}/assemblies", **auth)  # last use noted
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"{API}/{election.association.slug}/polls/{poll.pk}/ballots",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **auth,
        )
    assert response.status_code == 201, response.content
    return [q["sql"] for q in ctx.captured_queries]


def _choice(poll):
    if poll.kind == PollKind.YES_NO:
        return "yes"
    with scopes_disabled():
        return [poll.options.order_by("pk").first().pk]


def _show(statements):
    return "\n".join(s[:150] for s in statements)


@pytest.mark.parametrize("is_secret", [True, False], ids=["secret", "open"])
@pytest.mark.parametrize("kind", [PollKind.YES_NO, PollKind.SINGLE], ids=["yes_no", "single"])
def test_an_api_vote_for_ones_own_seat(client, election, is_secret, kind):
    options = ["Alice", "Bruno"] if kind != PollKind.YES_NO else ()
    poll = election.poll(is_secret=is_secret, kind=kind, options=options)
    first, _ = election.voter()
    _api_vote(client, election, poll, first, {"choice": _choice(poll)}, "warm")
    user, _entry = election.voter()
    statements = _api_vote(client, election, poll, user, {"choice": _choice(poll)}, "k")
    # token with association and roles (maillon.api.tenancy.user_for_api_call),
    # SAVEPOINT, lock and read, the rows, RELEASE
    assert len(statements) == 5, _show(statements)
    assert len(statements) <= MAX_ROUND_TRIPS
    assert "accounts_apitoken" in statements[0] and "members_roleassignment" in statements[0]
    assert statements[2].rstrip().endswith("FOR SHARE OF p")
    assert statements[3].startswith("WITH r0 AS (INSERT INTO")
    with scopes_disabled():
        assert Participation.objects.filter(poll=poll).count() == 2
        assert Ballot.objects.filter(poll=poll).count() == 2


@pytest.mark.parametrize("is_secret", [True, False], ids=["secret", "open"])
def test_an_api_vote_by_proxy(client, election, is_secret):
    poll = election.poll(is_secret=is_secret)
    first, _ = election.voter()
    _api_vote(client, election, poll, first, {"choice": "yes"}, "warm")
    holder, holder_entry = election.voter()
    _giver, giver_entry = election.voter()
    election.proxy(giver_entry, holder_entry)
    statements = _api_vote(
        client, election, poll, holder, {"choice": "no", "on_behalf_of": giver_entry.pk}, "k"
    )
    assert len(statements) == 5, _show(statements)
    with scopes_disabled():
        participation = Participation.objects.get(poll=poll, entry=giver_entry)
    assert participation.channel == "proxy"


def _page_vote(client, election, poll, user, seats, choice):
    client.force_login(user)
    url = reverse("governance:poll_vote", args=[election.association.slug, poll.pk])
    data = {"idempotency_key": "cle", "shown": [str(e.pk) for e in seats]}
    for entry in seats:
        data[f"e{entry.pk}-answer"] = choice
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response


@pytest.mark.parametrize("is_secret", [True, False], ids=["secret", "open"])
def test_a_vote_on_the_poll_page(client, election, is_secret):
    """The page reads the session (with its user) and the voter's seats where the
    API reads its token; the vote itself costs the same four round trips."""
    poll = election.poll(is_secret=is_secret)
    first, first_entry = election.voter()
    _page_vote(client, election, poll, first, [first_entry], "yes")
    user, entry = election.voter()
    statements, response = _page_vote(client, election, poll, user, [entry], "yes")
    assert all("receipt" in o for o in response.context["outcomes"]), response.context["outcomes"]
    vote = [i for i, s in enumerate(statements) if s.rstrip().endswith("FOR SHARE OF p")]
    assert len(vote) == 1, _show(statements)
    # The vote itself: SAVEPOINT, lock and read, the rows, RELEASE.
    assert statements[vote[0] + 1].startswith("WITH r0 AS (INSERT INTO")
    assert len(statements) == PAGE_ROUND_TRIPS, _show(statements)
    assert len(statements) <= MAX_ROUND_TRIPS


#: The session with its user (accounts/sessions.py), association + roles (with the
#: layout's "on a network team"), the seats (own and held by proxy), then SAVEPOINT,
#: lock, rows, RELEASE.
PAGE_ROUND_TRIPS = 7


def test_a_holder_votes_for_their_seat_and_a_givers_on_the_poll_page(client, election):
    """Each seat voted on the page costs the vote's four round trips."""
    poll = election.poll(is_secret=True)
    first, first_entry = election.voter()
    _page_vote(client, election, poll, first, [first_entry], "yes")
    holder, holder_entry = election.voter()
    _giver, giver_entry = election.voter()
    election.proxy(giver_entry, holder_entry)
    statements, response = _page_vote(
        client, election, poll, holder, [holder_entry, giver_entry], "no"
    )
    assert [("receipt" in o) for o in response.context["outcomes"]] == [True, True]
    assert len(statements) == PAGE_ROUND_TRIPS + 4, _show(statements)
    with scopes_disabled():
        channels = dict(Participation.objects.filter(poll=poll).values_list("entry", "channel"))
    assert channels[holder_entry.pk] == "online"
    assert channels[giver_entry.pk] == "proxy"
