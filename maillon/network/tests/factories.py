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


def practice_sheet(association, *, visibility="draft", networks=(), **fields):
    """A practice sheet of ``association`` (shared with ``networks`` when given)."""
    from maillon.network.models import PracticeSheet, PracticeSheetNetwork

    defaults = {
        "title": "Un agenda partagé pour les bénévoles",
        "problem": "Les créneaux de bénévolat se perdaient entre les courriels.",
        "what_was_done": "Nous avons ouvert un agenda partagé et formé deux référents.",
        "domains": ["volunteering"],
        "size_band": association.size_band,
    }
    from maillon.core.text import fold

    values = {**defaults, **fields}
    with scopes_disabled():
        sheet = PracticeSheet.objects.create(
            association=association,
            visibility=visibility,
            published_at=timezone.now() if visibility != "draft" else None,
            search_text=fold(
                " ".join([values["title"], values["problem"], values["what_was_done"]])
            ),
            **values,
        )
        for network in networks:
            PracticeSheetNetwork.objects.create(
                association=association, sheet=sheet, network=network
            )
    return sheet
