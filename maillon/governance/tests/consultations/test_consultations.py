"""Consultations: member proposals reaching the next general assembly, comments, and
quick polls (date polls) outside assemblies."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry, IdempotencyKey
from maillon.governance.consultations import services
from maillon.governance.consultations.selectors import quick_poll_counts
from maillon.governance.models import (
    AgendaItem,
    AssemblyKind,
    AssemblyStatus,
    Ballot,
    Poll,
    PollStatus,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalSupport,
)
from maillon.governance.tests.factories import AgendaItemFactory, AssemblyFactory
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def person_of(user):
    with scopes_disabled():
        return user.people.get()


def set_threshold(association, value: int) -> None:
    with scopes_disabled():
        statutes = association.statutes
        statutes.proposal_support_threshold = value
        statutes.save()


@pytest.fixture
def members(association):
    return [
        member_with_account(association, [Role.MEMBER], email=f"m{i}@amis.example")
        for i in range(4)
    ]


def propose(association, user, title="Jardin partagé"):
    with scopes_disabled():
        return services.proposal_create(
            association=association, actor=user, title=title, body="Créons un jardin."
        )


def support(association, user, proposal):
    with scopes_disabled():
        return services.proposal_support(association=association, actor=user, proposal=proposal)


# --- proposals -----------------------------------------------------------------------------


def test_reaching_the_threshold_puts_the_proposal_on_the_next_general_assembly(
    association, members
):
    set_threshold(association, 2)
    now = timezone.now()
    later = AssemblyFactory(association=association, starts_at=now + 60 * DAY)
    soonest = AssemblyFactory(
        association=association,
        kind=AssemblyKind.EXTRAORDINARY,
        status=AssemblyStatus.CONVENED,
        starts_at=now + 20 * DAY,
    )
    AssemblyFactory(association=association, kind=AssemblyKind.BOARD, starts_at=now + 5 * DAY)
    AssemblyFactory(association=association, starts_at=now - 5 * DAY)  # draft, but past
    AssemblyFactory(association=association, status=AssemblyStatus.OPEN, starts_at=now + 10 * DAY)
    AgendaItemFactory(assembly=soonest, position=1, title="Rapport moral")

    proposal = propose(association, members[0])
    proposal = support(association, members[1], proposal)
    assert proposal.status == ProposalStatus.OPEN
    proposal = support(association, members[2], proposal)
    assert proposal.status == ProposalStatus.ON_AGENDA

    with scopes_disabled():
        item = AgendaItem.objects.get(proposal=proposal)
        assert item.assembly == soonest and item.position == 2
        assert item.title == "Jardin partagé" and item.description == "Créons un jardin."
        assert not AgendaItem.objects.filter(assembly=later).exists()
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert {"proposal.create", "proposal.support", "proposal.on_agenda"} <= set(actions)
    # The proposal no longer collects support, and support is not withdrawn any more.
    with pytest.raises(ValidationError):
        support(association, members[3], proposal)
    with pytest.raises(ValidationError), scopes_disabled():
        services.proposal_unsupport(association=association, actor=members[1], proposal=proposal)


def test_a_member_supports_once_and_may_withdraw_while_open(association, members):
    proposal = propose(association, members[0])
    support(association, members[1], proposal)
    with pytest.raises(ValidationError):
        support(association, members[1], proposal)
    # The database refuses a second support whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic(), scopes_disabled():
        ProposalSupport.objects.create(
            association=association, proposal=proposal, person=person_of(members[1])
        )
    with scopes_disabled():
        services.proposal_unsupport(association=association, actor=members[1], proposal=proposal)
        assert not ProposalSupport.objects.filter(proposal=proposal).exists()
    support(association, members[1], proposal)
    with scopes_disabled():
        assert ProposalSupport.objects.filter(proposal=proposal).count() == 1


def test_without_a_general_assembly_the_proposal_waits_for_the_bureau(
    association, members, admin_client
):
    set_threshold(association, 1)
    proposal = support(association, members[1], propose(association, members[0]))
    assert proposal.status == ProposalStatus.ON_AGENDA
    with scopes_disabled():
        assert not AgendaItem.objects.exists()
        assert AuditEntry.objects.filter(action="proposal.waiting_for_assembly").exists()

    home = reverse("governance:consultations", args=[association.slug])
    assert "Jardin partagé" in admin_client.get(home).content.decode()
    assembly = AssemblyFactory(association=association)
    page = admin_client.get(home).content.decode()
    assert f'name="assembly_id" value="{assembly.pk}"' in page

    url = reverse("governance:proposals_attach", args=[association.slug])
    assert admin_client.post(url, {"assembly_id": assembly.pk}).status_code == 302
    with scopes_disabled():
        item = AgendaItem.objects.get(proposal=proposal)
        assert item.assembly == assembly
    # Nothing is waiting any more: a second click adds nothing.
    admin_client.post(url, {"assembly_id": assembly.pk})
    with scopes_disabled():
        assert AgendaItem.objects.filter(proposal=proposal).count() == 1


def test_waiting_proposals_only_go_to_a_general_assembly_in_preparation(association, members):
    set_threshold(association, 1)
    support(association, members[1], propose(association, members[0]))
    admin = member_with_account(association, [Role.ADMIN])
    board = AssemblyFactory(association=association, kind=AssemblyKind.BOARD)
    with pytest.raises(ValidationError), scopes_disabled():
        services.proposals_attach_waiting(association=association, actor=admin, assembly=board)
    ga = AssemblyFactory(association=association)
    with pytest.raises(PermissionDenied), scopes_disabled():
        services.proposals_attach_waiting(association=association, actor=members[0], assembly=ga)


def test_members_propose_support_and_comment_through_the_pages(client, association, members):
    set_threshold(association, 3)
    client.force_login(members[0])
    slug = association.slug
    response = client.post(
        reverse("governance:proposal_create", args=[slug]),
        {"title": "Fête de quartier", "body": "Une fête en juin."},
    )
    assert response.status_code == 302
    with scopes_disabled():
        proposal = Proposal.objects.get()
    assert proposal.author == person_of(members[0])
    detail = reverse("governance:proposal_detail", args=[slug, proposal.pk])
    assert response["Location"] == detail

    assert (
        client.post(reverse("governance:proposal_support", args=[slug, proposal.pk])).status_code
        == 302
    )
    client.post(
        reverse("governance:proposal_comment", args=[slug, proposal.pk]),
        {"body": "Bonne idée, je peux aider à l'organiser."},
    )
    page = client.get(detail).content.decode()
    assert "1 support out of the 3 needed" in page
    assert "Bonne idée, je peux aider" in page
    assert reverse("governance:proposal_unsupport", args=[slug, proposal.pk]) in page
    with scopes_disabled():
        assert ProposalComment.objects.get().author == person_of(members[0])
        assert ProposalSupport.objects.count() == 1

    # A plain member does not create polls nor attach proposals.
    assert client.get(reverse("governance:date_poll_create", args=[slug])).status_code == 403
    assert client.post(reverse("governance:proposals_attach", args=[slug])).status_code == 403


def test_the_proposal_list_runs_a_constant_number_of_queries(client, association, members):
    client.force_login(members[0])
    url = reverse("governance:consultations", args=[association.slug])

    def add(n):
        for i in range(n):
            author = PersonFactory(association=association)
            proposal = propose_as_person(association, author, f"Idée {author.pk}-{i}")
            with scopes_disabled():
                ProposalSupport.objects.create(
                    association=association, proposal=proposal, person=author
                )
                ProposalComment.objects.create(
                    association=association, proposal=proposal, author=author, body="+1"
                )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add(3)
    at_n = count()
    add(3)
    assert count() == at_n


def propose_as_person(association, person, title):
    with scopes_disabled():
        return Proposal.objects.create(
            association=association, author=person, title=title, body="…"
        )


# --- quick polls and date polls ------------------------------------------------------------


def test_a_date_poll_counts_answers_with_one_answer_per_member(
    admin_client, association, admin_user, members
):
    # The dates are labelled in the bureau's language: French here.
    admin_user.language = "fr"
    admin_user.save(update_fields=["language"])
    client = Client()  # the members' browser; admin_client stays the bureau's
    slug = association.slug
    day = timezone.localdate() + 10 * DAY
    response = admin_client.post(
        reverse("governance:date_poll_create", args=[slug]),
        {
            "title": "Date du prochain CA",
            "question": "",
            "dates": f"{day:%Y-%m-%d} 18:30\n{day + DAY:%Y-%m-%d} 09:00\n\n",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        poll = Poll.objects.get()
        options = list(poll.options.order_by("position"))
    assert poll.assembly is None and poll.status == PollStatus.OPEN and not poll.is_secret
    assert len(options) == 2 and "18:30" in options[0].label and "09:00" in options[1].label
    first, second = options

    answer = reverse("governance:quick_poll_answer", args=[slug, poll.pk])
    for user, ticked in ((members[0], [first, second]), (members[1], [second])):
        client.force_login(user)
        assert client.post(answer, {"options": [o.pk for o in ticked]}).status_code == 302
    # Answering again replaces the member's answer: still one ballot each.
    client.force_login(members[1])
    client.post(answer, {"options": [first.pk]})
    client.post(answer, {"options": [first.pk, second.pk]})

    with scopes_disabled():
        assert Ballot.objects.filter(poll=poll).count() == 2
        assert not Ballot.objects.filter(poll=poll, entry__isnull=False).exists()
        counts = quick_poll_counts(poll=poll)
    assert [(c.option.pk, c.count) for c in counts.options] == [(first.pk, 2), (second.pk, 2)]
    assert counts.answers == 2

    # Counts are shown live, and the member's ticks are remembered.
    page = client.get(reverse("governance:quick_poll_detail", args=[slug, poll.pk]))
    assert page.status_code == 200
    assert "2 people answered" in page.content.decode()

    # The bureau closes it; answers are then refused.
    close = reverse("governance:quick_poll_close", args=[slug, poll.pk])
    assert client.post(close).status_code == 403
    assert admin_client.post(close).status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED
    assert poll.result["counts"] == {str(first.pk): 2, str(second.pk): 2}
    assert poll.result["tie"] is True
    with pytest.raises(ValidationError), scopes_disabled():
        services.quick_poll_answer(
            association=association, actor=members[2], poll=poll, option_ids=[first.pk]
        )


def test_one_answer_per_user_is_held_by_the_database(association, admin_user, members):
    with scopes_disabled():
        poll = services.quick_poll_create(
            association=association, actor=admin_user, title="Pique-nique ?", labels=["Oui", "Non"]
        )
        option = poll.options.first()
        services.quick_poll_answer(
            association=association, actor=members[0], poll=poll, option_ids=[option.pk]
        )
        key = IdempotencyKey.objects.get(user=members[0])
        assert key.scope == f"quickpoll:{poll.pk}"
        with pytest.raises(IntegrityError), transaction.atomic():
            IdempotencyKey.objects.create(
                association=association, user=members[0], scope=key.scope, key=key.key
            )
        with pytest.raises(ValidationError):
            services.quick_poll_answer(
                association=association, actor=members[0], poll=poll, option_ids=[999999]
            )


def test_a_date_poll_refuses_bad_dates(admin_client, association):
    url = reverse("governance:date_poll_create", args=[association.slug])
    response = admin_client.post(url, {"title": "CA", "dates": "demain soir\n2099-01-01 10:00"})
    assert response.status_code == 200
    response = admin_client.post(
        url, {"title": "CA", "dates": "2000-01-01 10:00\n2099-01-01 10:00"}
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Poll.objects.exists()


# --- isolation -------------------------------------------------------------------------------


def test_another_associations_admin_gets_404_on_every_consultation_url(
    client, association, members, other_admin
):
    proposal = propose(association, members[0])
    admin = member_with_account(association, [Role.ADMIN])
    with scopes_disabled():
        poll = services.quick_poll_create(
            association=association, actor=admin, title="Sortie", labels=["Samedi", "Dimanche"]
        )
    client.force_login(other_admin)
    for slug in (association.slug, "club-voisin"):
        for name in (
            "proposal_detail",
            "proposal_support",
            "proposal_unsupport",
            "proposal_comment",
        ):
            url = reverse(f"governance:{name}", args=[slug, proposal.pk])
            method = client.get if name == "proposal_detail" else client.post
            assert method(url, {"body": "x"}).status_code == 404, (name, slug)
        for name in ("quick_poll_detail", "quick_poll_answer", "quick_poll_close"):
            url = reverse(f"governance:{name}", args=[slug, poll.pk])
            method = client.get if name == "quick_poll_detail" else client.post
            assert method(url, {"options": []}).status_code == 404, (name, slug)
    assert (
        client.get(reverse("governance:consultations", args=[association.slug])).status_code == 404
    )
    with scopes_disabled():
        assert not ProposalSupport.objects.exists() and not ProposalComment.objects.exists()
        assert poll.ballots.count() == 0
        poll.refresh_from_db()
        assert poll.status == PollStatus.OPEN


def test_a_new_general_assembly_takes_the_waiting_proposals(association, admin_user):
    """Idea → support threshold → agenda of the next GA, even when that GA is created
    after the threshold was reached."""
    import datetime

    from django.utils import timezone
    from django_scopes import scope

    from maillon.governance.assemblies import services as assembly_services
    from maillon.governance.consultations import services as consultation_services
    from maillon.governance.models import AgendaItem, ProposalStatus

    with scope(association=association):
        statutes = association.statutes
        statutes.proposal_support_threshold = 1
        statutes.save()
        proposal = consultation_services.proposal_create(
            association=association, actor=admin_user, title="Un composteur", body="Au jardin."
        )
        consultation_services.proposal_support(
            association=association, actor=admin_user, proposal=proposal
        )
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ON_AGENDA
        assembly = assembly_services.assembly_create(
            association=association,
            actor=admin_user,
            kind="ordinary",
            mode="in_person",
            title="AG 2027",
            place="Salle des fêtes",
            starts_at=timezone.now() + datetime.timedelta(days=40),
        )
        items = AgendaItem.objects.filter(assembly=assembly)
        assert [item.proposal_id for item in items] == [proposal.pk]
