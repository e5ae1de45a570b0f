"""Helpers of the engagement tests and probes: a help request and helpers of each
kind, made directly in the database (the services are what the tests exercise)."""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.network.models import (
    Company,
    CompanyCoordinator,
    Engagement,
    HelpRequest,
    LentEmployee,
)

VALID_SIRENS = ("732829320", "552100554", "542051180", "642050199")


def help_request(association, *, audiences=("volunteers", "companies", "networks"), **fields):
    values = {
        "title": "Refaire notre site",
        "need": "Le site date de 2012.",
        "deliverable": "Un site à jour et deux bénévoles formés.",
        **fields,
    }
    with scopes_disabled():
        return HelpRequest.objects.create(
            association=association, audiences=list(audiences), **values
        )


def volunteer(**kwargs):
    """A signed-in person with a volunteer profile."""
    from maillon.volunteering.models import VolunteerProfile

    user = UserFactory(**kwargs)
    VolunteerProfile.objects.create(user=user, remote_ok=True, about="Développeuse web")
    return user


def company(*, siren: str = VALID_SIRENS[0], slug: str = "numerique-solidaire"):
    """A company, its coordinator and one lent employee: (company, coordinator, employee)."""
    found = Company.objects.create(name=f"Entreprise {slug}", slug=slug, siren=siren)
    coordinator = UserFactory()
    CompanyCoordinator.objects.create(company=found, user=coordinator)
    employee = LentEmployee.objects.create(company=found, full_name="Camille Durand")
    return found, coordinator, employee


def witness_engagement(association, *, status: str = "offered") -> Engagement:
    """A volunteer's offer on a witness request of ``association`` (made on first use)."""
    from .probes import witness_help_request

    request_id = witness_help_request(association)
    with scopes_disabled():
        found = Engagement.objects.filter(help_request_id=request_id).first()
        if found is None:
            helper = UserFactory(email=f"benevole@{association.slug}.example")
            found = Engagement.objects.create(
                association=association,
                help_request_id=request_id,
                kind="volunteer",
                offered_by=helper,
                message="Je peux aider.",
                offered_at=timezone.now(),
                status=status,
            )
    return found
