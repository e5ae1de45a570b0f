"""Casting ballots: every kind counts as hand-checked, weights, proxies, the
secretary's and paper channels, idempotent retries, vote changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from maillon.core.audit import AuditEntry
from maillon.core.idempotency import KeyReused
from maillon.core.models import IdempotencyKey
from maillon.governance.models import (
    AssemblyStatus,
    Ballot,
    Participation,
    PollKind,
    VoteChannel,
)
from maillon.governance.polls import ballots
from maillon.governance.polls import services as poll_services
from maillon.governance.polls.ballots import AlreadyVoted, ballot_cast
from maillon.governance.tests.factories import AssemblyFactory, ProxyFactory, RollEntryFactory
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


class Session:
    """An assembly in session, its president (admin) and voters with accounts."""

    def __init__(self, association, **assembly_kwargs):
        self.association = association
        self.assembly = AssemblyFactory(
            association=association, status=AssemblyStatus.OPEN, **assembly_kwargs
        )
        self.admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
        self.voters = []
        self.entries = []

    def voter(self, weight=1, may_vote=True):
        user = member_with_account(self.association, [Role.MEMBER])
        with scopes_disabled():
            person = user.people.get()
        entry = RollEntryFactory(
            assembly=self.assembly, person=person, weight=weight, may_vote=may_vote
        )
        self.voters.append(user)
        self.entries.append(entry)
        return user, entry

    def poll(self, kind=PollKind.YES_NO, options=(), open_=True, **kwargs):
        poll = poll_services.poll_create(
            association=self.association,
            actor=self.admin,
            assembly=self.assembly,
            title=f"Vote {kind}",
            kind=kind,
            options=list(options),
            **kwargs,
        )
        if open_:
            poll = poll_services.poll_open(
                association=self.association, actor=self.admin, poll=poll
            )
        return poll

    def option_ids(self, poll):
        with scopes_disabled():
            return {o.label: o.pk for o in poll.options.all()}

    def cast(self, poll, user, entry, choice, **kwargs):
        return ballot_cast(
            association=self.association,
            actor=user,
            poll=poll,
            entry=entry,
            choice=choice,
            **kwargs,
        )

    def close(self, poll):
        return poll_services.poll_close(association=self.association, actor=self.admin, poll=poll)


@pytest.fixture
def session(association, other_association):
    return Session(association)


def _counts(result):
    return result["total"]["rounds"][0]["counts"]


def test_yes_no_counts_and_simple_majority(session):
    poll = session.poll(is_secret=True)
    for choice in ["yes", "yes", "no", "abstain", "blank"]:
        user, entry = session.voter()
        session.cast(poll, user, entry, choice)
    result = session.close(poll).result
    assert _counts(result) == {"yes": 2, "no": 1, "abstain": 1}
    assert result["blank"] == 1
    assert result["majority"]["base"] == 3 and result["adopted"] is True
    assert result["percentages"]["yes"] == "66.7"


def test_single_choice_counts(session):
    poll = session.poll(PollKind.SINGLE, ["Lyon", "Paris", "Nice"])
    ids = session.option_ids(poll)
    for label in ["Lyon", "Lyon", "Paris"]:
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[label]])
    result = session.close(poll).result
    assert result["winners"] == ["Lyon"]
    assert _counts(result)["Paris"] == 1


def test_multiple_choice_respects_min_and_max(session):
    poll = session.poll(PollKind.MULTIPLE, ["A", "B", "C"], min_choices=1, max_choices=2)
    ids = session.option_ids(poll)
    user, entry = session.voter()
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, [ids["A"], ids["B"], ids["C"]])
    session.cast(poll, user, entry, [ids["A"], ids["B"]])
    user2, entry2 = session.voter()
    session.cast(poll, user2, entry2, [ids["B"]])
    result = session.close(poll).result
    assert _counts(result) == {"A": 1, "B": 2, "C": 0}


def test_approval_counts(session):
    poll = session.poll(PollKind.APPROVAL, ["A", "B", "C"])
    ids = session.option_ids(poll)
    for choice in (["A", "C"], ["C"], ["B", "C"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in choice])
    assert session.close(poll).result["winners"] == ["C"]


def test_election_for_two_seats_elects_the_two_most_named(session):
    poll = session.poll(PollKind.ELECTION, ["Ali", "Bea", "Cyd"], seats=2)
    ids = session.option_ids(poll)
    user, entry = session.voter()
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, list(ids.values()))
    for choice in (["Ali", "Bea"], ["Ali", "Cyd"], ["Ali", "Bea"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in choice])
    assert sorted(session.close(poll).result["winners"]) == ["Ali", "Bea"]


def test_ranked_one_seat_is_instant_runoff(session):
    poll = session.poll(PollKind.RANKED, ["A", "B", "C"])
    ids = session.option_ids(poll)
    # First round A 2, B 2, C 1: C is out, its ballot goes to B, B wins 3-2.
    for ranking in (["A"], ["A", "B"], ["B"], ["B"], ["C", "B"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in ranking])
    result = session.close(poll).result
    assert result["method"] == "irv" and result["winners"] == ["B"]


def test_ranked_several_seats_is_stv(session):
    poll = session.poll(PollKind.RANKED, ["A", "B", "C"], seats=2)
    ids = session.option_ids(poll)
    for ranking in (["A", "B"], ["A", "B"], ["A", "C"], ["C"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in ranking])
    result = session.close(poll).result
    assert result["method"] == "stv" and result["winners"][0] == "A"


def test_condorcet_uses_schulze(session):
    poll = session.poll(PollKind.CONDORCET, ["A", "B", "C"])
    ids = session.option_ids(poll)
    # B beats A (2-1) and C (3-0).
    for ranking in (["A", "B", "C"], ["B", "A", "C"], ["B", "C", "A"]):
        user, entry = session.voter()
        session.cast(poll, user, entry, [ids[c] for c in ranking])
    result = session.close(poll).result
    assert result["method"] == "schulze" and result["winners"] == ["B"]


def test_majority_judgment_with_the_default_french_grades(session):
    poll = session.poll(PollKind.MAJORITY_JUDGMENT, ["A", "B"])
    assert poll.grades[0] == "à rejeter" and len(poll.grades) == 7
    ids = session.option_ids(poll)
    for a, b in ((6, 2), (5, 3), (1, 4)):
        user, entry = session.voter()
        session.cast(poll, user, entry, {str(ids["A"]): a, str(ids["B"]): b})
    user, entry = session.voter()
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, {str(ids["A"]): 9, str(ids["B"]): 1})
    assert session.close(poll).result["winners"] == ["A"]


def test_weights_count_as_many_votes(session):
    poll = session.poll()
    heavy, heavy_entry = session.voter(weight=5)
    light, light_entry = session.voter()
    session.cast(poll, heavy, heavy_entry, "no")
    session.cast(poll, light, light_entry, "yes")
    with scopes_disabled():
        assert sorted(Ballot.objects.filter(poll=poll).values_list("weight", flat=True)) == [1, 5]
    result = session.close(poll).result
    assert _counts(result) == {"yes": 1, "no": 5, "abstain": 0}
    assert result["adopted"] is False


def test_secret_ballot_keeps_no_voter_and_the_audit_log_no_choice(session):
    poll = session.poll()
    user, entry = session.voter()
    receipt = session.cast(poll, user, entry, "yes")
    with scopes_disabled():
        ballot = Ballot.objects.get(poll=poll)
        assert ballot.entry is None and ballot.receipt == receipt
        assert Participation.objects.filter(poll=poll, entry=entry).exists()
        logged = list(AuditEntry.objects.filter(action="governance.vote_cast"))
    assert [e.data for e in logged] == [{"entry": entry.pk, "channel": "online"}]
    assert all(receipt not in str(e.data) + e.object_repr for e in logged)


def test_open_ballot_names_the_voter(session):
    poll = session.poll(is_secret=False)
    user, entry = session.voter()
    session.cast(poll, user, entry, "no")
    with scopes_disabled():
        assert Ballot.objects.get(poll=poll).entry == entry


def test_holder_votes_separately_for_the_giver(session):
    poll = session.poll()
    holder, holder_entry = session.voter()
    _giver, giver_entry = session.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry)
    own = session.cast(poll, holder, holder_entry, "yes")
    represented = session.cast(poll, holder, giver_entry, "no")
    assert own != represented
    with scopes_disabled():
        channels = dict(Participation.objects.filter(poll=poll).values_list("entry", "channel"))
        assert Ballot.objects.filter(poll=poll).count() == 2
    # The service works the channel out: own seat online, the giver's by proxy.
    assert channels == {holder_entry.pk: VoteChannel.ONLINE, giver_entry.pk: VoteChannel.PROXY}
    assert _counts(session.close(poll).result) == {"yes": 1, "no": 1, "abstain": 0}


def test_nobody_votes_for_another_without_a_proxy_or_the_right(session):
    poll = session.poll()
    user, _entry = session.voter()
    _other, other_entry = session.voter()
    with pytest.raises(PermissionDenied):
        session.cast(poll, user, other_entry, "yes")
    with pytest.raises(PermissionDenied):
        session.cast(poll, user, other_entry, "yes", channel=VoteChannel.SECRETARY)
    # Online and proxy are worked out by the service, never asked for.
    for channel in (VoteChannel.ONLINE, VoteChannel.PROXY):
        with pytest.raises(ValidationError):
            session.cast(poll, session.admin, other_entry, "yes", channel=channel)
    with scopes_disabled():
        assert not Participation.objects.filter(poll=poll).exists()


def test_a_revoked_proxy_gives_no_vote(session):
    from django.utils import timezone

    poll = session.poll()
    holder, holder_entry = session.voter()
    _giver, giver_entry = session.voter()
    ProxyFactory(giver=giver_entry, holder=holder_entry, revoked_at=timezone.now())
    with pytest.raises(PermissionDenied):
        session.cast(poll, holder, giver_entry, "yes")


def test_secretary_records_and_enters_paper_ballots(session):
    poll = session.poll()
    _a, entry_a = session.voter()
    _b, entry_b = session.voter()
    session.cast(poll, session.admin, entry_a, "yes", channel=VoteChannel.SECRETARY)
    session.cast(poll, session.admin, entry_b, "no", channel=VoteChannel.PAPER)
    with scopes_disabled():
        channels = set(Participation.objects.filter(poll=poll).values_list("channel", flat=True))
    assert channels == {"secretary", "paper"}
    with pytest.raises(AlreadyVoted):
        session.cast(poll, session.admin, entry_a, "no", channel=VoteChannel.PAPER)


def test_a_retry_with_the_same_key_returns_the_same_receipt_and_counts_once(session):
    poll = session.poll()
    user, entry = session.voter()
    first = session.cast(poll, user, entry, "yes", idempotency_key="k-1")
    again = session.cast(poll, user, entry, "yes", idempotency_key="k-1")
    assert first == again
    with scopes_disabled():
        assert Ballot.objects.filter(poll=poll).count() == 1
        assert IdempotencyKey.objects.filter(scope__startswith=f"poll:{poll.pk}:").count() == 1


def test_a_second_cast_without_the_key_is_refused(session):
    poll = session.poll()
    user, entry = session.voter()
    session.cast(poll, user, entry, "yes", idempotency_key="k-1")
    with pytest.raises(AlreadyVoted):
        session.cast(poll, user, entry, "no")
    with pytest.raises(AlreadyVoted):
        session.cast(poll, user, entry, "no", idempotency_key="k-2")


def test_publication_forgets_the_idempotency_keys(session):
    poll = session.poll()
    user, entry = session.voter()
    session.cast(poll, user, entry, "yes", idempotency_key="k-1")
    poll = session.close(poll)
    poll_services.poll_publish(association=session.association, actor=session.admin, poll=poll)
    with scopes_disabled():
        assert not IdempotencyKey.objects.filter(scope__startswith=f"poll:{poll.pk}:").exists()


def test_open_ballot_vote_change_replaces_the_ballot(session):
    poll = session.poll(is_secret=False, allow_vote_change=True)
    user, entry = session.voter()
    first = session.cast(poll, user, entry, "yes")
    second = session.cast(poll, user, entry, "no")
    assert first == second
    with scopes_disabled():
        assert list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)) == ["no"]
    assert _counts(session.close(poll).result) == {"yes": 0, "no": 1, "abstain": 0}


def test_secret_ballot_cannot_allow_vote_change(session):
    with pytest.raises(ValidationError) as error:
        session.poll(is_secret=True, allow_vote_change=True)
    assert "secret" in str(error.value)


def test_no_vote_before_opening_after_closing_or_outside_the_session(session):
    poll = session.poll(open_=False)
    user, entry = session.voter()
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, "yes")
    poll = poll_services.poll_open(association=session.association, actor=session.admin, poll=poll)
    session.close(poll)
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, "yes")


def test_a_member_without_voting_rights_cannot_vote(session):
    poll = session.poll()
    user, entry = session.voter(may_vote=False)
    with pytest.raises(ValidationError):
        session.cast(poll, user, entry, "yes")


def test_another_associations_poll_is_out_of_reach(session, other_association):
    poll = session.poll()
    user, entry = session.voter()
    with pytest.raises(Exception) as error:
        ballot_cast(
            association=other_association,
            actor=user,
            poll=poll,
            entry=entry,
            choice="yes",
        )
    assert error.type.__name__ in ("Http404", "PermissionDenied")
    assert ballots.idempotency_scope(poll, entry) == f"poll:{poll.pk}:entry:{entry.pk}"
    PersonFactory(association=other_association)


@pytest.mark.parametrize(
    "mode, checked_in_as",
    [("hybrid", "online"), ("online", "online"), ("in_person", "room")],
)
def test_voting_on_the_platform_checks_the_voter_in(
    association, other_association, mode, checked_in_as
):
    """A member who votes is taking part: the attendance sheet, the quorum and the
    minutes count them as present, so ballots never outnumber those present or
    represented."""
    from maillon.governance.models import Attendance
    from maillon.governance.polls.selectors import present_or_represented_weight

    session = Session(association, mode=mode)
    poll = session.poll()
    user, entry = session.voter()
    session.cast(poll, user, entry, "yes")
    with scopes_disabled():
        attendance = Attendance.objects.get(assembly=session.assembly, entry=entry)
        assert present_or_represented_weight(assembly=session.assembly) == 1
    assert attendance.mode == checked_in_as and attendance.recorded_by == user
    # Already checked in: nothing changes for a second poll.
    second = session.poll()
    session.cast(second, user, entry, "no")
    with scopes_disabled():
        assert Attendance.objects.filter(assembly=session.assembly).count() == 1


@pytest.mark.parametrize(
    "poll_options", [{}, {"is_secret": False, "allow_vote_change": True}], ids=["secret", "open"]
)
def test_the_same_key_with_another_choice_is_refused_and_the_first_ballot_counts(
    session, poll_options
):
    """A retry must be the same request: the same key with another choice is not a
    retry (IETF Idempotency-Key draft), so it is refused instead of answered with the
    first receipt as if the new choice had counted; not even a poll that allows
    changing one's vote takes it under the old key."""
    poll = session.poll(**poll_options)
    user, entry = session.voter()
    receipt = session.cast(poll, user, entry, "yes", idempotency_key="k-1")
    with pytest.raises(KeyReused) as refused:
        session.cast(poll, user, entry, "no", idempotency_key="k-1")
    assert "another choice" in str(refused.value)
    assert session.cast(poll, user, entry, "yes", idempotency_key="k-1") == receipt
    with scopes_disabled():
        assert list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True)) == ["yes"]
