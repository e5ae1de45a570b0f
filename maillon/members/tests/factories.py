"""factory_boy factories for the member register: people, fees, join requests,
invitations, and a member holding an account."""

import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import (
    Invitation,
    JoinRequest,
    MembershipPeriod,
    Person,
    Role,
    RoleAssignment,
)


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


def ready_member_export(association, requested_by=None, *, content: bytes = b"\xef\xbb\xbfNom\n"):
    """A large export of ``association`` whose file is ready in the private storage."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from maillon.members.exports.selectors import private_storage
    from maillon.members.models import ExportStatus, MemberExport

    path = private_storage().save(f"member-exports/{association.pk}/test.csv", ContentFile(content))
    with scopes_disabled():
        return MemberExport.objects.create(
            association=association,
            requested_by=requested_by,
            file_format="csv",
            status=ExportStatus.DONE,
            total_rows=1,
            processed_rows=1,
            file_path=path,
            finished_at=timezone.now(),
        )
