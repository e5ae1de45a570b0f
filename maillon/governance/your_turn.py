"""Governance in the "your turn" panel (``core.your_turn``): the assemblies in session
whose roll holds the person, the ballots they have not cast yet (their own seat and the
seats of members whose proxy they hold), and the quick polls they have not answered.

The ``my_*`` reads cross the person's associations (those where they may take part
and governance is switched on), in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, Module
from maillon.core.models import IdempotencyKey
from maillon.core.your_turn import TurnItem, TurnMembership, TurnSource
from maillon.members.permissions import Perm

from .consultations.services import QUICK_POLL_KEY, quick_poll_scope
from .models import (
    Assembly,
    AssemblyMode,
    AssemblyStatus,
    Participation,
    Poll,
    PollStatus,
    RollEntry,
)

# Where a ballot can be cast now (``polls.ballots.voting_window_open``).
VOTING_NOW = Q(assembly__status=AssemblyStatus.OPEN) | Q(
    assembly__mode=AssemblyMode.ONLINE, assembly__status=AssemblyStatus.CONVENED
)


def _governance_ids(memberships: Sequence[TurnMembership]) -> list[int]:
    return [m.association.pk for m in memberships if m.allows(Perm.TAKE_PART, Module.GOVERNANCE)]


def my_assemblies_in_session(*, user: User, association_ids: Sequence[int]) -> list[Assembly]:
    """Assemblies in session, in ``association_ids``, whose roll holds ``user``."""
    with scopes_disabled():
        return list(
            Assembly.objects.filter(
                association_id__in=association_ids,
                status=AssemblyStatus.OPEN,
                roll__person__user=user,
            )
            .distinct()
            .order_by("opened_at", "id")
        )


def my_ballots_waiting(*, user: User, association_ids: Sequence[int]) -> list[tuple[Poll, int]]:
    """(poll, seats still to cast) for every open poll of an assembly voting now where
    ``user`` has a seat (their own or a represented member's) without a ballot: four
    queries."""
    with scopes_disabled():
        own = dict(
            RollEntry.objects.filter(
                VOTING_NOW, person__user=user, assembly__association_id__in=association_ids
            ).values_list("pk", "assembly_id")
        )
        if not own:
            return []
        represented = RollEntry.objects.filter(
            proxies_given__holder_id__in=list(own), proxies_given__revoked_at__isnull=True
        ).values_list("pk", "assembly_id")
        seats: dict[int, set[int]] = defaultdict(set)
        for entry_id, assembly_id in [*own.items(), *represented]:
            seats[assembly_id].add(entry_id)
        polls = list(
            Poll.objects.filter(assembly_id__in=list(seats), status=PollStatus.OPEN)
            .select_related("assembly")
            .order_by("assembly__starts_at", "opened_at", "id")
        )
        cast = set(
            Participation.objects.filter(
                poll__in=polls, entry_id__in=[e for s in seats.values() for e in s]
            ).values_list("poll_id", "entry_id")
        )
    waiting = []
    for poll in polls:
        # Every poll here belongs to one of the seats' assemblies (filtered above).
        left = [e for e in seats.get(poll.assembly_id or 0, ()) if (poll.pk, e) not in cast]
        if left:
            waiting.append((poll, len(left)))
    return waiting


def my_quick_polls_waiting(*, user: User, association_ids: Sequence[int]) -> list[Poll]:
    """Open quick polls (outside assemblies) that ``user`` has not answered."""
    with scopes_disabled():
        polls = list(
            Poll.objects.filter(
                association_id__in=association_ids,
                assembly__isnull=True,
                status=PollStatus.OPEN,
            ).order_by("opened_at", "id")
        )
        if not polls:
            return []
        answered = set(
            IdempotencyKey.objects.filter(
                user=user, key=QUICK_POLL_KEY, scope__in=[quick_poll_scope(p) for p in polls]
            ).values_list("scope", flat=True)
        )
    return [p for p in polls if quick_poll_scope(p) not in answered]


def governance_turn(
    *, user: User, memberships: Sequence[TurnMembership], association: Association | None
) -> list[TurnItem]:
    ids = _governance_ids(memberships)
    if not ids:
        return []
    by_id = {m.association.pk: m.association for m in memberships}
    items = []
    for assembly in my_assemblies_in_session(user=user, association_ids=ids):
        association = by_id[assembly.association_id]
        items.append(
            TurnItem(
                association=association,
                kind="assembly",
                title=assembly.title,
                detail=_("In session"),
                action=_("Join the session"),
                url=reverse("governance:assembly", args=[association.slug, assembly.pk]),
                when=assembly.opened_at,
            )
        )
    for poll, seats in my_ballots_waiting(user=user, association_ids=ids):
        association = by_id[poll.association_id]
        detail = poll.assembly.title if poll.assembly else ""
        if seats > 1:
            detail = ngettext(
                "%(title)s — %(count)s ballot to cast",
                "%(title)s — %(count)s ballots to cast (yours and your proxies)",
                seats,
            ) % {"title": detail, "count": seats}
        items.append(
            TurnItem(
                association=association,
                kind="ballot",
                title=poll.title,
                detail=detail,
                action=_("Vote"),
                url=reverse("governance:poll_detail", args=[association.slug, poll.pk]) + "#ballot",
                when=poll.opened_at,
            )
        )
    for poll in my_quick_polls_waiting(user=user, association_ids=ids):
        association = by_id[poll.association_id]
        items.append(
            TurnItem(
                association=association,
                kind="quick_poll",
                title=poll.title,
                detail=_("Quick poll"),
                action=_("Answer"),
                url=reverse("governance:quick_poll_detail", args=[association.slug, poll.pk]),
                when=poll.opened_at,
            )
        )
    return items


SOURCE = TurnSource(name="governance", items=governance_turn, order=10)
