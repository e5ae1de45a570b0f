"""French typography of the governance pages and PDFs found on a walk through an
assembly (issue 10, item 5): a label's colon after a non-breaking space, a custom
majority as a percentage with the decimal comma, and, in the minutes' PDF, no line
that starts with the ":" of a title people typed."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.governance.minutes import pdf as minutes_pdf
from maillon.governance.models import Minutes
from maillon.governance.tests.factories import AssemblyFactory
from maillon.governance.tests.polls.test_ballots import Session

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def session(association, other_association):
    return Session(association)


def in_french(user):
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def test_the_receipt_puts_a_non_breaking_space_before_the_colon(session, client):
    poll = session.poll()
    user, entry = session.voter()
    client.force_login(in_french(user))
    page = client.post(
        reverse("governance:poll_vote", args=[session.association.slug, poll.pk]),
        {"idempotency_key": "k", f"e{entry.pk}-answer": "yes"},
    ).content.decode()
    assert f"Votre propre vote{NBSP}:</strong>" in page


def test_a_custom_majority_is_shown_as_a_percentage(session, client):
    poll = session.poll(majority_rule="custom", majority_fraction=Decimal("0.750"))
    client.force_login(in_french(session.admin))
    page = client.get(
        reverse("governance:poll_detail", args=[session.association.slug, poll.pk])
    ).content.decode()
    assert f"(75,0{NBSP}%)" in page


def test_no_line_of_the_minutes_pdf_starts_with_a_colon(association):
    assembly = AssemblyFactory(
        association=association,
        title="Assemblée générale extraordinaire : révision des statuts",
    )
    body = "\n".join(
        [
            "Point 1 : approbation des comptes de l’exercice écoulé et du budget prévisionnel",
            "Le président demande : « qui vote contre ? » ; personne ne lève la main !",
        ]
        * 3
    )
    with scopes_disabled():
        minutes = Minutes.objects.create(association=association, assembly=assembly, body=body)
        minutes = Minutes.objects.select_related("assembly__association").get(pk=minutes.pk)
    with translation.override("fr"):
        pdf = minutes_pdf.minutes_document(minutes=minutes, language="fr")
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    assert not [line for line in lines if re.match(r"^[:;!?»]", line)], lines


def test_numbers_use_the_locale_format():
    from maillon.governance import formatting

    with translation.override("fr"):
        assert formatting.count(1234) == f"1{NBSP}234"
        assert formatting.percent("88.9") == f"88,9{NBSP}%"
        assert formatting.share(Decimal("0.667")) == f"66,7{NBSP}%"
        assert formatting.labelled("Oui", 8) == f"Oui{NBSP}: 8"
    with translation.override("en"):
        assert formatting.count(1234) == "1,234" and formatting.percent("88.9") == "88.9%"


def test_weighted_votes_in_the_minutes_and_the_quorum_box_group_thousands(association, client):
    """A federation weights its members' votes: 1 500 votes read as such."""
    from django_scopes import scope

    from maillon.governance.minutes import services as minutes_services
    from maillon.governance.models import AssemblyStatus
    from maillon.governance.tests.factories import AttendanceFactory, RollEntryFactory
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account

    admin = in_french(member_with_account(association, [Role.ADMIN, Role.MEMBER]))
    assembly = AssemblyFactory(association=association, status=AssemblyStatus.CLOSED)
    AttendanceFactory(entry=RollEntryFactory(assembly=assembly, weight=1500))
    RollEntryFactory(assembly=assembly, weight=2500)
    with translation.override("fr"), scope(association=association):
        body = minutes_services.minutes_generate(
            association=association, actor=admin, assembly=assembly
        ).body
    assert f"voix présentes ou représentées{NBSP}: 1{NBSP}500" in body
    assert f"sur 4{NBSP}000" in body
    client.force_login(admin)
    box = client.get(
        reverse("governance:assembly_quorum", args=[association.slug, assembly.pk])
    ).content.decode()
    assert f"<dd>1{NBSP}500</dd>" in box
