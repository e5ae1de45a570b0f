"""The governance API through the real URLconf: assemblies, polls, casting a ballot
idempotently, results hidden until close/publication, permissions and isolation."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from maillon.accounts.services import api_token_create
from maillon.core import process_memo
from maillon.governance.models import (
    AssemblyStatus,
    Ballot,
    Participation,
    PollKind,
    PollStatus,
    VoteChannel,
)
from maillon.governance.polls import services as poll_services
from maillon.governance.polls.ballots import ballot_cast
from maillon.governance.tests.factories import AssemblyFactory, ProxyFactory, RollEntryFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """Messages are read in the source language (English) here."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


API = "/api/v1/associations"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='tests')[1]}"}


class Meeting:
    """An assembly in session of ``association``, its admin and voters on the roll."""

    def __init__(self, association, **assembly_kwargs):
        self.association = association
        self.admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
        self.assembly = AssemblyFactory(
            association=association, status=AssemblyStatus.OPEN, **assembly_kwargs
        )
        self.admin_entry = self.roll(self.admin)

    def roll(self, user):
        with scopes_disabled():
            person = user.people.get()
        return RollEntryFactory(assembly=self.assembly, person=person)

    def voter(self):
        user = member_with_account(self.association, [Role.MEMBER])
        return user, self.roll(user)

    def poll(self, kind=PollKind.YES_NO, options=(), open_=True, **kwargs):
        poll = poll_services.poll_create(
            association=self.association,
            actor=self.admin,
            assembly=self.assembly,
            title="Approbation des comptes",
            kind=kind,
            options=list(options),
            **kwargs,
        )
        if open_:
            poll = poll_services.poll_open(
                association=self.association, actor=self.admin, poll=poll
            )
        return poll

    def close(self, poll):
        return poll_services.poll_close(association=self.association, actor=self.admin, poll=poll)

    def publish(self, poll):
        return poll_services.poll_publish(association=self.association, actor=self.admin, poll=poll)


@pytest.fixture
def meeting(association, other_association):
    return Meeting(association)


@pytest.fixture
def foreign(other_association):
    """The same objects in the foreign association, with its own admin."""
    return Meeting(other_association)


def cast(client, slug, poll, auth, body, key="cle-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        f"{API}/{slug}/polls/{poll.pk}/ballots",
        data=json.dumps(body),
        content_type="application/json",
        **auth,
        **headers,
    )


def counts(poll):
    with scopes_disabled():
        return (
            Ballot.objects.filter(poll=poll).count(),
            Participation.objects.filter(poll=poll).count(),
        )


# --- Reading assemblies and polls --------------------------------------------------------


def test_a_member_lists_the_assemblies_but_not_the_drafts(client, meeting):
    AssemblyFactory(association=meeting.association, title="Brouillon", status="draft")
    user, _entry = meeting.voter()
    response = client.get(f"{API}/{meeting.association.slug}/assemblies", **bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert [a["title"] for a in body["items"]] == [meeting.assembly.title]
    assert body["count"] == 1 and body["items"][0]["status"] == "open"

    admin_view = client.get(f"{API}/{meeting.association.slug}/assemblies", **bearer(meeting.admin))
    assert admin_view.json()["count"] == 2


def test_the_assembly_list_takes_the_same_number_of_queries_at_n_and_2n(client, meeting):
    auth = bearer(meeting.admin)
    path = f"{API}/{meeting.association.slug}/assemblies?page_size=100"

    def queries():
        client.get(path, **auth)  # the token's last use is written once a minute
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, **auth).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(4):
        AssemblyFactory(association=meeting.association)
    at_n = queries()
    for _ in range(4):
        AssemblyFactory(association=meeting.association)
    assert queries() == at_n


def test_the_assembly_detail_shows_its_polls_and_my_roll_entry(client, meeting):
    opened = meeting.poll()
    meeting.poll(open_=False, kind=PollKind.SINGLE, options=["A", "B"])
    user, entry = meeting.voter()
    response = client.get(
        f"{API}/{meeting.association.slug}/assemblies/{meeting.assembly.pk}", **bearer(user)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["my_roll_entry"] == entry.pk
    # A poll not opened yet is for who prepares the assembly only.
    assert [(p["id"], p["status"]) for p in body["polls"]] == [(opened.pk, "open")]
    admin_view = client.get(
        f"{API}/{meeting.association.slug}/assemblies/{meeting.assembly.pk}",
        **bearer(meeting.admin),
    )
    assert len(admin_view.json()["polls"]) == 2


def test_a_poll_shows_options_and_seats_but_no_count_before_close(client, meeting):
    poll = meeting.poll(kind=PollKind.SINGLE, options=["Lyon", "Paris"], is_secret=False)
    holder, holder_entry = meeting.voter()
    _giver, giver_entry = meeting.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry)
    voter, voter_entry = meeting.voter()
    with scopes_disabled():
        lyon = poll.options.get(label="Lyon").pk
    ballot_cast(
        association=meeting.association,
        actor=voter,
        poll=poll,
        entry=voter_entry,
        choice=[lyon],
    )

    response = client.get(f"{API}/{meeting.association.slug}/polls/{poll.pk}", **bearer(holder))
    assert response.status_code == 200
    body = response.json()
    assert [o["label"] for o in body["options"]] == ["Lyon", "Paris"]
    assert body["can_vote"] is True and body["status"] == "open"
    assert [(s["entry_id"], s["is_proxy"]) for s in body["my_seats"]] == [
        (holder_entry.pk, False),
        (giver_entry.pk, True),
    ]
    text = response.content.decode()
    assert "result" not in body and "ballots" not in text and "count" not in text


