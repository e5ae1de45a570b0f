"""The pages of both sides, the employee's link, and who reaches what."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.network.help.sponsorship import selectors
from maillon.network.models import SponsorshipAgreement, TimesheetEntry

from .factories import accepted_engagement, agreement_for, entry

pytestmark = pytest.mark.django_db
D = datetime.date


def a_url(name, association, **kwargs):
    return reverse(f"sponsorship:{name}", kwargs={"association_slug": association.slug, **kwargs})


def c_url(name, company, **kwargs):
    return reverse(f"company_sponsorship:{name}", kwargs={"company_slug": company.slug, **kwargs})


@pytest.fixture
def agreement(association, company, camille):
    return agreement_for(
        association,
        company,
        rows=[(camille, "100", "1600")],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )


def test_the_association_drafts_and_the_company_sees_and_costs_it(
    client, association, admin_user, company, coordinator, camille
):
    engagement = accepted_engagement(association, company)
    client.force_login(admin_user)
    overview = client.get(a_url("overview", association)).content.decode()
    assert "Rédiger la convention" in overview
    response = client.post(
        a_url("create", association, engagement_id=engagement.pk),
        {
            "tasks": "Refonte du site",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
            "planned_hours": "40",
        },
    )
    assert "La convention doit se terminer après son début." in response.content.decode()
    response = client.post(
        a_url("create", association, engagement_id=engagement.pk),
        {
            "tasks": "Refonte du site",
            "starts_on": "2026-02-01",
            "ends_on": "2026-06-30",
            "planned_hours": "40",
            "association_signatory": "Léa Martin, présidente",
        },
    )
    with scopes_disabled():
        agreement = SponsorshipAgreement.objects.get(engagement=engagement)
    assert response.status_code == 302
    # The company's side: listed, detailed, costed.
    client.force_login(coordinator)
    assert "Refaire notre site" in client.get(c_url("overview", company)).content.decode()
    response = client.post(
        c_url("employee", company, agreement_id=agreement.pk),
        {"employee": camille.pk, "hourly_cost": "52.40", "planned_hours": "40"},
    )
    assert response.status_code == 302
    page = client.get(c_url("detail", company, agreement_id=agreement.pk)).content.decode()
    assert "Camille Durand" in page and "144" in page and "sous le plafond" in page
    pdf = client.get(c_url("pdf", company, agreement_id=agreement.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_company_marks_the_agreement_signed_and_renews_a_link(
    client, association, company, coordinator, camille
):
    """Both company buttons of the detail page answer (a clash of arguments made
    the company's signature a 500)."""
    agreement = agreement_for(association, company, rows=[(camille, "52.40", "40")], signed=False)
    client.force_login(coordinator)
    response = client.post(c_url("sign", company, agreement_id=agreement.pk), follow=True)
    assert response.status_code == 200
    assert "Convention marquée signée par l’entreprise." in response.content.decode()
    with scopes_disabled():
        agreement.refresh_from_db()
        assert (
            agreement.company_signed_at is not None and agreement.company_signed_by == coordinator
        )
        assert agreement.association_signed_at is None
        row = agreement.employees.get()
    before = row.link_key
    url = c_url("link_renew", company, agreement_id=agreement.pk, row_id=row.pk)
    assert client.post(url).status_code == 302
    with scopes_disabled():
        row.refresh_from_db()
    assert row.link_key != before


def test_the_detail_shows_the_cap_exceeded(admin_client, association, agreement):
    page = admin_client.get(a_url("detail", association, agreement_id=agreement.pk))
    text = page.content.decode()
    assert "48\u00a0060\u00a0€" in text or "48 060" in text or "48060" in text
    assert "dépasse le plafond" in text


def test_the_company_enters_time_and_refusals_are_explained(
    client, association, admin_user, agreement, company, coordinator, camille
):
    client.force_login(coordinator)
    url = c_url("entry_add", company, agreement_id=agreement.pk)
    row = selectors.agreement_employee_get(agreement=agreement, employee_id=camille.pk)
    page = client.post(
        url, {"row": row.pk, "date": "2026-03-02", "hours": "-3", "description": "Atelier"}
    ).content.decode()
    assert "Le nombre d’heures doit être supérieur à zéro." in page
    page = client.post(
        url, {"row": row.pk, "date": "2026-03-02", "hours": "30", "description": "Atelier"}
    ).content.decode()
    assert "Une journée compte 24\u00a0heures" in page or "24 heures" in page
    page = client.post(
        url, {"row": row.pk, "date": "2025-12-31", "hours": "3", "description": "Atelier"}
    ).content.decode()
    assert "le temps hors de cette période ne compte pas" in page
    response = client.post(
        url, {"row": row.pk, "date": "2026-03-02", "hours": "3.5", "description": "Maquettes"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        created = TimesheetEntry.objects.get(agreement=agreement)
    assert created.status == "submitted" and created.entered_by == coordinator
    # The association validates it from its overview.
    client.force_login(admin_user)
    assert "Maquettes" in client.get(a_url("overview", association)).content.decode()
    client.post(
        a_url("decide", association, entry_id=created.pk),
        {"decision": "reject", "reason": ""},
    )
    created.refresh_from_db()
    assert created.status == "submitted"  # a rejection needs its reason
    client.post(a_url("decide", association, entry_id=created.pk), {"decision": "validate"})
    created.refresh_from_db()
    assert created.status == "validated"


def test_the_yearly_total_on_both_sides(
    client, admin_user, association, agreement, company, coordinator, camille
):
    entry(agreement, camille, date=D(2026, 2, 2), hours="7.5")
    client.force_login(admin_user)
    page = client.get(a_url("overview", association) + "?year=2026").content.decode()
    assert "750,00" in page and "Numérique Solidaire" in page
    # A year whose PASS is unknown: a clear notice, not an error.
    page = client.get(a_url("overview", association) + "?year=2023").content.decode()
    assert "(PASS) de 2023 ne figure pas encore" in page
    client.force_login(coordinator)
    page = client.get(c_url("overview", company) + "?year=2026").content.decode()
    assert "750,00" in page and "Les Amis du Quartier" in page


def test_the_employee_enters_time_through_their_link(client, association, agreement, camille):
    row = selectors.agreement_employee_get(agreement=agreement, employee_id=camille.pk)
    token = selectors.employee_link_token(row)
    url = reverse("sponsorship_link:time", kwargs={"token": token})
    assert "Camille Durand" in client.get(url).content.decode()
    response = client.post(url, {"date": "2026-04-01", "hours": "2", "description": "Formation"})
    assert response.status_code == 302
    with scopes_disabled():
        created = TimesheetEntry.objects.get(agreement=agreement)
    assert created.entered_through_link and created.entered_by is None
    # A forged or renewed link answers 404.
    assert client.get(url.replace(token, token[:-2] + "xx")).status_code == 404
    with scopes_disabled():
        row.link_key = "renouvele"
        row.save()
    assert client.get(url).status_code == 404


# --- isolation -----------------------------------------------------------------------------------


def test_a_third_association_gets_404(client, other_association, other_admin, agreement):
    with scopes_disabled():
        entry_id = TimesheetEntry.objects.create(
            association=agreement.association,
            agreement=agreement,
            agreement_employee=agreement.employees.get(),
            date=D(2026, 5, 5),
            hours=Decimal(2),
            description="…",
        ).pk
    client.force_login(other_admin)
    for name, kwargs in [
        ("detail", {"agreement_id": agreement.pk}),
        ("pdf", {"agreement_id": agreement.pk}),
        ("edit", {"agreement_id": agreement.pk}),
        ("create", {"engagement_id": agreement.engagement_id}),
    ]:
        assert client.get(a_url(name, other_association, **kwargs)).status_code == 404, name
    response = client.post(
        a_url("decide", other_association, entry_id=entry_id), {"decision": "validate"}
    )
    assert response.status_code == 404
    response = client.post(a_url("sign", other_association, agreement_id=agreement.pk))
    assert response.status_code == 404


def test_a_company_outside_the_engagement_gets_404(client, agreement, outsider_company, camille):
    stranger = outsider_company.coordinators.get().user
    client.force_login(stranger)
    for name in ("detail", "pdf", "edit"):
        url = c_url(name, outsider_company, agreement_id=agreement.pk)
        assert client.get(url).status_code == 404, name
    url = c_url("create", outsider_company, engagement_id=agreement.engagement_id)
    assert client.get(url).status_code == 404
    for name in ("sign", "entry_add", "employee"):
        url = c_url(name, outsider_company, agreement_id=agreement.pk)
        assert client.post(url, {"employee": camille.pk}).status_code == 404, name
    # Its own space is out of reach of the company of the agreement, and the reverse.
    assert client.get(c_url("overview", agreement.company)).status_code == 404
    assert (
        "Les Amis du Quartier"
        not in client.get(c_url("overview", outsider_company)).content.decode()
    )


def test_company_pages_answer_404_to_an_association_admin(admin_client, agreement, company):
    assert admin_client.get(c_url("detail", company, agreement_id=agreement.pk)).status_code == 404


def test_the_engagement_pages_lead_to_the_agreement(
    client, association, admin_user, company, coordinator, camille
):
    """Once the company's offer is accepted, both sides' engagement pages link to
    drafting the agreement, then to the agreement itself."""
    engagement = accepted_engagement(association, company)
    a_page = reverse("engagements:detail", args=[association.slug, engagement.pk])
    c_page = reverse("company_help:engagement", args=[company.slug, engagement.pk])
    a_draft = a_url("create", association, engagement_id=engagement.pk)
    c_draft = c_url("create", company, engagement_id=engagement.pk)
    client.force_login(admin_user)
    assert a_draft in client.get(a_page).content.decode()
    client.force_login(coordinator)
    assert c_draft in client.get(c_page).content.decode()

    agreement = agreement_for(association, company, rows=[(camille, "52.40", "40")])
    pk = agreement.engagement_id
    html = client.get(reverse("company_help:engagement", args=[company.slug, pk])).content
    assert c_url("detail", company, agreement_id=agreement.pk) in html.decode()
    assert c_url("create", company, engagement_id=pk) not in html.decode()
    client.force_login(admin_user)
    html = client.get(reverse("engagements:detail", args=[association.slug, pk])).content
    assert a_url("detail", association, agreement_id=agreement.pk) in html.decode()
    assert a_url("create", association, engagement_id=pk) not in html.decode()
