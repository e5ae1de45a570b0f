"""factory_boy factories for networks, their teams and memberships."""

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.network.models import (
    MembershipStatus,
    Network,
    NetworkKind,
    NetworkMembership,
    NetworkRole,
    NetworkRoleKind,
    NetworkStatus,
)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau n°{n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    kind = NetworkKind.FEDERATION
    status = NetworkStatus.ACTIVE
    description = "Fédération départementale des associations sportives."


def network_staff(network, role=NetworkRoleKind.HEAD, **kwargs):
    """A user on ``network``'s team with ``role`` (returns the user)."""
    user = UserFactory(**kwargs)
    NetworkRole.objects.create(network=network, user=user, role=role)
    return user


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    association = factory.SubFactory(AssociationFactory)
    status = MembershipStatus.ACTIVE
    shared_families = factory.LazyFunction(list)
    joined_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)
