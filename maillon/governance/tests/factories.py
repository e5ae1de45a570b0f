"""factory_boy factories of the governance module, shared by its tests.

Kept simple: each factory builds one row in its association; build the roll with
``RollEntryFactory(assembly=..., person=...)`` or convene through the service."""

import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyKind,
    AssemblyMode,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Proxy,
    RollEntry,
)
from maillon.members.tests.factories import PersonFactory


class _Unscoped(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class AssemblyFactory(_Unscoped):
    class Meta:
        model = Assembly

    association = factory.SubFactory(AssociationFactory)
    kind = AssemblyKind.ORDINARY
    mode = AssemblyMode.IN_PERSON
    title = factory.Sequence(lambda n: f"Assemblée générale n°{n}")
    place = "Salle des fêtes, 1 place de la Mairie, Lyon"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    status = AssemblyStatus.DRAFT


class AgendaItemFactory(_Unscoped):
    class Meta:
        model = AgendaItem

    assembly = factory.SubFactory(AssemblyFactory)
    association = factory.SelfAttribute("assembly.association")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Point n°{n}")


class RollEntryFactory(_Unscoped):
    class Meta:
        model = RollEntry

    assembly = factory.SubFactory(AssemblyFactory)
    association = factory.SelfAttribute("assembly.association")
    person = factory.SubFactory(PersonFactory, association=factory.SelfAttribute("..association"))
    may_vote = True
    weight = 1


class ProxyFactory(_Unscoped):
    class Meta:
        model = Proxy

    giver = factory.SubFactory(RollEntryFactory)
    assembly = factory.SelfAttribute("giver.assembly")
    association = factory.SelfAttribute("giver.association")
    holder = factory.SubFactory(RollEntryFactory, assembly=factory.SelfAttribute("..assembly"))
    is_unnamed = False


class AttendanceFactory(_Unscoped):
    class Meta:
        model = Attendance

    entry = factory.SubFactory(RollEntryFactory)
    assembly = factory.SelfAttribute("entry.assembly")
    association = factory.SelfAttribute("entry.association")
    mode = AttendanceMode.ROOM


def convened_assembly(association, **kwargs) -> Assembly:
    """A convened assembly whose roll holds every active person of ``association``
    (all may vote, weight 1), without sending anything."""
    from maillon.members.models import Person

    assembly = AssemblyFactory(
        association=association,
        status=AssemblyStatus.CONVENED,
        convened_at=timezone.now(),
        roll_reference_date=timezone.localdate(),
        **kwargs,
    )
    with scopes_disabled():
        RollEntry.objects.bulk_create(
            RollEntry(association=association, assembly=assembly, person=person)
            for person in Person.objects.filter(association=association, left_on__isnull=True)
        )
    return assembly


WITNESS_TITLE = "Assemblée témoin"


def assembly_objects(association) -> dict:
    """Ids of a convened witness assembly of ``association`` with an agenda item, a
    document and an unnamed proxy (made on first use; for the project-wide
    isolation walk and permission matrix)."""
    from django.core.files.base import ContentFile

    from maillon.governance.models import AgendaDocument

    with scopes_disabled():
        assembly = Assembly.objects.filter(association=association, title=WITNESS_TITLE).first()
        if assembly is None:
            assembly = convened_assembly(association, title=WITNESS_TITLE)
            AgendaItemFactory(assembly=assembly, position=1, title="Rapport moral")
            document = AgendaDocument(association=association, assembly=assembly, title="Comptes")
            document.file.save("comptes.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
            giver = (
                RollEntry.objects.filter(assembly=assembly, person__user__isnull=True)
                .order_by("id")
                .first()
            )
            if giver is not None:
                ProxyFactory(giver=giver, holder=None, is_unnamed=True)
        item = assembly.agenda_items.order_by("id").first()
        document = assembly.documents.order_by("id").first()
        proxy = assembly.proxies.order_by("id").first()
        entry = assembly.roll.order_by("id").first()
    return {
        "assembly_id": assembly.pk,
        "item_id": item.pk,
        "document_id": document.pk,
        "proxy_id": proxy.pk if proxy else None,
        "entry_id": entry.pk if entry else None,
    }
