"""Minutes (procès-verbal): generated from the records, edited, exported as PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.core.models import AuditEntry
from maillon.governance.minutes import services as minutes_services
from maillon.governance.models import (
    AssemblyMode,
    AssemblyStatus,
    AttendanceMode,
    Minutes,
    Poll,
    PollKind,
    PollStatus,
)
from maillon.governance.tests.factories import (
    AgendaItemFactory,
    AssemblyFactory,
    AttendanceFactory,
    ProxyFactory,
    RollEntryFactory,
)
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db

# 14 March 2025, 17:30 UTC = 18:30 in Paris.
STARTS = datetime.datetime(2025, 3, 14, 17, 30, tzinfo=datetime.UTC)


@pytest.fixture
def held_assembly(association):
    """A closed hybrid assembly: 5 voters, 2 in the room, 1 online, 1 represented."""
    PersonFactory(
        association=association, first_name="Paule", last_name="Présidente", roles=[Role.PRESIDENT]
    )
    PersonFactory(
        association=association, first_name="Sacha", last_name="Secrétaire", roles=[Role.SECRETARY]
    )
    assembly = AssemblyFactory(
        association=association,
        title="Assemblée générale ordinaire 2025",
        mode=AssemblyMode.HYBRID,
        place="Maison des associations, Lyon",
        starts_at=STARTS,
        status=AssemblyStatus.CLOSED,
        quorum_fraction="0.500",
    )
    entries = [RollEntryFactory(assembly=assembly) for _ in range(5)]
    RollEntryFactory(assembly=assembly, may_vote=False)
    AttendanceFactory(entry=entries[0], mode=AttendanceMode.ROOM)
    AttendanceFactory(entry=entries[1], mode=AttendanceMode.ROOM)
    AttendanceFactory(entry=entries[2], mode=AttendanceMode.ONLINE)
    ProxyFactory(giver=entries[3], holder=entries[0])
    accounts = AgendaItemFactory(assembly=assembly, position=1, title="Approbation des comptes")
    AgendaItemFactory(assembly=assembly, position=2, title="Questions diverses")
    elections = AgendaItemFactory(assembly=assembly, position=3, title="Élection du bureau")
    with scopes_disabled():
        Poll.objects.create(
            association=association,
            assembly=assembly,
            agenda_item=accounts,
            title="Approbation des comptes 2024",
            kind=PollKind.YES_NO,
            status=PollStatus.CLOSED,
            result={
                "kind": "yes_no",
                "ballots": 4,
                "blank": 0,
                "adopted": True,
                "winners": ["yes"],
                "total": {"rounds": [{"counts": {"yes": 3, "no": 1, "abstain": 0}}]},
            },
        )
        Poll.objects.create(
            association=association,
            assembly=assembly,
            agenda_item=elections,
            title="Élection du trésorier",
            kind=PollKind.ELECTION,
            status=PollStatus.CREATED,
        )
    return assembly


def generate(association, assembly):
    admin = member_with_account(association, [Role.ADMIN])
    with scopes_disabled(), translation.override("en"):
        return minutes_services.minutes_generate(
            association=association, actor=admin, assembly=assembly
        )


def test_generated_minutes_state_date_place_attendance_quorum_and_results(
    association, held_assembly
):
    minutes = generate(association, held_assembly)
    body = minutes.body
    assert "Assemblée générale ordinaire 2025" in body
    assert "14 March 2025" in body and "18:30" in body  # shown in Paris time, day first
    assert "Place: Maison des associations, Lyon." in body
    assert "Members with a vote: 5." in body
    assert "Present in the room: 2." in body
    assert "Present online: 1." in body
    assert "Represented by proxy: 1." in body
    assert "Present or represented: 4." in body
    assert "The quorum is reached: 4 votes present or represented, 3 required out of 5" in body
    assert "1. Approbation des comptes" in body
    assert "Adopted." in body and "Yes: 3; No: 1" in body
    assert "2. Questions diverses" in body and "No vote on this item." in body
    assert "Résolution" not in body  # nothing French sneaks in under English
    after_election = body.split("Élection du trésorier", 1)[1]
    assert "Not voted." in after_election
    # The signatories default to the people holding the roles.
    assert minutes.president_name == "Paule Présidente"
    assert minutes.secretary_name == "Sacha Secrétaire"
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="minutes.generate").count() == 1


def test_minutes_say_when_the_quorum_is_missing(association, held_assembly):
    held_assembly.quorum_fraction = "0.900"
    held_assembly.save()
    body = generate(association, held_assembly).body
    assert "The quorum is NOT reached: 4 votes present or represented, 5 required" in body


def test_regenerating_keeps_the_signatories_and_approved_minutes_never_change(
    association, held_assembly
):
    minutes = generate(association, held_assembly)
    minutes.president_name = "Camille Autre"
    minutes.save()
    again = generate(association, held_assembly)
    assert again.pk == minutes.pk and again.president_name == "Camille Autre"
    with scopes_disabled():
        Minutes.objects.filter(pk=minutes.pk).update(approved_at=timezone.now())
    with pytest.raises(ValidationError):
        generate(association, held_assembly)


def test_the_bureau_generates_edits_and_downloads_the_minutes(
    admin_client, association, held_assembly
):
    slug, pk = association.slug, held_assembly.pk
    detail = reverse("governance:minutes_detail", args=[slug, pk])
    generate_url = reverse("governance:minutes_generate", args=[slug, pk])
    assert f'action="{generate_url}"' in admin_client.get(detail).content.decode()
    response = admin_client.post(reverse("governance:minutes_generate", args=[slug, pk]))
    assert response.status_code == 302
    with scopes_disabled():
        minutes = Minutes.objects.get(assembly=held_assembly)

    edit = reverse("governance:minutes_edit", args=[slug, pk])
    assert admin_client.get(edit).status_code == 200
    text = "Procès-verbal relu : l'assemblée a voté « oui » à 3 contre 1, budget 1 200 €."
    response = admin_client.post(
        edit, {"body": text, "president_name": "Zoé Çelik", "secretary_name": "Noël Œuvray"}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.body == text and minutes.president_name == "Zoé Çelik"
    assert "« oui » à 3 contre 1, budget 1 200 €" in admin_client.get(detail).content.decode()

    response = admin_client.get(reverse("governance:minutes_pdf", args=[slug, pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    extracted = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    for fragment in ("Procès-verbal", "« oui »", "€", "Zoé Çelik", "Noël Œuvray"):
        assert fragment in extracted


def test_an_empty_text_is_refused(admin_client, association, held_assembly):
    generate(association, held_assembly)
    url = reverse("governance:minutes_edit", args=[association.slug, held_assembly.pk])
    response = admin_client.post(url, {"body": "  ", "president_name": "", "secretary_name": ""})
    assert response.status_code == 200
    with scopes_disabled():
        assert Minutes.objects.get(assembly=held_assembly).body.strip()


def test_a_member_reads_approved_minutes_only_and_cannot_write_them(
    client, association, held_assembly
):
    member = member_with_account(association, [Role.MEMBER], email="membre@amis.example")
    client.force_login(member)
    slug, pk = association.slug, held_assembly.pk
    assert client.post(reverse("governance:minutes_generate", args=[slug, pk])).status_code == 403
    with pytest.raises(PermissionDenied), scopes_disabled():
        minutes_services.minutes_generate(
            association=association, actor=member, assembly=held_assembly
        )

    minutes = generate(association, held_assembly)
    assert client.get(reverse("governance:minutes_edit", args=[slug, pk])).status_code == 403
    detail = client.get(reverse("governance:minutes_detail", args=[slug, pk]))
    assert detail.status_code == 200 and "Approbation des comptes" not in detail.content.decode()
    assert client.get(reverse("governance:minutes_pdf", args=[slug, pk])).status_code == 403

    with scopes_disabled():
        Minutes.objects.filter(pk=minutes.pk).update(approved_at=timezone.now())
    detail = client.get(reverse("governance:minutes_detail", args=[slug, pk]))
    assert "Approbation des comptes" in detail.content.decode()
    assert client.get(reverse("governance:minutes_pdf", args=[slug, pk])).status_code == 200


def test_another_associations_admin_gets_404(client, association, held_assembly, other_admin):
    generate(association, held_assembly)
    client.force_login(other_admin)
    for name in ("minutes_detail", "minutes_edit", "minutes_pdf", "cnil_wizard"):
        for slug in (association.slug, "club-voisin"):
            url = reverse(f"governance:{name}", args=[slug, held_assembly.pk])
            assert client.get(url).status_code == 404, (name, slug)
    for slug in (association.slug, "club-voisin"):
        url = reverse("governance:minutes_generate", args=[slug, held_assembly.pk])
        assert client.post(url).status_code == 404
