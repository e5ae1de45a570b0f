"""The "your turn" panel on /me/ and on an association's overview: what waits for the
person (an assembly in session, a ballot not cast, a quick poll not answered, an event
today, an application awaiting their answer or awaiting an answer from the association),
each one link away; nothing of another association on its overview; the convocation's
vote link lands on the ballot; the queries do not grow with the items."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.models import Module
from maillon.associations.tests.factories import AssociationFactory
from maillon.core.models import IdempotencyKey
from maillon.events.tests.factories import make_event, make_registration
from maillon.governance.models import (
    AssemblyMode,
    AssemblyStatus,
    Participation,
    Poll,
    PollStatus,
    VoteChannel,
)
from maillon.governance.tests.factories import ProxyFactory, convened_assembly
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory
from maillon.members.your_turn import my_turn
from maillon.volunteering.tests.factories import (
    ApplicationFactory,
    ApplicationMessageFactory,
    MissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def french(text: str) -> str:
    """Pages speak French by default, whatever the test's language."""
    with translation.override("fr"):
        return translation.gettext(text)


def _member(association, user=None, roles=(Role.MEMBER,)):
    user = user or UserFactory()
    PersonFactory(association=association, user=user, email=user.email, roles=list(roles))
    return user


def _open_assembly(association, **kwargs):
    assembly = convened_assembly(association, **kwargs)
    with scopes_disabled():
        assembly.status = AssemblyStatus.OPEN
        assembly.opened_at = timezone.now()
        assembly.save(update_fields=["status", "opened_at"])
    return assembly


def _open_poll(association, assembly=None, title="Approbation des comptes"):
    with scopes_disabled():
        return Poll.objects.create(
            association=association,
            assembly=assembly,
            title=title,
            kind="yes_no" if assembly else "multiple",
            status=PollStatus.OPEN,
            opened_at=timezone.now(),
        )


def _kinds(items):
    return sorted(item.kind for item in items)


def test_assembly_in_session_and_ballot_not_cast_lead_to_the_ballot():
    association = AssociationFactory()
    user = _member(association)
    assembly = _open_assembly(association)
    poll = _open_poll(association, assembly)
    items = my_turn(user=user)
    assert _kinds(items) == ["assembly", "ballot"]
    ballot = next(i for i in items if i.kind == "ballot")
    assert ballot.url == (
        reverse("governance:poll_detail", args=[association.slug, poll.pk]) + "#ballot"
    )
    assert ballot.action == "Vote" and ballot.title == "Approbation des comptes"
    # Once cast, the ballot leaves the panel; the session stays.
    with scopes_disabled():
        entry = assembly.roll.get(person__user=user)
        Participation.objects.create(
            association=association, poll=poll, entry=entry, channel=VoteChannel.ONLINE
        )
    assert _kinds(my_turn(user=user)) == ["assembly"]


def test_a_proxy_holder_sees_the_ballot_until_every_seat_is_cast():
    association = AssociationFactory()
    user = _member(association)
    giver = PersonFactory(association=association, roles=[Role.MEMBER])
    assembly = _open_assembly(association)
    poll = _open_poll(association, assembly)
    with scopes_disabled():
        own = assembly.roll.get(person__user=user)
        given = assembly.roll.get(person=giver)
        ProxyFactory(giver=given, holder=own)
        Participation.objects.create(
            association=association, poll=poll, entry=own, channel=VoteChannel.ONLINE
        )
    items = [i for i in my_turn(user=user) if i.kind == "ballot"]
    assert len(items) == 1


def test_nothing_to_vote_before_the_session_unless_the_vote_is_online():
    association = AssociationFactory()
    user = _member(association)
    in_room = convened_assembly(association, mode=AssemblyMode.IN_PERSON)
    _open_poll(association, in_room)
    assert my_turn(user=user) == []
    online = convened_assembly(association, mode=AssemblyMode.ONLINE)
    _open_poll(association, online, title="Vote en ligne")
    assert [i.title for i in my_turn(user=user)] == ["Vote en ligne"]


def test_quick_poll_not_answered_yet():
    association = AssociationFactory()
    user = _member(association)
    poll = _open_poll(association, title="Quel soir ?")
    assert [(i.kind, i.title) for i in my_turn(user=user)] == [("quick_poll", "Quel soir ?")]
    with scopes_disabled():
        IdempotencyKey.objects.create(
            association=association, user=user, scope=f"quickpoll:{poll.pk}", key="answer"
        )
    assert my_turn(user=user) == []


def test_event_today_for_who_registered_not_tomorrow():
    association = AssociationFactory()
    user = _member(association)
    now = timezone.now()
    today = make_event(
        association,
        title="Apéro",
        starts_at=now + datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=2),
    )
    later = make_event(association, title="Plus tard", days=3)
    make_registration(today, user=user)
    make_registration(later, user=user)
    items = my_turn(user=user)
    assert [(i.kind, i.title) for i in items] == [("event", "Apéro")]
    assert items[0].url == reverse("public_events:event", args=[today.pk])
    assert items[0].detail.startswith("Today at ")


def test_applications_awaiting_the_volunteer_and_the_manager():
    association = AssociationFactory()
    volunteer = _member(association, roles=[Role.VOLUNTEER])
    manager = _member(association, roles=[Role.ADMIN])
    mission = MissionFactory(association=association, title="Accueil au jardin")
    mine = ApplicationFactory(mission=mission, user=volunteer, email=volunteer.email)
    ApplicationFactory(mission=mission)
    assert _kinds(my_turn(user=volunteer)) == []
    ApplicationMessageFactory(application=mine, from_association=True)
    reply = my_turn(user=volunteer)
    assert [(i.kind, i.title) for i in reply] == [("application_reply", "Accueil au jardin")]
    assert reply[0].url == reverse("volunteer:application_detail", args=[mine.pk])
    waiting = [i for i in my_turn(user=manager) if i.kind == "applications"]
    assert [i.title for i in waiting] == ["2 applications waiting for an answer"]
    assert waiting[0].url.endswith("?status=new")