def _poll_of_a_draft_assembly(meeting):
    """An open poll of an assembly still in draft."""
    from maillon.governance.models import Assembly, Poll

    poll = meeting.poll(open_=False)
    with scopes_disabled():
        Poll.objects.filter(pk=poll.pk).update(status=PollStatus.OPEN)
        Assembly.objects.filter(pk=meeting.assembly.pk).update(status=AssemblyStatus.DRAFT)
    return poll


def test_a_member_gets_404_for_a_poll_not_opened_yet_or_of_a_draft_assembly(client, meeting):
    unopened = meeting.poll(open_=False)
    user, _entry = meeting.voter()
    auth, slug = bearer(user), meeting.association.slug
    draft = _poll_of_a_draft_assembly(meeting)
    for poll in (unopened, draft):
        for path in (f"{API}/{slug}/polls/{poll.pk}", f"{API}/{slug}/polls/{poll.pk}/results"):
            assert client.get(path, **auth).status_code == 404, path
        assert cast(client, slug, poll, auth, {"choice": "yes"}).status_code == 404
    assert counts(unopened) == (0, 0) and counts(draft) == (0, 0)


def test_who_prepares_assemblies_sees_unopened_polls_and_those_of_a_draft(client, meeting):
    unopened = meeting.poll(open_=False)
    draft = _poll_of_a_draft_assembly(meeting)
    auth, slug = bearer(meeting.admin), meeting.association.slug
    for poll in (unopened, draft):
        response = client.get(f"{API}/{slug}/polls/{poll.pk}", **auth)
        assert response.status_code == 200 and response.json()["id"] == poll.pk


def test_a_switched_off_governance_module_answers_404(client, meeting):
    from maillon.associations.models import Association, Module

    poll = meeting.poll()
    with scopes_disabled():
        modules = [m for m in meeting.association.enabled_modules if m != Module.GOVERNANCE]
        Association.objects.filter(pk=meeting.association.pk).update(enabled_modules=modules)
    for method, path in _paths(meeting.association.slug, meeting, poll):
        if method == "post":
            response = cast(
                client, meeting.association.slug, poll, bearer(meeting.admin), {"choice": "yes"}
            )
        else:
            response = client.get(path, **bearer(meeting.admin))
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
    assert counts(poll) == (0, 0)


# --- Casting ----------------------------------------------------------------------------


def test_casting_needs_an_idempotency_key(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    response = cast(client, meeting.association.slug, poll, bearer(user), {"choice": "yes"}, None)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert counts(poll) == (0, 0)


def test_the_receipt_is_answered_as_its_schema_says(client, meeting):
    """The cast's answer is written without ninja's serialiser: it is what ninja
    would write for ``ReceiptOut``, with the API's content type."""
    from maillon.api.api import api
    from maillon.api.schemas.governance.polls import ReceiptOut

    poll = meeting.poll()
    user, _entry = meeting.voter()
    response = cast(client, meeting.association.slug, poll, bearer(user), {"choice": "yes"}, "k")
    assert response.status_code == 201
    assert response["Content-Type"] == api.get_content_type()
    receipt = response.json()["receipt"]
    assert response.json() == ReceiptOut(receipt=receipt).model_dump()
    with scopes_disabled():
        assert Ballot.objects.get(poll=poll).receipt == receipt


def test_a_retried_request_gives_the_same_receipt_and_counts_once(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    auth = bearer(user)
    first = cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "retry-1")
    assert first.status_code == 201
    receipt = first.json()["receipt"]
    again = cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "retry-1")
    assert again.status_code == 201
    assert again.json() == {"receipt": receipt}
    assert counts(poll) == (1, 1)


