"""Reads of associations: the public directory."""

import pytest

from maillon.associations.selectors import association_directory
from maillon.associations.tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def test_directory_search_ignores_accents():
    AssociationFactory(name="Les Éclaireurs de Sète", city="Sète")
    AssociationFactory(name="Club de foot")
    assert [a.name for a in association_directory(search="eclaireurs sete")] == [
        "Les Éclaireurs de Sète"
    ]
