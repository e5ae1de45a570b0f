"""The time sheets API: the company enters, the association lists and decides; the
same reach as the pages."""

import datetime

import pytest

from maillon.accounts.services import api_token_create
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

from .factories import agreement_for, entry

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def agreement(association, company, camille):
    return agreement_for(
        association,
        company,
        rows=[(camille, "60", "100")],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )


def test_the_company_enters_time_and_the_association_validates_it(
    client, association, admin_user, agreement, company, coordinator, camille
):
    company_url = f"/api/v1/companies/{company.slug}/timesheets"
    as_company = bearer(coordinator)
    body = {
        "agreement": agreement.pk,
        "employee": camille.pk,
        "date": "2026-03-03",
        "hours": "4.5",
        "description": "Atelier de formation",
    }
    created = client.post(company_url, body, content_type="application/json", headers=as_company)
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert created.json()["status"] == "submitted"
    refused = client.post(
        company_url,
        {**body, "hours": "25"},
        content_type="application/json",
        headers=as_company,
    )
    assert refused.status_code == 422
    assert "24" in str(refused.json()["detail"])
    outside = client.post(
        company_url,
        {**body, "date": "2027-01-04"},
        content_type="application/json",
        headers=as_company,
    )
    assert outside.status_code == 422
    listed = client.get(company_url, headers=as_company).json()
    assert [e["id"] for e in listed] == [entry_id]
    # The association's side.
    as_association = bearer(admin_user)
    base = f"/api/v1/associations/{association.slug}/timesheets"
    assert [e["id"] for e in client.get(base, headers=as_association).json()] == [entry_id]
    assert client.post(f"{base}/{entry_id}/validate", headers=as_association).json()["status"] == (
        "validated"
    )
    assert client.post(f"{base}/{entry_id}/validate", headers=as_association).status_code == 409
    validated = client.get(f"{base}?status=validated&year=2026", headers=as_association).json()
    assert [e["hours"] for e in validated] == ["4.50"]


def test_a_rejection_needs_a_reason(client, association, admin_user, agreement, camille):
    waiting = entry(
        agreement, camille, date=datetime.date(2026, 2, 2), hours="2", status="submitted"
    )
    url = f"/api/v1/associations/{association.slug}/timesheets/{waiting.pk}/reject"
    headers = bearer(admin_user)
    assert client.post(url, {}, content_type="application/json", headers=headers).status_code == 422
    response = client.post(
        url, {"reason": "Doublon"}, content_type="application/json", headers=headers
    )
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "Doublon"


def test_permissions_and_reach_are_those_of_the_pages(
    client, association, other_admin, agreement, company, outsider_company, camille
):
    waiting = entry(
        agreement, camille, date=datetime.date(2026, 2, 2), hours="2", status="submitted"
    )
    base = f"/api/v1/associations/{association.slug}/timesheets"
    member = member_with_account(association, [Role.MEMBER])
    assert client.get(base, headers=bearer(member)).status_code == 200
    assert client.post(f"{base}/{waiting.pk}/validate", headers=bearer(member)).status_code == 403
    # A third association: 404, for the list and the entry.
    outsider = bearer(other_admin)
    assert client.get(base, headers=outsider).status_code == 404
    other_base = "/api/v1/associations/club-voisin/timesheets"
    assert client.post(f"{other_base}/{waiting.pk}/validate", headers=outsider).status_code == 404
    # A company outside the engagement: its own list is empty, the other company is 404,
    # and it cannot enter time on the agreement.
    stranger = bearer(outsider_company.coordinators.get().user)
    assert (
        client.get(f"/api/v1/companies/{company.slug}/timesheets", headers=stranger).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/companies/{outsider_company.slug}/timesheets", headers=stranger).json()
        == []
    )
    response = client.post(
        f"/api/v1/companies/{outsider_company.slug}/timesheets",
        {
            "agreement": agreement.pk,
            "employee": camille.pk,
            "date": "2026-03-03",
            "hours": "1",
            "description": "…",
        },
        content_type="application/json",
        headers=stranger,
    )
    assert response.status_code == 404
    # An association's admin is not the company.
    assert (
        client.get(f"/api/v1/companies/{company.slug}/timesheets", headers=outsider).status_code
        == 404
    )
