"""Reads of assemblies: access helpers (404 outside the association), the page
data, the live quorum and the attendance sheet. Counts come from the database in a
fixed number of queries, whatever the size of the roll."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from maillon.accounts.models import User
from maillon.associations.models import Association, Statutes

from ..models import (
    AgendaDocument,
    AgendaItem,
    Assembly,
    AssemblyStatus,
    Attendance,
    Convocation,
    ConvocationChannel,
    Poll,
    Proxy,
    RollEntry,
)
from .quorum import QuorumStatus, compute_quorum


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def assembly_list(*, association: Association, include_drafts: bool) -> QuerySet[Assembly]:
    qs = Assembly.objects.filter(association=association)
    if not include_drafts:
        qs = qs.exclude(status=AssemblyStatus.DRAFT)
    return qs.order_by("-starts_at", "-id")


def assembly_get(
    *, association: Association, assembly_id: int | str, include_drafts: bool = True
) -> Assembly:
    """Access helper: an assembly of ``association`` or 404. Members who do not
    prepare assemblies do not see drafts."""
    qs = assembly_list(association=association, include_drafts=include_drafts)
    assembly = qs.select_related("association").filter(pk=_int(assembly_id)).first()
    if assembly is None:
        raise Http404
    return assembly


def agenda_item_get(
    *, association: Association, assembly: Assembly, item_id: int | str
) -> AgendaItem:
    item = AgendaItem.objects.filter(
        association=association, assembly=assembly, pk=_int(item_id)
    ).first()
    if item is None:
        raise Http404
    item.assembly = assembly
    return item


def document_get(
    *, association: Association, assembly: Assembly, document_id: int | str
) -> AgendaDocument:
    document = AgendaDocument.objects.filter(
        association=association, assembly=assembly, pk=_int(document_id)
    ).first()
    if document is None:
        raise Http404
    document.assembly = assembly
    return document


def roll_entry_get(
    *, association: Association, assembly: Assembly, entry_id: int | str
) -> RollEntry:
    entry = (
        RollEntry.objects.filter(association=association, assembly=assembly, pk=_int(entry_id))
        .select_related("person")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def proxy_get(*, association: Association, assembly: Assembly, proxy_id: int | str) -> Proxy:
    proxy = (
        Proxy.objects.filter(association=association, assembly=assembly, pk=_int(proxy_id))
        .select_related("giver__person")
        .first()
    )
    if proxy is None:
        raise Http404
    proxy.assembly = assembly
    return proxy


def my_roll_entry(*, assembly: Assembly, user: User) -> RollEntry | None:
    return (
        RollEntry.objects.filter(assembly=assembly, person__user=user)
        .select_related("person")
        .annotate(is_present=Exists(Attendance.objects.filter(entry=OuterRef("pk"))))
        .first()
    )


def _active_proxies(assembly: Assembly) -> QuerySet[Proxy]:
    return Proxy.objects.filter(assembly=assembly, revoked_at__isnull=True)


def quorum_status(*, assembly: Assembly) -> QuorumStatus:
    """Present or represented, in weight, among the members who may vote. A proxy
    counts when its holder is present (and its giver is not)."""
    statutes = Statutes.objects.filter(association_id=assembly.association_id).first()
    present = Attendance.objects.filter(entry=OuterRef("pk"))
    holder_present = Attendance.objects.filter(entry=OuterRef("holder_id"))
    represented = (
        _active_proxies(assembly)
        .filter(giver=OuterRef("pk"), holder__isnull=False)
        .filter(Exists(holder_present))
    )
    totals = RollEntry.objects.filter(assembly=assembly, may_vote=True).aggregate(
        eligible=Sum("weight"),
        present=Sum("weight", filter=Q(Exists(present))),
        represented=Sum("weight", filter=Q(~Exists(present), Exists(represented))),
    )
    fraction = assembly.quorum_fraction
    if fraction is None:
        fraction = statutes.quorum_fraction if statutes else Decimal(0)
    return compute_quorum(
        eligible_weight=totals["eligible"] or 0,
        present_weight=totals["present"] or 0,
        represented_weight=totals["represented"] or 0,
        fraction=fraction,
        second_convocation_without_quorum=(
            statutes.second_convocation_without_quorum if statutes else True
        ),
        is_second_convocation=assembly.is_second_convocation,
    )


@dataclass(frozen=True)
class ProxySummary:
    """What the quorum box says of the proxies: how many are active, how many count
    (named, holder present), wait for their holder, or have no holder yet."""

    active: int
    counted: int
    waiting: int
    unnamed: int
    unnamed_to_president: bool


def proxy_summary(*, assembly: Assembly) -> ProxySummary:
    holder_present = Attendance.objects.filter(entry=OuterRef("holder_id"))
    giver_present = Attendance.objects.filter(entry=OuterRef("giver_id"))
    named = Q(holder__isnull=False)
    counts = (
        _active_proxies(assembly)
        .filter(giver__may_vote=True)
        .exclude(Exists(giver_present))
        .aggregate(
            active=Count("id"),
            counted=Count("id", filter=named & Q(Exists(holder_present))),
            waiting=Count("id", filter=named & ~Q(Exists(holder_present))),
            unnamed=Count("id", filter=Q(holder__isnull=True)),
        )
    )
    statutes = Statutes.objects.filter(association_id=assembly.association_id).first()
    return ProxySummary(
        **counts, unnamed_to_president=statutes.unnamed_proxy_to_president if statutes else True
    )


@dataclass
class AssemblyPage:
    assembly: Assembly
    agenda: list[AgendaItem]
    loose_documents: list[AgendaDocument]
    my_entry: RollEntry | None
    my_proxy: Proxy | None
    proxies_held: list[Proxy]
    holder_choices: list[RollEntry]
    counts: dict
    quorum: QuorumStatus | None


def assembly_page(*, association: Association, assembly: Assembly, user: User) -> AssemblyPage:
    documents = AgendaDocument.objects.filter(assembly=assembly).order_by("uploaded_at", "id")
    agenda = list(
        AgendaItem.objects.filter(assembly=assembly)
        .order_by("position", "id")
        .prefetch_related(Prefetch("documents", queryset=documents))
    )
    loose = list(documents.filter(agenda_item__isnull=True))
    my_entry = my_roll_entry(assembly=assembly, user=user)
    my_proxy, held = None, []
    holder_choices: list[RollEntry] = []
    if my_entry is not None:
        mine = _active_proxies(assembly).select_related("holder__person")
        my_proxy = mine.filter(giver=my_entry).first()
        held = list(
            _active_proxies(assembly).filter(holder=my_entry).select_related("giver__person")
        )
    if my_entry is not None and assembly.status == AssemblyStatus.CONVENED and my_proxy is None:
        holder_choices = list(proxy_holder_choices(assembly=assembly, exclude=my_entry)[:500])
    roll = RollEntry.objects.filter(assembly=assembly).aggregate(
        total=Count("id"), voters=Count("id", filter=Q(may_vote=True))
    )
    counts = {
        **roll,
        "present": Attendance.objects.filter(assembly=assembly).count(),
        "proxies": _active_proxies(assembly).count(),
        "letters": Convocation.objects.filter(
            assembly=assembly, channel=ConvocationChannel.LETTER, is_reminder=False
        ).count(),
    }
    quorum = quorum_status(assembly=assembly) if assembly.status != AssemblyStatus.DRAFT else None
    return AssemblyPage(
        assembly=assembly,
        agenda=agenda,
        loose_documents=loose,
        my_entry=my_entry,
        my_proxy=my_proxy,
        proxies_held=held,
        holder_choices=holder_choices,
        counts=counts,
        quorum=quorum,
    )


def proxy_holder_choices(
    *, assembly: Assembly, exclude: RollEntry | None = None
) -> QuerySet[RollEntry]:
    """Members who may hold a proxy: they vote and are not represented themselves."""
    qs = (
        RollEntry.objects.filter(assembly=assembly, may_vote=True)
        .exclude(Exists(_active_proxies(assembly).filter(giver=OuterRef("pk"))))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def roll_rows(*, assembly: Assembly, search: str = "") -> QuerySet[RollEntry]:
    """The roll with, per person: present or not, and who holds their proxy."""
    from maillon.core.text import fold

    holder = _active_proxies(assembly).filter(giver=OuterRef("pk")).select_related()
    qs = RollEntry.objects.filter(assembly=assembly).select_related("person")
    for word in fold(search).split()[:5]:
        qs = qs.filter(person__search_text__contains=word)
    return qs.annotate(
        is_present=Exists(Attendance.objects.filter(entry=OuterRef("pk"))),
        proxy_holder_first=Subquery(holder.values("holder__person__first_name")[:1]),
        proxy_holder_last=Subquery(holder.values("holder__person__last_name")[:1]),
        has_proxy=Exists(holder),
    ).order_by("person__last_name", "person__first_name", "id")


def proxy_list(*, assembly: Assembly) -> QuerySet[Proxy]:
    return (
        Proxy.objects.filter(assembly=assembly)
        .select_related("giver__person", "holder__person", "recorded_by")
        .order_by("revoked_at", "giver__person__last_name", "id")
    )


def letter_recipients(*, assembly: Assembly) -> QuerySet[RollEntry]:
    """People convened by post: no email address at convocation."""
    return (
        RollEntry.objects.filter(
            assembly=assembly,
            convocations__channel=ConvocationChannel.LETTER,
            convocations__is_reminder=False,
        )
        .select_related("person")
        .distinct()
        .order_by("person__last_name", "person__first_name", "id")
    )


def convocation_polls(*, assembly: Assembly) -> list[Poll]:
    """The votes announced in a convocation, in the order of the agenda, each with
    whether it is a secret ballot."""
    return list(
        Poll.objects.filter(assembly=assembly)
        .select_related("agenda_item")
        .order_by("agenda_item__position", "created_at", "id")
    )