def test_switched_off_module_and_other_associations_stay_out():
    association = AssociationFactory()
    other = AssociationFactory()
    user = _member(association)
    _member(other, user=user)
    _open_poll(association, _open_assembly(association), title="Ici")
    _open_poll(other, _open_assembly(other), title="Ailleurs")
    assert {i.title for i in my_turn(user=user) if i.kind == "ballot"} == {"Ici", "Ailleurs"}
    here = my_turn(user=user, association=association)
    assert {i.title for i in here if i.kind == "ballot"} == {"Ici"}
    other.enabled_modules = [m for m in other.enabled_modules if m != Module.GOVERNANCE]
    other.save(update_fields=["enabled_modules"])
    assert {i.title for i in my_turn(user=user) if i.kind == "ballot"} == {"Ici"}
    # Someone outside the association sees none of it.
    assert my_turn(user=UserFactory()) == []


def test_panel_on_my_space_and_on_the_overview(client):
    association = AssociationFactory()
    user = _member(association)
    assembly = _open_assembly(association)
    poll = _open_poll(association, assembly)
    client.force_login(user)
    ballot_url = reverse("governance:poll_detail", args=[association.slug, poll.pk]) + "#ballot"
    for url in (reverse("me:home"), reverse("backoffice:dashboard", args=[association.slug])):
        page = client.get(url).content.decode()
        assert 'aria-labelledby="your-turn-title"' in page
        assert f'href="{ballot_url}"' in page


def test_empty_panel_says_so_on_my_space_only(client):
    association = AssociationFactory()
    client.force_login(_member(association))
    assert (
        french("Nothing is waiting for you right now.")
        in client.get(reverse("me:home")).content.decode()
    )
    overview = client.get(reverse("backoffice:dashboard", args=[association.slug]))
    assert "your-turn-title" not in overview.content.decode()


def _add_items(association, user, count):
    """``count`` open assemblies with a poll each, events today, quick polls."""
    for n in range(count):
        assembly = _open_assembly(association, title=f"AG {n}")
        _open_poll(association, assembly, title=f"Scrutin {n}")
        _open_poll(association, title=f"Sondage {n}")
        event = make_event(
            association,
            title=f"Atelier {n}",
            starts_at=timezone.now() + datetime.timedelta(minutes=5),
            ends_at=timezone.now() + datetime.timedelta(hours=1),
        )
        make_registration(event, user=user)


@pytest.mark.parametrize("page", ["me", "overview"])
def test_panel_queries_do_not_grow_with_the_items(client, page):
    association = AssociationFactory()
    user = _member(association, roles=[Role.MEMBER, Role.ADMIN])
    client.force_login(user)
    url = (
        reverse("me:home")
        if page == "me"
        else reverse("backoffice:dashboard", args=[association.slug])
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _add_items(association, user, 3)
    first = count()
    _add_items(association, user, 3)
    assert count() == first
    assert len(my_turn(user=user)) == 4 * 6


def test_convocation_vote_link_lands_on_the_ballot(client, settings):
    settings.SITE_URL = "https://maillon.example"
    association = AssociationFactory()
    user = _member(association)
    assembly = _open_assembly(association, mode=AssemblyMode.HYBRID)
    closed = _open_poll(association, assembly, title="Déjà clos")
    with scopes_disabled():
        Poll.objects.filter(pk=closed.pk).update(status=PollStatus.CLOSED)
    poll = _open_poll(association, assembly)
    client.force_login(user)
    url = reverse("governance:assembly_ballot", args=[association.slug, assembly.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("governance:poll_detail", args=[association.slug, poll.pk]) + "#ballot"
    )
    # Nothing left to cast: the assembly's page, with a word.
    with scopes_disabled():
        entry = assembly.roll.get(person__user=user)
        Participation.objects.create(
            association=association, poll=poll, entry=entry, channel=VoteChannel.ONLINE
        )
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "governance:assembly", args=[association.slug, assembly.pk]
    )
    message = french("No vote is waiting for you in this assembly right now.")
    assert message in response.content.decode()


def test_convocation_email_gives_the_vote_link(settings):
    from maillon.governance.assemblies.tasks import send_convocation_emails
    from maillon.governance.models import Convocation, ConvocationChannel

    settings.SITE_URL = "https://maillon.example"
    association = AssociationFactory()
    _member(association, user=UserFactory(email="marie@example.org"))
    assembly = convened_assembly(association, mode=AssemblyMode.HYBRID)
    sent_at = timezone.now()
    with scopes_disabled():
        for entry in assembly.roll.all():
            Convocation.objects.create(
                association=association,
                assembly=assembly,
                entry=entry,
                channel=ConvocationChannel.EMAIL,
                sent_at=sent_at,
            )
    send_convocation_emails.enqueue(
        association_id=association.pk,
        language="en",
        assembly_id=assembly.pk,
        is_reminder=False,
        sent_at=sent_at.isoformat(),
    )
    vote_url = "https://maillon.example" + reverse(
        "governance:assembly_ballot", args=[association.slug, assembly.pk]
    )
    assert len(mail.outbox) == 1
    assert vote_url in mail.outbox[0].body
