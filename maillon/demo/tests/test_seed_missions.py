"""manage.py seed_missions: the benchmark's missions (bulk_create on SQLite, COPY on
PostgreSQL; same data either way)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django_scopes import scopes_disabled

from maillon.associations.models import Association, Module
from maillon.associations.tests.factories import AssociationFactory
from maillon.volunteering.missions.search import MissionFilters, public_mission_search_page
from maillon.volunteering.models import Audience, Mission, MissionStatus
from maillon.volunteering.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_associations():
    return [
        AssociationFactory(slug=f"bench-t{n}", enabled_modules=[Module.MEMBERS.value])
        for n in range(3)
    ]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_missions", "--missions", "200", *args, stdout=out)
    return out.getvalue()


def bench_missions():
    return Mission.objects.filter(association__slug__startswith="bench-")


def test_seeds_missions_over_the_bench_associations(bench_associations):
    other = MissionFactory(title="Mission d'une autre association")

    output = seed()

    assert "200 missions" in output
    with scopes_disabled():
        missions = bench_missions()
        assert missions.count() == 200
        assert set(missions.values_list("association__slug", flat=True)) <= {
            a.slug for a in bench_associations
        }
        # The module is switched on for them, the other association is untouched.
        for association in Association.objects.filter(slug__startswith="bench-"):
            assert association.has_module(Module.VOLUNTEERING)
            assert association.has_module(Module.MEMBERS)
        assert Mission.objects.filter(pk=other.pk).exists()

        skills_per_mission = set(missions.annotate(n=Count("skills")).values_list("n", flat=True))
        assert skills_per_mission <= {1, 2, 3, 4}
        public = missions.filter(status=MissionStatus.PUBLISHED, audience=Audience.PUBLIC)
        assert 140 <= public.count() <= 195  # ~85 %
        assert 10 <= missions.filter(is_remote=True).count() <= 60  # ~15 %
        assert not missions.filter(cause__isnull=True).exists()
        assert not missions.filter(department__isnull=True).exists()
        assert missions.exclude(status=MissionStatus.DRAFT).filter(published_at=None).count() == 0

        # search_text is what the services derive: folded, skills and cause included.
        mission = missions.filter(title__icontains="aide aux devoirs").first() or missions.first()
        assert mission.search_text == mission.search_text.casefold()
        assert "é" not in mission.search_text
        for skill in mission.skills.all():
            assert skill.label_en.casefold() in mission.search_text


def test_the_public_search_finds_seeded_missions(bench_associations):
    seed()

    with scopes_disabled():
        found = Mission.objects.filter(search_text__contains="maraude").count()
    assert found > 0  # the vocabulary is varied: no word is in every mission...
    assert found < 200 * 0.5
    page = public_mission_search_page(MissionFilters(q="maraude"))
    assert page.missions
    assert all("maraude" in m.search_text for m in page.missions)


def test_second_run_refuses_skips_or_resets(bench_associations):
    seed()
    with scopes_disabled():
        first_ids = set(bench_missions().values_list("pk", flat=True))

    with pytest.raises(CommandError, match="already have 200 missions"):
        seed()
    assert "nothing to do" in seed("--skip-existing")

    seed("--reset", "--seed", "7")
    with scopes_disabled():
        assert bench_missions().count() == 200
        assert not first_ids & set(bench_missions().values_list("pk", flat=True))


def test_refuses_without_bench_associations():
    with pytest.raises(CommandError, match="seed_scale"):
        seed()
