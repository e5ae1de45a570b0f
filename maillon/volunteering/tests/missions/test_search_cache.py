"""The public search page's content is kept a minute for visitors without an account;
any change to a mission shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.volunteering.missions.search import update_search_vectors
from maillon.volunteering.models import Mission, MissionStatus
from maillon.volunteering.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("missions:search")


def search(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{SEARCH}{query}")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_repeated_search_is_served_from_the_cache(client, association):
    MissionFactory(association=association, title="Maraude du jeudi soir")
    update_search_vectors()  # the factory skips the services (PostgreSQL full text)
    first, queries_first = search(client, "?q=maraude")
    again, queries_again = search(client, "?q=maraude")
    assert "Maraude du jeudi soir" in first and "Maraude du jeudi soir" in again
    assert queries_again < queries_first
    # The header is still the visitor's own: a fresh CSRF token in each page.
    assert 'name="csrfmiddlewaretoken"' in again


def test_a_published_or_closed_mission_shows_at_once(client, association):
    MissionFactory(association=association, title="Collecte de printemps")
    assert "Collecte de printemps" in search(client)[0]
    late = MissionFactory(association=association, title="Atelier vélo")
    assert "Atelier vélo" in search(client)[0]
    with scopes_disabled():
        late.status = MissionStatus.CLOSED
        late.save()
    assert "Atelier vélo" not in search(client)[0]
    with scopes_disabled():
        Mission.objects.filter(pk=late.pk).delete()
    assert "Collecte de printemps" in search(client)[0]


def test_the_module_switched_off_shows_at_once(client, association):
    MissionFactory(association=association, title="Jardin partagé")
    assert "Jardin partagé" in search(client)[0]
    association.enabled_modules = ["members"]
    association.save()
    assert "Jardin partagé" not in search(client)[0]


def test_each_language_and_page_has_its_own_entry(client, association):
    MissionFactory(association=association, title="Soutien scolaire")
    french, _ = search(client)
    client.post(reverse("me:language"), {"language": "en", "next": SEARCH})
    english, _ = search(client)
    assert "Trouver une mission" in french
    assert "Find a volunteer mission" in english


def test_signed_in_visitors_are_not_served_from_the_cache(client, association):
    MissionFactory(association=association, title="Accueil des familles")
    update_search_vectors()
    client.force_login(member_with_account(association, [Role.MEMBER]))
    _, first = search(client, "?q=accueil")
    _, again = search(client, "?q=accueil")
    assert again == first
