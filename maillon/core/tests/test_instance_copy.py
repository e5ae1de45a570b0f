"""``instance_copy`` is ``copy.copy`` of a model instance, without pickling's detour."""

import copy

import pytest
from django_scopes import scopes_disabled

from maillon.governance.models import Poll
from maillon.governance.tests.factories import AssemblyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(association):
    with scopes_disabled():
        assembly = AssemblyFactory(association=association)
        poll = Poll.objects.create(association=association, assembly=assembly, title="Budget")
        return Poll.objects.select_related("assembly").get(pk=poll.pk)


def test_the_copy_has_the_same_values_and_related_objects_as_copy_copy(poll):
    from maillon.core.db.instances import instance_copy

    mine, theirs = instance_copy(poll), copy.copy(poll)
    assert type(mine) is Poll
    # copy.copy leaves pickling's version stamp in the copy; nothing else differs.
    assert mine.__dict__.keys() == theirs.__dict__.keys() - {"_django_version"}
    for name, value in theirs.__dict__.items():
        if name not in ("_state", "_django_version"):
            assert mine.__dict__[name] == value, name
    assert mine._state.db == poll._state.db and mine._state.adding is poll._state.adding
    assert mine._state.fields_cache == theirs._state.fields_cache
    assert mine.assembly is poll.assembly  # shallow: the related object is shared


def test_the_copy_is_its_own(poll):
    from maillon.core.db.instances import instance_copy

    mine = instance_copy(poll)
    mine.title = "Autre"
    mine.status = "closed"
    mine._state.fields_cache.clear()
    assert poll.title == "Budget"
    assert poll.status != "closed"
    assert "assembly" in poll._state.fields_cache
    assert mine._state is not poll._state
