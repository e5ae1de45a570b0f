"""Factories of the volunteering module (shared read-only by its tests).

Missions are created directly (no service): tests of other parts need a published
mission without going through the missions back-office.
"""

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.volunteering.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Audience,
    Mission,
    MissionStatus,
    Source,
)


class _UnscopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class MissionFactory(_UnscopedFactory):
    """A published mission open to everyone."""

    class Meta:
        model = Mission
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Mission n°{n}")
    description = "Accueillir les habitants et les orienter."
    status = MissionStatus.PUBLISHED
    audience = Audience.PUBLIC
    published_at = factory.LazyFunction(timezone.now)
    city = "Lyon"
    postal_code = "69001"
    volunteers_wanted = 1

    @factory.post_generation
    def search(self, create, extracted, **kwargs):
        if create:
            self.refresh_search_text()
            with scopes_disabled():
                Mission.objects.filter(pk=self.pk).update(search_text=self.search_text)


class ApplicationFactory(_UnscopedFactory):
    """A submitted application (email verified) of a guest to a mission."""

    class Meta:
        model = Application

    mission = factory.SubFactory(MissionFactory)
    association = factory.SelfAttribute("mission.association")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    message = "Je serais ravie d'aider."
    status = ApplicationStatus.NEW
    source = Source.SEARCH
    email_verified_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)


class ApplicationMessageFactory(_UnscopedFactory):
    class Meta:
        model = ApplicationMessage

    application = factory.SubFactory(ApplicationFactory)
    association = factory.SelfAttribute("application.association")
    from_association = True
    body = "Merci pour votre candidature !"
