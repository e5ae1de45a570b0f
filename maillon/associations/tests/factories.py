"""factory_boy factories for associations: the tenant, with its statutes."""

import factory
from django_scopes import scopes_disabled

from maillon.associations.models import Association, Module, Statutes


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association n°{n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    purpose = "Favoriser le lien social dans le quartier."
    postal_code = "69001"
    city = "Lyon"
    # Every module on: tests of a module need not switch it on first.
    enabled_modules = factory.LazyFunction(lambda: list(Module.values))

    @factory.post_generation
    def statutes(self, create, extracted, **kwargs):
        if create:
            with scopes_disabled():
                Statutes.objects.get_or_create(association=self)
