"""factory_boy factories for pooled resources and bookings (the owner's scope)."""

import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.network.models import (
    Booking,
    BookingStatus,
    BorrowerAudience,
    ResourceKind,
    SharedResource,
)


class _Unscoped(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class SharedResourceFactory(_Unscoped):
    class Meta:
        model = SharedResource

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Minibus 9 places n°{n}")
    kind = ResourceKind.VEHICLE
    description = "Minibus Renault Trafic, permis B, carte carburant fournie."
    quantity = 1
    capacity = 9
    deposit = 500
    audience = BorrowerAudience.ASSOCIATIONS
    approval_required = True


def next_saturday(hour: int = 9) -> datetime.datetime:
    today = timezone.localdate()
    days = (5 - today.weekday()) % 7 or 7
    day = today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class BookingFactory(_Unscoped):
    class Meta:
        model = Booking

    resource = factory.SubFactory(SharedResourceFactory)
    association = factory.SelfAttribute("resource.association")
    borrower = factory.SubFactory(AssociationFactory)
    starts_at = factory.LazyFunction(next_saturday)
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + datetime.timedelta(hours=8))
    blocks_until = factory.LazyAttribute(lambda b: b.ends_at)
    status = BookingStatus.REQUESTED