def test_a_retry_after_a_lost_answer_gets_the_committed_receipt(client, meeting):
    """The first request committed but its answer never reached the client (a killed
    worker, a dropped connection): the retry with the same key replays the receipt."""
    poll = meeting.poll()
    user, entry = meeting.voter()
    receipt = ballot_cast(
        association=meeting.association,
        actor=user,
        poll=poll,
        entry=entry,
        choice="no",
        idempotency_key="lost-answer",
    )
    response = cast(
        client, meeting.association.slug, poll, bearer(user), {"choice": "no"}, "lost-answer"
    )
    assert response.status_code == 201 and response.json()["receipt"] == receipt
    assert counts(poll) == (1, 1)


def test_a_second_vote_with_another_key_is_refused(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    auth = bearer(user)
    assert (
        cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "a").status_code
        == 201
    )
    second = cast(client, meeting.association.slug, poll, auth, {"choice": "no"}, "b")
    assert second.status_code == 409
    assert "already" in second.json()["detail"]
    assert counts(poll) == (1, 1)


def test_a_closed_poll_refuses_ballots_with_a_clear_message(client, meeting):
    poll = meeting.close(meeting.poll())
    user, _entry = meeting.voter()
    response = cast(client, meeting.association.slug, poll, bearer(user), {"choice": "yes"})
    assert response.status_code == 409
    assert response.json()["detail"] == "This poll is not open for voting."
    assert counts(poll) == (0, 0)


def test_an_invalid_choice_is_422(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    response = cast(client, meeting.association.slug, poll, bearer(user), {"choice": "peut-être"})
    assert response.status_code == 422
    assert counts(poll) == (0, 0)


def test_a_proxy_holder_votes_for_the_member_they_represent(client, meeting):
    poll = meeting.poll(is_secret=False)
    holder, holder_entry = meeting.voter()
    _giver, giver_entry = meeting.voter()
    _stranger, stranger_entry = meeting.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry)
    auth, slug = bearer(holder), meeting.association.slug

    own = cast(client, slug, poll, auth, {"choice": "yes"}, "own")
    represented = cast(client, slug, poll, auth, {"choice": "no", "on_behalf_of": giver_entry.pk})
    assert own.status_code == 201 and represented.status_code == 201
    refused = cast(client, slug, poll, auth, {"choice": "no", "on_behalf_of": stranger_entry.pk})
    assert refused.status_code == 403
    with scopes_disabled():
        channels = dict(Participation.objects.filter(poll=poll).values_list("entry", "channel"))
    assert channels == {holder_entry.pk: VoteChannel.ONLINE, giver_entry.pk: VoteChannel.PROXY}


def test_someone_not_on_the_roll_cannot_vote(client, meeting):
    poll = meeting.poll()
    newcomer = member_with_account(meeting.association, [Role.MEMBER])
    response = cast(client, meeting.association.slug, poll, bearer(newcomer), {"choice": "yes"})
    assert response.status_code == 403
    assert "roll" in response.json()["detail"]


def test_a_volunteer_without_a_vote_gets_403(client, meeting):
    poll = meeting.poll()
    volunteer = member_with_account(meeting.association, [Role.VOLUNTEER])
    auth, slug = bearer(volunteer), meeting.association.slug
    assert client.get(f"{API}/{slug}/assemblies", **auth).status_code == 403
    assert cast(client, slug, poll, auth, {"choice": "yes"}).status_code == 403


# --- Results ----------------------------------------------------------------------------


