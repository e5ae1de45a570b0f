"""manage.py seed_scale: the member list benchmark's data set (bulk_create on SQLite,
COPY on PostgreSQL; same data either way)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.core.models import AuditEntry
from maillon.members.models import MembershipPeriod, Person, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def seed(*args, people: int = 60) -> str:
    out = StringIO()
    call_command(
        "seed_scale",
        "--associations",
        "4",
        "--people",
        str(people),
        "--big-association-people",
        "25",
        *args,
        stdout=out,
    )
    return out.getvalue()


def bench_people():
    return Person.objects.filter(association__slug__startswith="bench-")


def test_seeds_associations_people_roles_and_fees():
    output = seed()

    assert "4 associations, 60 people (25 in bench-big)" in output
    assert "Bench login: bench@maillon.test" in output
    with scopes_disabled():
        big = Association.objects.get(slug="bench-big")
        assert bench_people().count() == 60
        assert bench_people().filter(association=big).count() == 25
        for association in Association.objects.filter(slug__startswith="bench-"):
            roles = RoleAssignment.objects.filter(association=association)
            assert roles.filter(role=Role.PRESIDENT).count() == 1  # its bureau
            assert roles.filter(role=Role.TREASURER).count() == 1
        assert MembershipPeriod.objects.filter(association__slug__startswith="bench-").exists()
        assert AuditEntry.objects.filter(actor_label="seed_scale").count() == 4
        # The bench account administers bench-big.
        admin = bench_people().get(user__email="bench@maillon.test")
        assert admin.association == big
        assert {Role.ADMIN, Role.PRESIDENT} <= set(
            admin.role_assignments.values_list("role", flat=True)
        )
        # The derived search column is what the model gives.
        for person in bench_people()[:10]:
            written = person.search_text
            person.refresh_search_text()
            assert person.search_text == written


def test_second_run_refuses_skips_or_resets():
    seed()
    with scopes_disabled():
        first_ids = set(bench_people().values_list("pk", flat=True))

    with pytest.raises(CommandError, match="already exists"):
        seed()
    assert "nothing to do" in seed("--skip-existing")

    seed("--reset", "--seed", "7")
    with scopes_disabled():
        assert bench_people().count() == 60
        assert Association.objects.filter(slug__startswith="bench-").count() == 4
        assert not first_ids & set(bench_people().values_list("pk", flat=True))


def test_refuses_too_few_people_for_the_bureaus():
    with pytest.raises(CommandError, match="people each"):
        seed(people=10)
