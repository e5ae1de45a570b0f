import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.metrics.registry import measure
from maillon.network.models import PracticeSheet, PracticeSheetRevision, QuestionStatus
from maillon.network.practices import services
from maillon.network.practices.selectors import PracticeFilters, public_practice_sheets
from maillon.network.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    network_staff,
    practice_sheet,
)
from maillon.strategy.models import Action, Indicator, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(association, other_association):
    network = NetworkFactory(name="Fédération sportive")
    MembershipFactory(network=network, association=association)
    MembershipFactory(network=network, association=other_association)
    return network


def test_a_sheet_from_a_finished_action_is_prefilled_with_its_evidence(association, admin_user):
    with scopes_disabled():
        action = Action.objects.create(
            association=association,
            title="Publier nos missions en ligne",
            recommendation_code="publish_missions",
            description="Fiches missions sur le site.",
            status="done",
        )
        indicator = Indicator.objects.create(
            association=association,
            action=action,
            name="Candidatures par trimestre",
            target=10,
            baseline=2,
        )
        Measurement.objects.create(
            association=association, indicator=indicator, date=timezone.localdate(), value=9
        )
    client = Client()
    client.force_login(admin_user)
    url = f"/a/{association.slug}/practices/new/?action={action.pk}"
    html = client.get(url).content.decode()
    assert "Publier nos missions en ligne" in html
    assert "2.00 → 9.00" in html or "2,00 → 9,00" in html
    response = client.post(
        url,
        {
            "action": action.pk,
            "title": "Publier nos missions en ligne",
            "problem": "Peu de candidatures.",
            "what_was_done": "Des fiches claires.",
            "licence": "CC-BY-SA-4.0",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        sheet = PracticeSheet.objects.get(association=association)
    assert sheet.source_action_id == action.pk
    assert sheet.recommendation_code == "publish_missions"
    assert sheet.evidence[0]["before"] == "2.00" and sheet.evidence[0]["after"] == "9.00"
    assert sheet.licence == "CC-BY-SA-4.0"


def test_revisions_are_kept(association, admin_user):
    sheet = services.practice_sheet_create(
        association=association, actor=admin_user, title="Titre", problem="P", what_was_done="W"
    )
    services.practice_sheet_update(
        association=association, actor=admin_user, sheet=sheet, title="Nouveau titre"
    )
    with scopes_disabled():
        numbers = list(
            PracticeSheetRevision.objects.filter(sheet=sheet).values_list("number", "data__title")
        )
    assert numbers == [(2, "Nouveau titre"), (1, "Titre")]


def test_visibility_draft_network_public(association, admin_user, other_association, network):
    outsider = NetworkFactory()
    sheet = practice_sheet(association)
    member_ids = {network.pk}
    assert list(public_practice_sheets(network_ids=member_ids)) == []
    with pytest.raises(ValidationError):
        services.practice_sheet_publish(
            association=association,
            actor=admin_user,
            sheet=sheet,
            visibility="network",
            networks=[outsider],
        )
    services.practice_sheet_publish(
        association=association,
        actor=admin_user,
        sheet=sheet,
        visibility="network",
        networks=[network],
    )
    assert list(public_practice_sheets(network_ids=member_ids)) == [sheet]
    assert list(public_practice_sheets(network_ids=set())) == []
    assert list(public_practice_sheets(network_ids={outsider.pk})) == []
    services.practice_sheet_publish(
        association=association, actor=admin_user, sheet=sheet, visibility="public"
    )
    assert list(public_practice_sheets()) == [sheet]
    assert (
        measure(
            "network.practices_published",
            association=association,
            start=timezone.localdate(),
            end=timezone.localdate(),
        )
        == 1
    )


def test_search_and_filters(association, network):
    practice_sheet(
        association,
        visibility="public",
        title="Agenda partagé des bénévoles",
        pitfalls=["information_overload"],
    )
    practice_sheet(
        association, visibility="public", title="Adhésions en ligne", domains=["management"]
    )
    titles = lambda f: [s.title for s in public_practice_sheets(filters=f)]  # noqa: E731
    assert titles(PracticeFilters(q="bénévoles")) == ["Agenda partagé des bénévoles"]
    assert titles(PracticeFilters(domain="management")) == ["Adhésions en ligne"]
    assert titles(PracticeFilters(pitfall="information_overload")) == [
        "Agenda partagé des bénévoles"
    ]


def test_a_coordinator_features_or_unpublishes_a_sheet_in_the_network(association, network):
    sheet = practice_sheet(association, visibility="network", networks=[network])
    coordinator = network_staff(network, "coordinator")
    client = Client()
    client.force_login(coordinator)
    html = client.get(f"/n/{network.slug}/practices/").content.decode()
    assert sheet.title in html
    with scopes_disabled():
        share = sheet.shares.get()
    client.post(f"/n/{network.slug}/practices/{share.pk}/", {"change": "hide"})
    assert list(public_practice_sheets(network_ids={network.pk})) == []
    client.post(f"/n/{network.slug}/practices/{share.pk}/", {"change": "show"})
    client.post(f"/n/{network.slug}/practices/{share.pk}/", {"change": "feature"})
    share.refresh_from_db()
    assert share.featured and not share.hidden


def test_we_did_it_too_and_a_moderated_question(
    association,
    admin_user,
    other_association,
    other_admin,
    network,
    django_capture_on_commit_callbacks,
):
    association.contact_email = "contact@amis.example"
    association.save()
    sheet = practice_sheet(association, visibility="network", networks=[network])
    client = Client()
    client.force_login(other_admin)
    assert sheet.title in client.get(f"/practices/{sheet.pk}/").content.decode()
    client.post(
        f"/a/{other_association.slug}/practices/shared/{sheet.pk}/endorse/",
        {"outcome": "Nous aussi, et deux fois plus de bénévoles."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/a/{other_association.slug}/practices/shared/{sheet.pk}/ask/",
            {"body": "Quel outil d’agenda avez-vous choisi ?"},
        )
    assert len(mail.outbox) == 1 and "Club Voisin" in mail.outbox[0].body
    html = client.get(f"/practices/{sheet.pk}/").content.decode()
    assert "deux fois plus de bénévoles" in html
    assert "Quel outil" not in html  # waiting for moderation

    owner = Client()
    owner.force_login(admin_user)
    with scopes_disabled():
        question = sheet.questions.get()
    owner.post(
        f"/a/{association.slug}/practices/{sheet.pk}/questions/{question.pk}/",
        {"decision": "publish", "answer": "Un agenda partagé libre."},
    )
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED
    assert "Quel outil" in client.get(f"/practices/{sheet.pk}/").content.decode()
    assert (
        measure(
            "network.practices_endorsed",
            association=association,
            start=timezone.localdate(),
            end=timezone.localdate(),
        )
        == 1
    )


def test_a_draft_or_a_foreign_network_sheet_is_never_shown(association, other_association):
    draft = practice_sheet(association)
    elsewhere = practice_sheet(
        association, visibility="network", networks=[NetworkFactory()], title="Ailleurs"
    )
    reader = member_with_account(other_association, [Role.ADMIN])
    client = Client()
    client.force_login(reader)
    for sheet in (draft, elsewhere):
        assert client.get(f"/practices/{sheet.pk}/").status_code == 404
        response = client.post(f"/a/{other_association.slug}/practices/shared/{sheet.pk}/endorse/")
        assert response.status_code == 404
    assert Client().get("/practices/feed.atom").status_code == 200
