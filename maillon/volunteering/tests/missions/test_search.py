"""Public mission search (/missions/), detail, Atom feed, embedded list and the
association's page. Full-text tests run on the database of the run: PostgreSQL
(DATABASE_URL) or the SQLite fallback."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Module
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.taxonomy.models import Cause, Skill
from maillon.volunteering.missions import services
from maillon.volunteering.missions.search import (
    PAGE_SIZE,
    MissionFilters,
    mission_search,
    public_mission_search_page,
    update_search_vectors,
)
from maillon.volunteering.models import Mission, MissionView, Source
from maillon.volunteering.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite fallback")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _english_messages(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def publish(association, admin_user):
    """Publish a mission of ``association`` (or of ``of=(association, actor)``) through
    the services, so that its search data is what production has."""

    def make(title="Accueil du public", of=None, status="published", **fields):
        owner, actor = of or (association, admin_user)
        data = {
            "description": "Accueillir les habitants.",
            "postal_code": "69003",
            "city": "Lyon",
            "skills": [],
        }
        data.update(fields)
        data["skills"] = list(Skill.objects.filter(code__in=data["skills"]))
        if isinstance(data.get("cause"), str):
            data["cause"] = Cause.objects.get(code=data["cause"])
        with scope(association=owner):
            mission = services.mission_create(
                association=owner, actor=actor, title=title, status="draft", **data
            )
            if status in ("published", "full", "closed"):
                mission = services.mission_publish(association=owner, actor=actor, mission=mission)
            if status == "full":
                services.mission_mark_full(association=owner, actor=actor, mission=mission)
            if status == "closed":
                services.mission_close(association=owner, actor=actor, mission=mission)
        return mission

    return make


def titles(**filters) -> list[str]:
    return [m.title for m in public_mission_search_page(MissionFilters(**filters)).missions]


def search(client, query: str = ""):
    response = client.get(reverse("missions:search") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return [m.title for m in response.context["page"].missions]


# --- what is public ---------------------------------------------------------------------------


def test_only_published_public_missions_of_associations_with_the_module(
    client, publish, association, other_association, other_admin
):
    publish("Visible")
    publish("Brouillon", status="draft")
    publish("Complète", status="full")
    publish("Fermée", status="closed")
    members_only = publish("Réservée aux adhérents", audience="members")
    other_association.enabled_modules = [Module.MEMBERS.value]
    other_association.save()
    off = publish("Module éteint", of=(other_association, other_admin))

    assert search(client) == ["Visible"]
    with scopes_disabled():
        hidden = Mission.objects.exclude(title__in=["Visible", "Complète", "Fermée"])
        ended = Mission.objects.filter(title__in=["Complète", "Fermée"])
    for mission in hidden:
        detail = reverse("missions:detail", kwargs={"mission_id": mission.pk})
        assert client.get(detail).status_code == 404, mission.title
    assert members_only.pk and off.pk
    with scopes_disabled():
        assert not MissionView.objects.exists()  # a 404 counts no view
    # A full or closed mission keeps its page (its link was shared), without the apply button.
    for mission in ended:
        response = client.get(reverse("missions:detail", kwargs={"mission_id": mission.pk}))
        assert response.status_code == 200, mission.title
        assert reverse("missions:apply", kwargs={"mission_id": mission.pk}) not in (
            response.content.decode()
        )


def test_the_search_needs_no_account_and_no_scope(client, publish):
    publish("Visible")
    # The page runs without a tenant scope: a forgotten scopes_disabled would raise.
    assert search(client, "q=visible") == ["Visible"]


# --- filters ----------------------------------------------------------------------------------


def test_filter_by_skill_any_of_the_chosen(publish):
    publish("Web", skills=["web"])
    publish("Jardin", skills=["gardening"])
    publish("Les deux", skills=["web", "gardening"])
    publish("Rien")
    assert titles(skills=["web"]) == ["Les deux", "Web"]
    assert titles(skills=["web", "gardening"]) == ["Les deux", "Jardin", "Web"]


def test_filter_by_cause(publish):
    publish("Environnement", cause="environment")
    publish("Aide alimentaire", cause="food-aid")
    assert titles(cause="environment") == ["Environnement"]


def test_filter_by_department_and_remote(publish):
    publish("Lyon", postal_code="69003")
    publish("Marseille", postal_code="13001")
    publish("À distance", postal_code="", city="", is_remote=True)
    publish("À Lyon ou à distance", postal_code="69002", is_remote=True)
    assert titles(department="69") == ["À Lyon ou à distance", "Lyon"]
    assert titles(remote=True) == ["À Lyon ou à distance", "À distance"]
    assert titles(department="13", remote=True) == [
        "À Lyon ou à distance",
        "À distance",
        "Marseille",
    ]


def test_filter_by_date(publish):
    day = datetime.date(2030, 6, 15)
    publish("Souple sans dates", schedule_kind="flexible")
    publish("Souple finie", schedule_kind="flexible", end_date=day - datetime.timedelta(days=1))
    publish("Régulière en cours", schedule_kind="recurring", start_date=datetime.date(2030, 1, 1))
    publish("Régulière future", schedule_kind="recurring", start_date=day + datetime.timedelta(1))
    publish("Ponctuelle ce jour", schedule_kind="one_off", start_date=day)
    publish("Ponctuelle la veille", schedule_kind="one_off", start_date=day - datetime.timedelta(1))
    publish(
        "Week-end de trois jours",
        schedule_kind="one_off",
        start_date=day - datetime.timedelta(1),
        end_date=day + datetime.timedelta(1),
    )
    assert sorted(titles(date=day)) == [
        "Ponctuelle ce jour",
        "Régulière en cours",
        "Souple sans dates",
        "Week-end de trois jours",
    ]


def test_filter_by_association(publish, other_association, other_admin):
    publish("Chez nous")
    publish("Chez eux", of=(other_association, other_admin))
    assert titles(association=other_association.slug) == ["Chez eux"]


def test_filters_through_the_query_string(client, publish, association):
    publish("Cible", skills=["web"], cause="education", postal_code="", is_remote=True)
    publish("Autre", skills=["gardening"], cause="environment")
    query = (
        f"q=cible&skill=web&skill=tutoring&cause=education&department=75&remote=1"
        f"&date=2030-01-01&association={association.slug}&sort=relevance"
    )
    assert search(client, query) == ["Cible"]
    assert search(client, "remote=0") == ["Autre", "Cible"]


@pytest.mark.parametrize(
    "query",
    [
        "date=tomorrow",
        "date=2030-13-45",
        "skill=not-a-skill",
        "department=999",
        "sort=random",
        "page=abc",
        "page=-3",
        "page=99999999999999999999",
        "association=../../etc",
        "q=" + "a" * 500,
    ],
)
def test_bad_filters_never_raise(client, publish, query):
    publish("Visible")
    response = client.get(reverse("missions:search") + "?" + query)
    assert response.status_code == 200


def test_newest_first_by_default(publish):
    old = publish("Ancienne")
    publish("Récente")
    with scopes_disabled():
        Mission.objects.filter(pk=old.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=3)
        )
    assert titles() == ["Récente", "Ancienne"]
    assert titles(sort="relevance") == ["Récente", "Ancienne"]  # without q: by date


def test_pages_of_twenty_without_counting(client, association):
    for n in range(PAGE_SIZE + 1):
        MissionFactory(association=association, title=f"Mission {n:02d}")
    response = client.get(reverse("missions:search"))
    assert len(response.context["page"].missions) == PAGE_SIZE
    assert b'rel="next"' in response.content
    response = client.get(reverse("missions:search") + "?page=2")
    assert len(response.context["page"].missions) == 1
    assert b'rel="prev"' in response.content and b'rel="next"' not in response.content


# --- full text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "l'aide",
        '"accueil',
        "accueil -",
        "a & b | !c",
        "(((",
        "accueil:*",
        "or or and",
        "-",
        "\\",
        "%_",
        "é" * 300,
        "le la les",
    ],
)
def test_bad_queries_never_raise(client, publish, q):
    publish("Accueil du public")
    response = client.get(reverse("missions:search"), {"q": q, "sort": "relevance"})
    assert response.status_code == 200
    response = client.get(reverse("missions:feed"), {"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["q=a%00b", "cause=%00", "department=%01", "q=%0B"])
def test_a_control_character_is_refused_naming_the_field(client, publish, query):
    """NUL and the other control characters are refused before the search runs
    (PostgreSQL would answer NUL with an error): a page that names the field."""
    publish("Accueil du public")
    field = query.split("=")[0]
    for name in ("missions:search", "missions:feed"):
        response = client.get(reverse(name) + "?" + query)
        assert response.status_code == 400
        assert f"<code>{field}</code>" in response.content.decode()


def test_accents_and_case_are_folded(publish):
    publish("Bénévolat à l'ÉPICERIE solidaire")
    publish("Autre chose")
    assert titles(q="benevolat epicerie") == ["Bénévolat à l'ÉPICERIE solidaire"]
    assert titles(q="BÉNÉVOLAT") == ["Bénévolat à l'ÉPICERIE solidaire"]


def test_every_word_must_match(publish):
    publish("Jardin partagé", description="Arroser les tomates.")
    publish("Jardin d'enfants", description="Garder les petits.")
    assert titles(q="jardin tomates") == ["Jardin partagé"]


def test_skills_cause_and_city_are_searched(publish):
    publish("Mission A", skills=["graphic-design"])
    publish("Mission B", cause="animals")
    publish("Mission C", city="Villeurbanne")
    assert titles(q="graphisme") == ["Mission A"]
    assert titles(q="graphic design") == ["Mission A"]  # the English label too
    assert titles(q="animale") == ["Mission B"]
    assert titles(q="villeurbanne") == ["Mission C"]


@on_postgresql
def test_postgresql_stems_and_ranks_title_matches_first(publish):
    in_description = publish(
        "Accueil du public", description="Tenir la caisse et parler de bénévolat."
    )
    in_title = publish("Bénévolat au jardin", description="Arroser les plantes.")
    with scopes_disabled():  # the description match is the newest
        Mission.objects.filter(pk=in_title.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=5)
        )
    assert titles(q="benevolat", sort="relevance") == ["Bénévolat au jardin", "Accueil du public"]
    assert titles(q="benevolat", sort="date") == ["Accueil du public", "Bénévolat au jardin"]
    # French stemming: plural and feminine forms meet.
    assert titles(q="jardins") == ["Bénévolat au jardin"]
    # websearch syntax: exclusion and quoted phrases.
    assert titles(q="bénévolat -jardin") == ["Accueil du public"]
    assert titles(q='"parler de bénévolat"') == ["Accueil du public"]
    assert in_description.pk


@on_postgresql
def test_update_search_vectors_after_a_bulk_load(association):
    skill = Skill.objects.get(code="web")
    with scopes_disabled():
        missions = [
            MissionFactory(association=association, title=f"Chantier numérique {n}")
            for n in range(3)
        ]
        missions[0].skills.add(skill)
        Mission.objects.update(search_vector=None)  # as after a COPY
    assert titles(q="chantier") == []
    assert update_search_vectors() == 3
    assert len(titles(q="chantier numerique")) == 3
    assert titles(q="site web") == ["Chantier numérique 0"]
    assert update_search_vectors([missions[1].pk]) == 1


@on_sqlite
def test_sqlite_fallback_matches_substrings_sorted_by_date(publish):
    old = publish("Bénévolat au jardin")
    publish("Accueil", description="Parler de bénévolat.")
    with scopes_disabled():
        Mission.objects.filter(pk=old.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=5)
        )
    # No ranking on SQLite: newest first even when sorted by relevance.
    assert titles(q="benevolat", sort="relevance") == ["Accueil", "Bénévolat au jardin"]
    assert titles(q="bénév") == ["Accueil", "Bénévolat au jardin"]
    assert update_search_vectors() == 0


# --- query counts -----------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _more_missions(publish, association, other_association, other_admin, n, start):
    for i in range(start, start + n):
        publish(
            f"Mission {i}",
            of=None if i % 2 else (other_association, other_admin),
            skills=["web", "gardening", "tutoring"][: 1 + i % 3],
            cause="education",
            is_remote=bool(i % 3 == 0),
        )


@pytest.mark.parametrize(
    "path",
    [
        "/missions/",
        "/missions/?q=mission&sort=relevance",
        "/missions/?skill=web&department=69&remote=1&date=2030-01-01",
        "/missions/feed.atom",
    ],
)
def test_search_and_feed_run_the_same_queries_for_n_and_2n_missions(
    client, publish, association, other_association, other_admin, path
):
    _more_missions(publish, association, other_association, other_admin, 6, 0)
    first = _queries(client, path)
    _more_missions(publish, association, other_association, other_admin, 6, 6)
    assert _queries(client, path) == first


def test_embed_and_association_page_run_the_same_queries_for_n_and_2n(
    client, publish, association, other_association, other_admin
):
    embed = reverse("missions:embed", kwargs={"slug": association.slug})
    page = reverse("associations:public", kwargs={"slug": association.slug})
    _more_missions(publish, association, other_association, other_admin, 6, 0)
    first = (_queries(client, embed), _queries(client, page))
    _more_missions(publish, association, other_association, other_admin, 6, 6)
    assert (_queries(client, embed), _queries(client, page)) == first


# --- detail, sources, feed, embed, association page -----------------------------------------------


def test_detail_counts_the_view_by_source_and_carries_it_to_apply(client, publish, association):
    mission = publish(
        "Distribution de colis",
        description="Préparer les colis.\nLes distribuer.",
        skills=["logistics"],
        cause="food-aid",
        minimum_age=16,
    )
    detail = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    response = client.get(detail + "?from=search")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Les distribuer." in content
    assert reverse("associations:public", kwargs={"slug": association.slug}) in content
    try:
        apply_url = reverse("missions:apply", args=[mission.pk])
    except NoReverseMatch:
        apply_url = None
    if apply_url:
        assert f"{apply_url}?from=search" in content
    client.get(detail + "?from=alert")
    client.get(detail + "?from=<script>")
    client.get(detail)
    client.head(detail)  # no view for HEAD
    with scopes_disabled():
        counts = dict(MissionView.objects.values_list("source", "count"))
    assert counts == {Source.SEARCH: 1, Source.ALERT: 1, Source.OTHER: 2}


def test_results_link_with_from_search(client, publish):
    mission = publish("Visible")
    response = client.get(reverse("missions:search"))
    detail = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    assert f"{detail}?from=search".encode() in response.content
    feed = reverse("missions:feed")
    assert b'rel="alternate" type="application/atom+xml"' in response.content
    assert feed.encode() in response.content


def test_the_feed_is_valid_atom_of_the_search(client, publish):
    publish("Jardinage collectif", skills=["gardening"])
    publish("Cours de français", cause="education")
    publish("Brouillon caché", status="draft")

    response = client.get(reverse("missions:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Cours de français",
        "Jardinage collectif",
    ]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/missions/")

    response = client.get(reverse("missions:feed") + "?q=jardinage&skill=gardening")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == [
        "Jardinage collectif"
    ]
    assert "q=jardinage" in root.find(f"{ATOM}link[@rel='alternate']").get("href")


def test_embed_lists_the_associations_missions_for_an_iframe(
    client, publish, association, other_association, other_admin
):
    mission = publish("Chez nous")
    publish("Réservée", audience="members")
    publish("Chez eux", of=(other_association, other_admin))
    response = client.get(reverse("missions:embed", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    content = response.content.decode()
    detail = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    assert f'href="{detail}?from=website" target="_blank" rel="noopener"' in content
    assert "Chez eux" not in content and "Réservée" not in content
    assert "<nav" not in content  # standalone, not the site layout

    assert client.get(reverse("missions:embed", kwargs={"slug": "nope"})).status_code == 404
    association.enabled_modules = [Module.MEMBERS.value]
    association.save()
    assert (
        client.get(reverse("missions:embed", kwargs={"slug": association.slug})).status_code == 404
    )


def test_the_association_page_lists_its_open_missions(client, publish, association):
    mission = publish("Mission ouverte")
    publish("Mission complète", status="full")
    response = client.get(reverse("associations:public", kwargs={"slug": association.slug}))
    content = response.content.decode()
    detail = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    assert f"{detail}?from=association_page" in content
    assert "Mission complète" not in content


def test_the_association_page_without_the_module_lists_nothing(client, association):
    MissionFactory(association=association, title="Mission fantôme")
    association.enabled_modules = [Module.MEMBERS.value]
    association.save()
    response = client.get(reverse("associations:public", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    assert b"Mission fant" not in response.content


def test_the_main_navigation_links_to_the_search(client):
    response = client.get(reverse("associations:directory"))
    assert f'href="{reverse("missions:search")}"'.encode() in response.content


def test_another_association_with_the_module_shows_in_the_search(client, publish):
    outsider = AssociationFactory(slug="troisieme")
    actor = member_with_account(outsider, [Role.ADMIN])
    publish("Ailleurs", of=(outsider, actor))
    with scopes_disabled():
        assert [m.title for m in mission_search(MissionFilters())] == ["Ailleurs"]