def test_results_are_hidden_before_close_and_published_for_everyone(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    member, admin = bearer(user), bearer(meeting.admin)
    slug = meeting.association.slug
    path = f"{API}/{slug}/polls/{poll.pk}/results"
    assert cast(client, slug, poll, member, {"choice": "yes"}).status_code == 201

    assert client.get(path, **member).status_code == 404
    assert client.get(path, **admin).status_code == 404

    meeting.close(poll)
    assert client.get(path, **member).status_code == 404
    closed = client.get(path, **admin)
    assert closed.status_code == 200 and closed.json()["ballots"] == 1

    meeting.publish(poll)
    published = client.get(path, **member).json()
    assert published["status"] == PollStatus.PUBLISHED
    assert published["adopted"] is True
    assert {row["key"]: row["total"] for row in published["rows"]} == {
        "yes": 1,
        "no": 0,
        "abstain": 0,
    }


# --- Authentication and isolation --------------------------------------------------------


def _paths(slug, meeting, poll):
    return [
        ("get", f"{API}/{slug}/assemblies"),
        ("get", f"{API}/{slug}/assemblies/{meeting.assembly.pk}"),
        ("get", f"{API}/{slug}/polls/{poll.pk}"),
        ("post", f"{API}/{slug}/polls/{poll.pk}/ballots"),
        ("get", f"{API}/{slug}/polls/{poll.pk}/results"),
    ]


def test_every_path_needs_a_token(client, meeting):
    poll = meeting.poll()
    for method, path in _paths(meeting.association.slug, meeting, poll):
        assert getattr(client, method)(path).status_code == 401, path


def test_another_associations_admin_gets_404_on_every_path(client, meeting, foreign):
    poll = meeting.close(meeting.poll())  # results visible to an admin: only isolation hides them
    foreign_auth = bearer(foreign.admin)
    foreign_slug = foreign.association.slug
    attempts = _paths(meeting.association.slug, meeting, poll) + [
        (m, p) for m, p in _paths(foreign_slug, meeting, poll) if not p.endswith("/assemblies")
    ]
    for method, path in attempts:
        if method == "post":
            response = client.post(
                path,
                data=json.dumps({"choice": "yes", "on_behalf_of": meeting.admin_entry.pk}),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="pirate",
                **foreign_auth,
            )
        else:
            response = client.get(path, **foreign_auth)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        assert meeting.assembly.title.encode() not in response.content
    assert counts(poll) == (0, 0)


def test_a_foreign_roll_entry_cannot_be_voted_for(client, meeting, foreign):
    """Own slug and own poll, but the victim's roll entry as ``on_behalf_of``."""
    poll = foreign.poll()
    response = cast(
        client,
        foreign.association.slug,
        poll,
        bearer(foreign.admin),
        {"choice": "yes", "on_behalf_of": meeting.admin_entry.pk},
    )
    assert response.status_code == 404
    assert counts(poll) == (0, 0)


def test_casting_takes_the_same_number_of_queries_whatever_the_size_of_the_roll(client, meeting):
    poll = meeting.poll()
    slug = meeting.association.slug

    def queries_of_one_vote(key):
        user, _entry = meeting.voter()
        auth = bearer(user)
        client.get(f"{API}/{slug}/assemblies", **auth)  # the token's last use, written once
        process_memo.forget_all()  # both votes read the poll (none kept from before)
        with CaptureQueriesContext(connection) as ctx:
            assert cast(client, slug, poll, auth, {"choice": "yes"}, key).status_code == 201
        return len(ctx.captured_queries)

    for _ in range(5):
        meeting.voter()
    at_n = queries_of_one_vote("n")
    for _ in range(10):
        meeting.voter()
    assert queries_of_one_vote("2n") == at_n


def test_the_same_key_with_another_choice_is_422_and_the_first_ballot_counts(client, meeting):
    poll = meeting.poll()
    user, _entry = meeting.voter()
    auth = bearer(user)
    first = cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "same-key")
    assert first.status_code == 201
    other = cast(client, meeting.association.slug, poll, auth, {"choice": "no"}, "same-key")
    assert other.status_code == 422
    [error] = other.json()["detail"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert error["type"] == "idempotency_key_reused"
    assert "another choice" in error["msg"]
    assert counts(poll) == (1, 1)
    with scopes_disabled():
        assert list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)) == ["yes"]
    # The same request again is still a retry.
    again = cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "same-key")
    assert again.json() == first.json()


def test_a_first_vote_with_a_fresh_token_writes_no_last_use_in_the_request(
    client, meeting, monkeypatch
):
    """Issue 16: the token's last use is noted and written in batches (at most one
    UPDATE per process every LAST_USE_FLUSH_SECONDS), not in its own statement on
    the vote's request; the next flush records it."""
    from maillon.accounts import selectors as account_selectors
    from maillon.accounts.models import ApiToken

    account_selectors.flush_token_last_use()
    monkeypatch.setattr(account_selectors, "LAST_USE_FLUSH_SECONDS", 3600)
    poll = meeting.poll()
    user, _entry = meeting.voter()
    auth = bearer(user)
    with CaptureQueriesContext(connection) as ctx:
        response = cast(client, meeting.association.slug, poll, auth, {"choice": "yes"}, "k")
    assert response.status_code == 201
    assert not [q for q in ctx.captured_queries if q["sql"].startswith('UPDATE "accounts_apitoken')]
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is None
    account_selectors.flush_token_last_use()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_poll_closed_in_another_process_is_refused_at_once(client, meeting):
    """Issue 16: a process keeps the poll it votes on for a few seconds, but never
    decides with it: a poll closed elsewhere (here: behind this process's back, no
    signal) refuses the next vote, read under the poll's lock."""
    poll = meeting.poll()
    first, _ = meeting.voter()
    slug = meeting.association.slug
    assert cast(client, slug, poll, bearer(first), {"choice": "yes"}, "a").status_code == 201
    with scopes_disabled():
        assert type(poll).objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED) == 1
    late, _ = meeting.voter()
    response = cast(client, slug, poll, bearer(late), {"choice": "yes"}, "b")
    assert response.status_code == 409
    assert counts(poll) == (1, 1)
