"""Matching of help requests with helpers: the three kinds, their reasons and ranking,
only the audiences asked, privacy, and the helpers' side (company space, volunteer
page). Pages in French (the default language)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.help.matching.selectors import (
    helpers_for_request,
    requests_for_company,
    requests_for_volunteer,
)
from maillon.network.help.selectors import help_request_get
from maillon.network.help.services import help_request_close
from maillon.network.models import EngagementKind
from maillon.network.tests.factories import NetworkFactory, network_staff
from maillon.volunteering.profiles.selectors import profile_of

from .helpers import (
    company,
    employee,
    help_request,
    located,
    network_with_staff,
    skills,
    volunteer,
)

pytestmark = pytest.mark.django_db
ALL = ("volunteers", "companies", "networks")


def _suggested(association, request_):
    with scopes_disabled():
        fresh = help_request_get(association=association, help_request_id=request_.pk)
    return helpers_for_request(association=association, help_request=fresh)


def _detail(request_) -> str:
    return reverse(
        "help_requests:detail",
        kwargs={"association_slug": request_.association.slug, "help_request_id": request_.pk},
    )


def test_three_kinds_of_helpers_ranked_with_their_reasons(admin_client, association):
    four = skills(4)
    asked = help_request(association, wanted=four, audiences=ALL)
    volunteer(has=four[:3], full_name="Camille Martin")
    lender = company()
    employee(lender, has=four, name="Dominique Bernard", job_title="Développeuse")
    network_with_staff(association, full_name="Alix Moreau")

    found = _suggested(association, asked).helpers
    assert [h.kind for h in found] == [
        EngagementKind.COMPANY,
        EngagementKind.VOLUNTEER,
        EngagementKind.NETWORK,
    ]
    assert found[0].score > found[1].score > found[2].score

    page = admin_client.get(_detail(asked)).content.decode()
    assert "Aidants suggérés" in page
    assert page.index("Dominique B.") < page.index("Camille M.") < page.index("Alix M.")
    for reason in (
        "4 sur 4 compétences recherchées",
        "3 sur 4 compétences recherchées",
        "Aide à distance possible",
        "Disponible avant l’échéance",
        "Dans l’équipe de votre réseau Fédération du Rhône",
        "Développeuse · Numérique Solidaire",
    ):
        assert reason in page, reason


def test_only_the_audiences_asked_are_suggested(association):
    two = skills(2)
    volunteer(has=two)
    employee(company(), has=two)
    network_with_staff(association)
    only_companies = help_request(association, wanted=two, audiences=["companies"])
    assert {h.kind for h in _suggested(association, only_companies).helpers} == {"company"}
    only_network = help_request(association, wanted=two, audiences=["networks"])
    assert {h.kind for h in _suggested(association, only_network).helpers} == {"network"}
    only_volunteers = help_request(association, wanted=two, audiences=["volunteers"])
    assert {h.kind for h in _suggested(association, only_volunteers).helpers} == {"volunteer"}


def test_a_helper_without_any_wanted_skill_is_not_suggested(association):
    four = skills(4)
    volunteer(has=[skills(6)[5]])
    employee(company(), has=[skills(6)[5]])
    asked = help_request(association, wanted=four[:2], audiences=ALL[:2])
    assert _suggested(association, asked).helpers == []
    no_skill = help_request(association, audiences=ALL[:2])
    found = _suggested(association, no_skill).helpers
    assert len(found) == 2


def test_only_opted_in_volunteers_show_and_only_what_they_agreed_to(admin_client, association):
    two = skills(2)
    asked = help_request(association, wanted=two, audiences=["volunteers"])
    volunteer(has=two, full_name="Sacha Invisible", visible=False)
    inactive = volunteer(has=two, full_name="Noa Parti")
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    shown = volunteer(
        has=two,
        full_name="Camille Martin",
        email="camille.martin@example.org",
        about="Développeuse web bénévole depuis dix ans.",
    )

    found = _suggested(association, asked).helpers
    assert [h.helper_id for h in found] == [shown.pk]
    page = admin_client.get(_detail(asked)).content.decode()
    assert "Camille M." in page and "Développeuse web bénévole" in page
    assert "Rhône (69)" in page
    for private in ("Martin", "camille.martin@example.org", "69003", "1990", "Sacha", "Noa"):
        assert private not in page, private


def test_lent_employees_active_and_available_before_the_deadline(association):
    two = skills(2)
    asked = help_request(association, wanted=two, audiences=["companies"], days=30)
    lender = company()
    today = timezone.localdate()
    employee(lender, has=two, name="Ancien Salarié", is_active=False)
    employee(lender, has=two, name="Parti Hier", available_until=today - datetime.timedelta(1))
    soon = employee(
        lender, has=two, name="Bientôt Indisponible", available_until=today + datetime.timedelta(9)
    )
    whole = employee(lender, has=two, name="Toujours Là")

    found = _suggested(association, asked).helpers
    assert [h.helper_id for h in found] == [whole.pk, soon.pk]
    assert "Disponible avant l’échéance" in found[0].reasons
    assert any(r.startswith("Disponible jusqu’au ") for r in found[1].reasons)


def test_on_site_help_is_suggested_near_the_association_only(association):
    located(association, "69")
    two = skills(2)
    asked = help_request(association, wanted=two, audiences=ALL[:2], format="on_site")
    near = volunteer(has=two, dept="69", full_name="Près D’ici")
    volunteer(has=two, dept="13", full_name="Très Loin")  # another region
    employee(company("Loin SA", dept="75"), has=two)
    found = _suggested(association, asked).helpers
    assert [h.helper_id for h in found] == [near.pk]
    assert "Dans votre département" in found[0].reasons


def test_network_staff_of_the_associations_networks_only(association, other_association):
    located(association, "69")
    asked = help_request(association, audiences=["networks"])
    _mine, head = network_with_staff(association, full_name="Alix Moreau")
    network_with_staff(other_association, name="Réseau d’à côté", full_name="Lou Autre")
    network_staff(NetworkFactory(name="Sans nous"), full_name="Eden Personne")
    found = _suggested(association, asked).helpers
    assert [h.name for h in found] == ["Alix M."]
    assert found[0].network_slug == _mine.slug
    assert "Dans votre département" in found[0].reasons


def test_a_closed_request_suggests_nobody(association, admin_user):
    two = skills(2)
    asked = help_request(association, wanted=two, audiences=ALL)
    volunteer(has=two)
    help_request_close(association=association, actor=admin_user, help_request=asked)
    assert _suggested(association, asked).helpers == []


def test_members_without_the_management_permission_see_no_helpers(client, association):
    two = skills(2)
    asked = help_request(association, wanted=two)
    volunteer(has=two, full_name="Camille Martin")
    client.force_login(member_with_account(association, [Role.MEMBER, Role.BOARD]))
    response = client.get(_detail(asked))
    if response.status_code == 200:
        assert "Camille M." not in response.content.decode()


def _detail_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_helpers(association, wanted, n, start):
    for i in range(start, start + n):
        volunteer(has=wanted, full_name=f"Bénévole N{i}")
        employee(company(f"Entreprise {i}", dept="69"), has=wanted, name=f"Salarié N{i}")
        network_with_staff(association, name=f"Réseau {i}", full_name=f"Équipe N{i}")


def test_the_suggested_helpers_cost_the_same_queries_with_n_and_2n_helpers(
    admin_client, association
):
    four = skills(4)
    asked = help_request(association, wanted=four, audiences=ALL)
    _add_helpers(association, four, 2, 0)
    url = _detail(asked)
    admin_client.get(url)
    first = _detail_queries(admin_client, url)
    _add_helpers(association, four, 2, 2)
    second = _detail_queries(admin_client, url)
    assert second == first
    assert "Bénévole N3"[:10] in admin_client.get(url).content.decode()


# --- the helpers' side ---------------------------------------------------------------------


def test_the_company_space_lists_for_each_employee_the_requests_that_suit_them(client, association):
    four = skills(4)
    coordinator = UserFactory()
    lender = company(coordinator=coordinator)
    employee(lender, has=four[:2], name="Camille Durand")
    employee(lender, has=four[2:], name="Dominique Bernard")
    first = help_request(association, wanted=four[:2], audiences=["companies"], title="Site web")
    help_request(association, wanted=four[2:], audiences=["companies"], title="Comptabilité")
    help_request(association, wanted=four, audiences=["volunteers"], title="Pour bénévoles")

    rows = requests_for_company(company=lender)
    assert [(r.employee.full_name, [s.help_request.title for s in r.requests]) for r in rows] == [
        ("Camille Durand", ["Site web"]),
        ("Dominique Bernard", ["Comptabilité"]),
    ]
    assert rows[0].requests[0].help_request.pk == first.pk

    client.force_login(coordinator)
    page = client.get(reverse("companies:space", kwargs={"company_slug": lender.slug}))
    text = page.content.decode()
    assert "Pour bénévoles" not in text
    assert "2 sur 2 compétences recherchées" in text
    assert "Disponible avant l’échéance" in text


def test_a_skills_volunteer_sees_the_requests_that_match_on_their_page(client, association):
    two = skills(2)
    profile = volunteer(has=two, full_name="Camille Martin")
    help_request(association, wanted=two, audiences=["volunteers"], title="Refaire le site")
    help_request(association, wanted=two, audiences=["companies"], title="Pour entreprises")
    help_request(association, wanted=[skills(6)[5]], audiences=["volunteers"], title="Autre")

    assert [
        s.help_request.title for s in requests_for_volunteer(profile=profile_of(profile.user))
    ] == ["Refaire le site"]
    client.force_login(profile.user)
    page = client.get(reverse("help_for_volunteer:list")).content.decode()
    assert "Refaire le site" in page
    assert "Pour entreprises" not in page and ">Autre<" not in page
    assert "2 sur 2 compétences recherchées" in page
    suggestions = client.get(reverse("volunteer:suggestions")).content.decode()
    assert reverse("help_for_volunteer:list") in suggestions


def test_the_volunteer_page_asks_for_a_profile_first(client):
    client.force_login(UserFactory())
    page = client.get(reverse("help_for_volunteer:list")).content.decode()
    assert reverse("volunteer:profile") in page


def test_the_helpers_side_pages_cost_the_same_queries_with_n_and_2n_requests(
    client, association, other_association
):
    two = skills(2)
    coordinator = UserFactory()
    lender = company(coordinator=coordinator)
    employee(lender, has=two, name="Camille Durand")
    employee(lender, has=two[:1], name="Dominique Bernard")
    profile = volunteer(has=two)
    space = reverse("companies:space", kwargs={"company_slug": lender.slug})
    mine = reverse("help_for_volunteer:list")

    def add(start):
        for i in range(start, start + 3):
            for asker in (association, other_association):
                help_request(asker, wanted=two, audiences=ALL, title=f"Demande {i}")

    def counts():
        client.force_login(coordinator)
        company_queries = _detail_queries(client, space)
        client.force_login(profile.user)
        return company_queries, _detail_queries(client, mine)

    add(0)
    counts()
    first = counts()
    add(3)
    assert counts() == first
    client.force_login(profile.user)
    assert client.get(mine).content.decode().count("Demande ") == 12
