import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.network.help.companies import services
from maillon.network.models import Company, HelpRequest
from maillon.taxonomy.models import Skill

pytestmark = pytest.mark.django_db
VALID_SIREN = "732829320"  # checksum-valid test number


def test_siren_is_checked_by_python_stdnum():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.company_register(actor=user, name="Fausse SA", siren="123456789")
    company = services.company_register(actor=user, name="Conseil & Co", siren="732 829 320")
    assert company.siren == VALID_SIREN


def test_the_company_space_lists_employees_and_matches_with_reasons(client, association):
    coordinator = UserFactory()
    company = services.company_register(
        actor=coordinator, name="Numérique Solidaire", siren=VALID_SIREN
    )
    skills = list(Skill.objects.all()[:4])
    assert len(skills) == 4
    with scopes_disabled():
        wanted = HelpRequest.objects.create(
            association=association,
            title="Mettre en place l’adhésion en ligne",
            need="…",
            deliverable="…",
            audiences=["companies"],
            format="remote",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        wanted.skills.set(skills)
        HelpRequest.objects.create(
            association=association,
            title="Réservée aux bénévoles",
            need="…",
            deliverable="…",
            audiences=["volunteers"],
        )
    client.force_login(coordinator)
    url = reverse("companies:space", kwargs={"company_slug": company.slug})
    client.post(
        reverse("companies:employee_add", kwargs={"company_slug": company.slug}),
        {
            "full_name": "Camille Durand",
            "job_title": "Développeuse",
            "skills": [s.pk for s in skills[:3]],
            "remote_ok": "on",
        },
    )
    page = client.get(url).content.decode()
    assert "Camille Durand" in page
    assert "Mettre en place l’adhésion en ligne" in page
    assert "Réservée aux bénévoles" not in page
    assert "3 sur 4 compétences recherchées" in page
    assert "Disponible avant l’échéance" in page


def test_the_company_space_is_closed_to_others(client):
    company = services.company_register(actor=UserFactory(), name="Fermée", siren=VALID_SIREN)
    client.force_login(UserFactory())
    url = reverse("companies:space", kwargs={"company_slug": company.slug})
    assert client.get(url).status_code == 404
    add = reverse("companies:employee_add", kwargs={"company_slug": company.slug})
    assert client.post(add, {"full_name": "Pirate"}).status_code == 404
    assert not company.employees.exists()
    assert Company.objects.count() == 1
