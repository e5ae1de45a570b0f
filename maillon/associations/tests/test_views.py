"""Association pages through HTTP: the public directory and page, creating a space,
the back-office dashboard and the settings, statutes and modules forms."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.models import Association, MajorityRule, Statutes
from maillon.associations.tests.factories import AssociationFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.taxonomy.models import Department, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    """The administrator reads the back-office in English (the strings asserted below)."""
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])


def backoffice_url(association, name):
    return reverse(f"backoffice:{name}", kwargs={"association_slug": association.slug})


def listed_names(response) -> list[str]:
    return re.findall(
        r'<h2><a href="/associations/[^"]+/">([^<]+)</a></h2>', response.content.decode()
    )


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


# --- public side ----------------------------------------------------------------------------


@pytest.fixture
def directory(db):
    sport, culture = Sector.objects.get(code="sport"), Sector.objects.get(code="culture")
    rhone, paris = Department.objects.get(code="69"), Department.objects.get(code="75")
    AssociationFactory(name="Lyon Basket Club", sector=sport, department=rhone)
    AssociationFactory(name="Théâtre de la Croix-Rousse", sector=culture, department=rhone)
    AssociationFactory(name="Paris Foot Solidaire", sector=sport, department=paris)
    AssociationFactory(name="Caché", sector=sport, department=rhone, is_listed=False)


def test_the_directory_lists_only_listed_associations(directory):
    response = Client().get(reverse("associations:directory"))
    assert response.status_code == 200
    names = listed_names(response)
    assert {"Lyon Basket Club", "Théâtre de la Croix-Rousse", "Paris Foot Solidaire"} <= set(names)
    assert "Caché" not in names


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "basket"}, ["Lyon Basket Club"]),
        ({"sector": "sport"}, ["Lyon Basket Club", "Paris Foot Solidaire"]),
        ({"department": "69"}, ["Lyon Basket Club", "Théâtre de la Croix-Rousse"]),
        ({"sector": "sport", "department": "75"}, ["Paris Foot Solidaire"]),
        ({"q": "foot", "department": "69"}, []),
    ],
)
def test_the_directory_searches_by_name_sector_and_department(directory, params, expected):
    assert listed_names(Client().get(reverse("associations:directory"), params)) == expected


def test_the_directory_pages_by_24(db):
    AssociationFactory.create_batch(29)  # 30 with the fixture's association
    client = Client()
    first = listed_names(client.get(reverse("associations:directory")))
    second = listed_names(client.get(reverse("associations:directory"), {"page": 2}))
    assert (len(first), len(second)) == (24, 6)
    assert set(first).isdisjoint(second)


def test_the_home_page_shows_recent_listed_associations(directory):
    content = Client().get("/").content.decode()
    assert "Paris Foot Solidaire" in content
    assert "Caché" not in content


def test_the_public_page_shows_the_association_and_its_region(association, admin_user):
    association.department = Department.objects.get(code="69")
    association.contact_email = "contact@amis.example"
    association.save()
    response = Client().get(reverse("associations:public", args=[association.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Les Amis du Quartier" in content
    assert "Auvergne-Rhône-Alpes" in content
    assert "contact@amis.example" in content
    assert reverse("associations:join", args=[association.slug]) in content
    assert admin_user.email not in content  # the register is never public


def test_an_unlisted_association_has_no_public_page(association):
    association.is_listed = False
    association.save()
    client = Client()
    assert client.get(reverse("associations:public", args=[association.slug])).status_code == 404
    assert client.get(reverse("associations:join", args=[association.slug])).status_code == 404


def test_an_association_not_taking_requests_shows_no_join_button(association):
    association.accepts_join_requests = False
    association.save()
    response = Client().get(reverse("associations:public", args=[association.slug]))
    assert reverse("associations:join", args=[association.slug]) not in response.content.decode()


# --- creating a space -------------------------------------------------------------------------


def test_creating_an_association_needs_an_account(db):
    response = Client().get(reverse("associations:create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_creating_an_association_through_the_form(client, db):
    user = UserFactory(language="en")
    client.force_login(user)
    assert client.get(reverse("associations:create")).status_code == 200

    response = client.post(
        reverse("associations:create"),
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "name": "Vélo Solidaire",
            "purpose": "Réparer des vélos ensemble.",
            "sector": Sector.objects.get(code="sport").pk,
            "size_band": "none",
            "postal_code": "69 001",
            "city": "Lyon",
            "rna": "W691234567",
            "siren": "",
        },
    )

    association = Association.objects.get(name="Vélo Solidaire")
    assert response["Location"] == backoffice_url(association, "dashboard")
    assert association.department.code == "69"
    assert association.postal_code == "69001"
    assert association.sector.code == "sport"
    assert my_roles(association=association, user=user) == {Role.ADMIN, Role.MEMBER}
    with scope(association=association):
        founder = Person.objects.get(user=user)
    assert (founder.first_name, founder.last_name) == ("Camille", "Martin")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "The space of Vélo Solidaire is ready." in dashboard.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postal_code", "ABCDE"),
        ("rna", "W12"),
        ("siren", "732829321"),
        ("name", ""),
        ("first_name", ""),
    ],
)
def test_an_invalid_creation_form_shows_the_error_summary(client, db, field, value):
    client.force_login(UserFactory(language="en"))
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "name": "Vélo Solidaire",
        "size_band": "none",
        field: value,
    }
    response = client.post(reverse("associations:create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in content
    assert f'href="#id_{field}"' in content
    assert Association.objects.count() == 1  # the fixture's administrator's association


# --- back-office ------------------------------------------------------------------------------


def test_the_dashboard_counts_members_and_pending_requests(admin_client, association):
    PersonFactory.create_batch(2, association=association)
    MembershipPeriodFactory(person=PersonFactory(association=association))
    content = admin_client.get(backoffice_url(association, "dashboard")).content.decode()
    assert "<strong>4</strong> current members" in content
    assert "<strong>1</strong> up to date with their fee" in content


def profile_data(association, **changes):
    data = {
        "name": association.name,
        "purpose": association.purpose,
        "size_band": association.size_band,
        "postal_code": association.postal_code,
        "city": association.city,
        "time_zone": association.time_zone,
        "is_listed": "on",
        "accepts_join_requests": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_settings_form_saves_the_profile_and_logs_the_change(admin_client, association):
    assert admin_client.get(backoffice_url(association, "settings")).status_code == 200

    response = admin_client.post(
        backoffice_url(association, "settings"),
        profile_data(
            association, name="Les Amis du Quartier Nord", postal_code="13001", is_listed=None
        ),
    )

    assert response["Location"] == backoffice_url(association, "settings")
    association.refresh_from_db()
    assert association.name == "Les Amis du Quartier Nord"
    assert association.department.code == "13"
    assert not association.is_listed
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="association.updated")
    assert entry.data["changes"]["name"] == ["Les Amis du Quartier", "Les Amis du Quartier Nord"]


def test_the_settings_form_shows_errors_and_keeps_the_stored_profile(admin_client, association):
    response = admin_client.post(
        backoffice_url(association, "settings"),
        profile_data(association, name="Autre nom", rna="W12", website="not a url"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in content
    assert 'href="#id_rna"' in content and 'href="#id_website"' in content
    association.refresh_from_db()
    assert association.name == "Les Amis du Quartier"
    assert audit_actions(association) == []
    # The page still names the association by its stored name, not the refused one.
    assert re.search(r'class="association-nav-title"><a [^>]+>Les Amis du Quartier<', content)


def statutes_data(**changes):
    data = {
        "ag_notice_days": 15,
        "quorum_fraction": "0.25",
        "second_convocation_without_quorum": "on",
        "ordinary_majority": "simple",
        "extraordinary_majority": "two_thirds",
        "max_proxies_per_holder": 2,
        "unnamed_proxy_to_president": "on",
        "proposal_support_threshold": 10,
        "voting_eligibility": "fee_up_to_date",
    }
    data.update(changes)
    return data


def test_the_statutes_form(admin_client, association):
    url = backoffice_url(association, "statutes")
    assert admin_client.get(url).status_code == 200

    refused = admin_client.post(url, statutes_data(ordinary_majority="custom"))
    assert refused.status_code == 200
    assert "Give the fraction for a custom majority." in refused.content.decode()

    saved = admin_client.post(
        url,
        statutes_data(
            ordinary_majority="custom", ordinary_majority_fraction="0.6", ag_notice_days=30
        ),
    )
    assert saved["Location"] == url
    with scope(association=association):
        statutes = Statutes.objects.get()
    assert statutes.ordinary_majority == MajorityRule.CUSTOM
    assert statutes.ordinary_majority_fraction == Decimal("0.600")
    assert statutes.ag_notice_days == 30
    assert audit_actions(association) == ["association.statutes_updated"]


def test_the_modules_form(admin_client, association):
    url = backoffice_url(association, "modules")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"modules": ["events", "volunteering"]})
    assert response["Location"] == url
    association.refresh_from_db()
    assert association.enabled_modules == ["members", "volunteering", "events"]
    assert association.has_module("events")
    refused = admin_client.post(url, {"modules": ["poker"]})
    assert refused.status_code == 200
    assert 'class="error-summary"' in refused.content.decode()
