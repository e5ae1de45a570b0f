"""The strategy document: a PDF of the latest diagnostic, the objectives, the plan
and its indicators, in the reader's language."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillon.members.tests.factories import PersonFactory
from maillon.strategy.models import ActionStatus
from maillon.strategy.tests.factories import (
    ActionFactory,
    CompletedDiagnosticFactory,
    IndicatorFactory,
    MeasurementFactory,
)

pytestmark = pytest.mark.django_db


def document_url(association) -> str:
    return reverse("strategy:document", kwargs={"association_slug": association.slug})


@pytest.fixture
def full_plan(association):
    """A diagnostic, and a plan whose words need the fonts' whole repertoire."""
    CompletedDiagnosticFactory(
        association=association,
        completed_at=timezone.now() - datetime.timedelta(days=30),
        objectives=["mobilise_volunteers", "involve_members", "raise_funds"],
    )
    owner = PersonFactory(association=association, first_name="Zoé", last_name="Lœwenbrück")
    action = ActionFactory(
        association=association,
        title="Créer l'« espace bénévoles » & collecter 500 € — cœur du projet",
        owner=owner,
        objective="mobilise_volunteers",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
        status=ActionStatus.IN_PROGRESS,
    )
    ActionFactory(association=association, title="Écrire <la> charte", status=ActionStatus.DONE)
    indicator = IndicatorFactory(
        action=action, name="Dons en ligne", unit="€", baseline=Decimal("120.50"), target=500
    )
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 6, 30), value=Decimal(310))
    return action


def test_the_document_is_a_pdf_with_a_filename(admin_client, association, full_plan):
    response = admin_client.get(document_url(association))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="amis-du-quartier-strategy-'
    )
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1024
    # The Unicode font is embedded (accents, « », œ and € print everywhere).
    assert b"BitstreamVeraSans" in response.content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_document_renders_in_each_language(
    client, admin_user, association, full_plan, language
):
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    response = client.get(document_url(association))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_without_a_completed_diagnostic_the_plan_still_prints(admin_client, association):
    ActionFactory(association=association, title="Ouvrir une permanence numérique")
    response = admin_client.get(document_url(association))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_document_text_when_a_pdf_reader_is_available(
    client, admin_user, association, full_plan
):
    pypdf = pytest.importorskip("pypdf")
    import io

    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    reader = pypdf.PdfReader(io.BytesIO(client.get(document_url(association)).content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Digital strategy of Les Amis du Quartier" in text
    assert "Making progress (48 / 100)" in text
    assert "Recruit and mobilise volunteers" in text  # the first objective
    assert "« espace bénévoles »" in text and "500 €" in text and "cœur" in text
    assert "Lœwenbrück" in text
    assert "(overdue)" in text
    assert "Dons en ligne" in text and "310 €" in text
    assert "Écrire <la> charte" in text


def test_a_member_without_the_strategy_permission_gets_403(client, association):
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account

    client.force_login(member_with_account(association, [Role.MEMBER]))
    assert client.get(document_url(association)).status_code == 403
