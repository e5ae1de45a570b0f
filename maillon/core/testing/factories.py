"""factory_boy factories shared by every module's tests."""

import datetime

import factory
from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, Module, Statutes
from maillon.members.models import (
    Invitation,
    JoinRequest,
    MembershipPeriod,
    Person,
    Role,
    RoleAssignment,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    # The site language at creation (French unless a test module switches to English).
    language = factory.LazyFunction(lambda: settings.LANGUAGE_CODE)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


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


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        roles = [Role.MEMBER] if extracted is None else extracted
        with scopes_disabled():
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(association=self.association, person=self, role=r) for r in roles]
            )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    person = factory.SubFactory(PersonFactory)
    association = factory.SelfAttribute("person.association")
    start = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    end = factory.LazyFunction(lambda: timezone.localdate().replace(month=12, day=31))
    fee_paid = True
    amount = 20
    method = "cheque"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


def member_with_account(association, roles, *, first_name=None, last_name=None, **kwargs):
    """A user holding ``roles`` in ``association`` (returns the user). The person's
    name is fixed by default, so that tests looking for a random French surname
    never find the account holder by chance."""
    user = UserFactory(**kwargs)
    PersonFactory(
        association=association,
        user=user,
        email=user.email,
        roles=roles,
        first_name=first_name or "Compte",
        last_name=last_name or f"Titulaire-{user.pk}",
    )
    return user


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """A pending request to join, sent from the association's public page."""

    class Meta:
        model = JoinRequest

    association = factory.SubFactory(AssociationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    message = "Je voudrais aider."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation for a person of the register to link their account."""

    class Meta:
        model = Invitation

    person = factory.SubFactory(PersonFactory, user=None)
    association = factory.SelfAttribute("person.association")
    email = factory.SelfAttribute("person.email")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)
