"""Writes of assemblies: preparation, convocation, proxies, attendance.

Every function checks the actor's permission, runs in one transaction, writes one
audit entry and defers emails to a background task queued after commit. The
lifecycle is draft → convened → open → closed → minutes_approved."""

from __future__ import annotations

import datetime
import logging
import os
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association, Statutes, VotingEligibility
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association
from maillon.members.fees.selectors import up_to_date_q
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.permissions import Perm, check_permission

from ..models import (
    AgendaDocument,
    AgendaItem,
    Assembly,
    AssemblyKind,
    AssemblyMode,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Convocation,
    ConvocationChannel,
    Minutes,
    Proxy,
    RollEntry,
)
from . import cnil
from .tasks import send_convocation_emails

logger = logging.getLogger(__name__)

S = AssemblyStatus
ASSEMBLY_FIELDS = (
    "kind",
    "mode",
    "title",
    "description",
    "place",
    "online_link",
    "starts_at",
    "ends_at",
    "is_second_convocation",
    "quorum_fraction",
    "max_proxies_per_holder",
    "notice_days",
)
GENERAL_ASSEMBLY_KINDS = (AssemblyKind.ORDINARY, AssemblyKind.EXTRAORDINARY)
EDITABLE_STATUSES = (S.DRAFT, S.CONVENED)

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".odt", ".ods", ".odp", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
     ".txt", ".csv", ".png", ".jpg", ".jpeg"}
)  # fmt: skip


def statutes_of(association: Association) -> Statutes:
    statutes, _created = Statutes.objects.get_or_create(association=association)
    return statutes


def _locked(assembly: Assembly) -> Assembly:
    return Assembly.objects.select_for_update().get(pk=assembly.pk)


def _require_status(assembly: Assembly, *allowed: str, message: str) -> None:
    if assembly.status not in allowed:
        raise ValidationError(message)


def _audit(association: Association, actor: User, action: str, obj: Model, **data: Any) -> None:
    audit_log(
        association=association, actor=actor, action=f"governance.{action}", obj=obj, data=data
    )


def _validate_assembly(assembly: Assembly) -> None:
    assembly.full_clean(exclude=["association"])
    errors = {}
    if assembly.ends_at and assembly.ends_at <= assembly.starts_at:
        errors["ends_at"] = _("The assembly must end after it starts.")
    if assembly.mode in (AssemblyMode.IN_PERSON, AssemblyMode.HYBRID) and not assembly.place:
        errors["place"] = _("Give the place where the assembly meets.")
    if assembly.mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID) and not assembly.online_link:
        errors["online_link"] = _("Give the link of the online meeting.")
    if errors:
        raise ValidationError(errors)


# --- lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def assembly_create(*, association: Association, actor: User, **fields: Any) -> Assembly:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    assembly = Assembly(
        association=association, **{k: v for k, v in fields.items() if k in ASSEMBLY_FIELDS}
    )
    _validate_assembly(assembly)
    assembly.save()
    _audit(association, actor, "assembly_created", assembly, kind=assembly.kind)
    # Member proposals that reached their support threshold while no general
    # assembly was in preparation go on this one's agenda (one path from idea to
    # decision).
    from ..consultations.services import proposals_attach_waiting

    if assembly.kind in GENERAL_ASSEMBLY_KINDS and assembly.starts_at > timezone.now():
        proposals_attach_waiting(association=association, actor=actor, assembly=assembly)
    return assembly


@transaction.atomic
def assembly_update(
    *, association: Association, actor: User, assembly: Assembly, **fields: Any
) -> Assembly:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(
        assembly,
        *EDITABLE_STATUSES,
        message=_("An assembly in session or closed cannot be edited."),
    )
    changes = apply_changes(assembly, {k: v for k, v in fields.items() if k in ASSEMBLY_FIELDS})
    _validate_assembly(assembly)
    assembly.save()
    if changes:
        _audit(association, actor, "assembly_updated", assembly, changes=changes)
    return assembly


def notice_days_required(assembly: Assembly, statutes: Statutes) -> int:
    """The assembly's own notice period, else the statutes' one for a general
    assembly (board and bureau meetings have none unless set)."""
    if assembly.notice_days is not None:
        return assembly.notice_days
    return statutes.ag_notice_days if assembly.kind in GENERAL_ASSEMBLY_KINDS else 0


def _local_date(association: Association, moment: datetime.datetime) -> datetime.date:
    import zoneinfo

    return timezone.localtime(moment, zoneinfo.ZoneInfo(association.time_zone)).date()


def _freeze_roll(
    *, association: Association, assembly: Assembly, statutes: Statutes, today: datetime.date
) -> tuple[list[RollEntry], dict[int, str]]:
    """The electoral roll of ``assembly``: one entry per active person, who may vote
    unless the statutes ask for a membership fee up to date on ``today``; and the
    email address of each person (empty: convened by letter)."""
    people = Person.objects.filter(
        association=association, left_on__isnull=True, anonymised_at__isnull=True
    )
    if statutes.voting_eligibility == VotingEligibility.FEE_UP_TO_DATE:
        voters = set(people.filter(up_to_date_q(today)).values_list("pk", flat=True))
    else:
        voters = None
    register = list(people.only("pk", "email"))
    if not register:
        raise ValidationError(_("The register has nobody to convene."))
    entries = RollEntry.objects.bulk_create(
        RollEntry(
            association=association,
            assembly=assembly,
            person=person,
            may_vote=voters is None or person.pk in voters,
        )
        for person in register
    )
    if any(e.pk is None for e in entries):  # backends that do not return ids
        entries = list(RollEntry.objects.filter(assembly=assembly).select_related("person"))
    return entries, {p.pk: p.email for p in register}


@transaction.atomic
def assembly_convene(*, association: Association, actor: User, assembly: Assembly) -> Assembly:
    """Freeze the electoral roll, record one convocation per person (email, or a
    letter for people without an email address) and send the emails after commit.
    A convocation later than the notice period is sent but flagged."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(assembly, S.DRAFT, message=_("This assembly has already been convened."))
    now = timezone.now()
    if assembly.starts_at <= now:
        raise ValidationError(_("The assembly's date has passed: change it before convening."))
    if not assembly.agenda_items.exists():
        raise ValidationError(_("Add at least one item to the agenda before convening."))
    statutes = statutes_of(association)
    today = _local_date(association, now)
    entries, email_of = _freeze_roll(
        association=association, assembly=assembly, statutes=statutes, today=today
    )
    convocations = Convocation.objects.bulk_create(
        Convocation(
            association=association,
            assembly=assembly,
            entry=entry,
            channel=(
                ConvocationChannel.EMAIL if email_of[entry.person_id] else ConvocationChannel.LETTER
            ),
            sent_at=now,
        )
        for entry in entries
    )
    notice = (_local_date(association, assembly.starts_at) - today).days
    required = notice_days_required(assembly, statutes)
    assembly.status = S.CONVENED
    assembly.convened_at = now
    assembly.roll_reference_date = today
    assembly.late_convocation = notice < required
    assembly.save(
        update_fields=[
            "status",
            "convened_at",
            "roll_reference_date",
            "late_convocation",
            "updated_at",
        ]
    )
    by_email = sum(1 for c in convocations if c.channel == ConvocationChannel.EMAIL)
    _audit(
        association,
        actor,
        "assembly_convened",
        assembly,
        roll=len(entries),
        may_vote=sum(1 for e in entries if e.may_vote),
        emails=by_email,
        letters=len(convocations) - by_email,
        notice_days=notice,
        notice_days_required=required,
        late=assembly.late_convocation,
    )
    _send_after_commit(assembly, is_reminder=False, sent_at=now)
    return assembly


@transaction.atomic
def assembly_send_reminder(*, association: Association, actor: User, assembly: Assembly) -> int:
    """Email again everyone on the roll with an address who has not checked in."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(
        assembly,
        S.CONVENED,
        S.OPEN,
        message=_("Reminders go out once convened and before closing."),
    )
    entries = (
        RollEntry.objects.filter(assembly=assembly, attendances__isnull=True)
        .exclude(person__email="")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Convocation.objects.bulk_create(
        Convocation(
            association=association,
            assembly=assembly,
            entry_id=pk,
            channel=ConvocationChannel.EMAIL,
            sent_at=now,
            is_reminder=True,
        )
        for pk in entries
    )
    count = len(entries)
    _audit(association, actor, "assembly_reminder_sent", assembly, emails=count)
    _send_after_commit(assembly, is_reminder=True, sent_at=now)
    return count


def _send_after_commit(
    assembly: Assembly, *, is_reminder: bool, sent_at: datetime.datetime
) -> None:
    """Queue the emails of the convocations (or reminders) recorded at ``sent_at``
    once the transaction that recorded them commits."""

    def enqueue() -> None:
        send_convocation_emails.enqueue(
            association_id=assembly.association_id,
            assembly_id=assembly.pk,
            is_reminder=is_reminder,
            sent_at=sent_at.isoformat(),
        )

    transaction.on_commit(enqueue)


def _president_entry(assembly: Assembly) -> RollEntry | None:
    president_ids = RoleAssignment.objects.filter(
        association_id=assembly.association_id, role=Role.PRESIDENT
    ).values("person_id")
    return (
        RollEntry.objects.filter(assembly=assembly, person_id__in=president_ids, may_vote=True)
        .order_by("id")
        .first()
    )


@transaction.atomic
def assembly_open(*, association: Association, actor: User, assembly: Assembly) -> Assembly:
    """Open the session. Unnamed proxies go to the president if the statutes say so,
    within the cap per holder: any excess stays unassigned (and is noted)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(assembly, S.CONVENED, message=_("Only a convened assembly can be opened."))
    statutes = statutes_of(association)
    unnamed = list(
        Proxy.objects.select_for_update()
        .filter(assembly=assembly, is_unnamed=True, holder__isnull=True, revoked_at__isnull=True)
        .order_by("created_at", "id")
    )
    assigned, warning = [], ""
    if unnamed and statutes.unnamed_proxy_to_president:
        president = _president_entry(assembly)
        if president is None:
            warning = "no president on the roll with a vote"
        elif Proxy.objects.filter(giver=president, revoked_at__isnull=True).exists():
            warning = "the president is represented and cannot hold proxies"
        else:
            president = RollEntry.objects.select_for_update().get(pk=president.pk)
            held = len(
                Proxy.objects.select_for_update().filter(holder=president, revoked_at__isnull=True)
            )
            room = max(0, max_proxies_for(assembly, statutes) - held)
            for proxy in [p for p in unnamed if p.giver_id != president.pk][:room]:
                proxy.holder = president
                proxy.save(update_fields=["holder"])
                assigned.append(proxy.pk)
            if len(assigned) < len(unnamed):
                warning = "the cap per holder left unnamed proxies unassigned"
    assembly.status = S.OPEN
    assembly.opened_at = timezone.now()
    assembly.save(update_fields=["status", "opened_at", "updated_at"])
    _audit(
        association,
        actor,
        "assembly_opened",
        assembly,
        unnamed_assigned=assigned,
        unnamed_unassigned=[p.pk for p in unnamed if p.pk not in assigned],
        warning=warning,
    )
    return assembly


@transaction.atomic
def assembly_close(*, association: Association, actor: User, assembly: Assembly) -> Assembly:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(assembly, S.OPEN, message=_("Only an assembly in session can be closed."))
    assembly.status = S.CLOSED
    assembly.closed_at = timezone.now()
    assembly.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(association, actor, "assembly_closed", assembly)
    return assembly


@transaction.atomic
def assembly_approve_minutes(
    *, association: Association, actor: User, assembly: Assembly
) -> Assembly:
    """Approve the minutes (drafted by ``minutes.services``): they can no longer be
    edited and every member can read them."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(
        assembly, S.CLOSED, message=_("The minutes are approved once the assembly is closed.")
    )
    minutes = Minutes.objects.select_for_update().filter(assembly=assembly).first()
    if minutes is None:
        raise ValidationError(_("Write the minutes before approving them."))
    now = timezone.now()
    minutes.approved_at = now
    minutes.save(update_fields=["approved_at", "updated_at"])
    assembly.status = S.MINUTES_APPROVED
    assembly.minutes_approved_at = now
    assembly.save(update_fields=["status", "minutes_approved_at", "updated_at"])
    _audit(association, actor, "assembly_minutes_approved", assembly)
    return assembly


# --- agenda and documents ----------------------------------------------------------------


def _agenda_editable(assembly: Assembly) -> None:
    _require_status(
        assembly, *EDITABLE_STATUSES, message=_("The agenda is fixed once the assembly opens.")
    )


@transaction.atomic
def agenda_item_create(
    *, association: Association, actor: User, assembly: Assembly, title: str, description: str = ""
) -> AgendaItem:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _agenda_editable(assembly)
    last = AgendaItem.objects.filter(assembly=assembly).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        association=association,
        assembly=assembly,
        position=last + 1,
        title=title,
        description=description,
    )
    item.full_clean(exclude=["association", "assembly", "proposal"])
    item.save()
    _audit(association, actor, "agenda_item_added", assembly, item=item.pk, title=item.title)
    return item


@transaction.atomic
def agenda_item_update(
    *, association: Association, actor: User, item: AgendaItem, title: str, description: str = ""
) -> AgendaItem:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, item)
    _agenda_editable(_locked(item.assembly))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    changes = apply_changes(item, {"title": title, "description": description})
    item.full_clean(exclude=["association", "assembly", "proposal"])
    item.save()
    if changes:
        _audit(
            association, actor, "agenda_item_updated", item.assembly, item=item.pk, changes=changes
        )
    return item


@transaction.atomic
def agenda_item_delete(*, association: Association, actor: User, item: AgendaItem) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, item)
    assembly = _locked(item.assembly)
    _agenda_editable(assembly)
    _audit(association, actor, "agenda_item_deleted", assembly, item=item.pk, title=item.title)
    item.delete()


@transaction.atomic
def agenda_item_move(
    *, association: Association, actor: User, item: AgendaItem, direction: str
) -> AgendaItem:
    """Swap the item with its neighbour above ("up") or below ("down")."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, item)
    assembly = _locked(item.assembly)
    _agenda_editable(assembly)
    item = AgendaItem.objects.get(pk=item.pk)
    siblings = AgendaItem.objects.filter(assembly=assembly)
    if direction == "up":
        other = siblings.filter(position__lt=item.position).order_by("-position").first()
    elif direction == "down":
        other = siblings.filter(position__gt=item.position).order_by("position").first()
    else:
        raise ValidationError(_("Move an item up or down."))
    if other is None:
        return item
    mine, theirs = item.position, other.position
    # Positions are unique per assembly: park the item on 0 while swapping.
    item.position = 0
    item.save(update_fields=["position"])
    other.position = mine
    other.save(update_fields=["position"])
    item.position = theirs
    item.save(update_fields=["position"])
    _audit(association, actor, "agenda_item_moved", assembly, item=item.pk, position=theirs)
    return item


def validate_document_file(file: File) -> None:
    extension = os.path.splitext(file.name or "")[1].lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("This kind of file is not accepted. Use one of: %(extensions)s.")
                % {"extensions": ", ".join(sorted(e.lstrip(".") for e in DOCUMENT_EXTENSIONS))}
            }
        )
    if file.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {
                    "size": round(file.size / 1024 / 1024, 1),
                    "limit": MAX_DOCUMENT_SIZE // 1024 // 1024,
                }
            }
        )


@transaction.atomic
def document_add(
    *,
    association: Association,
    actor: User,
    assembly: Assembly,
    title: str,
    file: File,
    agenda_item: AgendaItem | None = None,
) -> AgendaDocument:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly, agenda_item)
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        raise ObjectOutsideAssociation
    assembly = _locked(assembly)
    _require_status(
        assembly, S.DRAFT, S.CONVENED, S.OPEN, message=_("Documents are added before closing.")
    )
    validate_document_file(file)
    file.name = os.path.basename(file.name or "")
    document = AgendaDocument(
        association=association, assembly=assembly, agenda_item=agenda_item, title=title, file=file
    )
    document.full_clean(exclude=["association", "assembly", "agenda_item"])
    document.save()
    _audit(association, actor, "document_added", assembly, document=document.pk, title=title)
    return document


@transaction.atomic
def document_delete(*, association: Association, actor: User, document: AgendaDocument) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, document)
    assembly = _locked(document.assembly)
    _agenda_editable(assembly)
    _audit(
        association, actor, "document_deleted", assembly, document=document.pk, title=document.title
    )
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- the roll --------------------------------------------------------------------------------


@transaction.atomic
def roll_set_weights(
    *, association: Association, actor: User, assembly: Assembly, weights: dict[int, int]
) -> int:
    """Federations weight their members' votes: the bureau sets weights after the
    roll is frozen, until the assembly opens."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    _require_status(
        assembly, S.CONVENED, message=_("Weights can be changed only before the assembly opens.")
    )
    entries = RollEntry.objects.select_for_update().filter(assembly=assembly, pk__in=list(weights))
    changed = {}
    for entry in entries:
        weight = weights[entry.pk]
        if weight < 1:
            raise ValidationError(_("A weight is a whole number of at least 1."))
        if entry.weight != weight:
            changed[str(entry.pk)] = [entry.weight, weight]
            entry.weight = weight
    RollEntry.objects.bulk_update([e for e in entries if str(e.pk) in changed], ["weight"])
    if changed:
        _audit(association, actor, "roll_weights_changed", assembly, changes=changed)
    return len(changed)


# --- proxies -----------------------------------------------------------------------------


def max_proxies_for(assembly: Assembly, statutes: Statutes) -> int:
    if assembly.max_proxies_per_holder is not None:
        return assembly.max_proxies_per_holder
    return statutes.max_proxies_per_holder


def _create_proxy(
    *,
    association: Association,
    actor: User,
    assembly: Assembly,
    giver_entry: RollEntry,
    holder_entry: RollEntry | None,
    is_paper: bool,
) -> Proxy:
    ensure_same_association(association, assembly, giver_entry, holder_entry)
    for entry in (giver_entry, holder_entry):
        if entry is not None and entry.assembly_id != assembly.pk:
            raise ObjectOutsideAssociation
    assembly = _locked(assembly)
    _require_status(assembly, S.CONVENED, message=_("Proxies are given before the assembly opens."))
    if not giver_entry.may_vote:
        raise ValidationError(_("Only a member who may vote can give a proxy."))
    if Attendance.objects.filter(entry=giver_entry).exists():
        raise ValidationError(_("A member who is present cannot give a proxy."))
    if Proxy.objects.filter(holder=giver_entry, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("A member holding proxies cannot give their own: proxies cannot be passed on.")
        )
    if Proxy.objects.filter(giver=giver_entry, revoked_at__isnull=True).exists():
        raise ValidationError(_("A proxy has already been given: revoke it first."))
    if holder_entry is not None:
        if holder_entry.pk == giver_entry.pk:
            raise ValidationError({"holder": _("A member cannot hold their own proxy.")})
        if not holder_entry.may_vote:
            raise ValidationError({"holder": _("The holder must be a member who may vote.")})
        # Lock the holder's row, then count their proxies: two members giving their
        # proxy to the same holder at the same time cannot both pass the cap.
        holder_entry = RollEntry.objects.select_for_update().get(pk=holder_entry.pk)
        if Proxy.objects.filter(giver=holder_entry, revoked_at__isnull=True).exists():
            raise ValidationError(
                {"holder": _("This member is represented themself and cannot hold proxies.")}
            )
        held = len(
            Proxy.objects.select_for_update().filter(holder=holder_entry, revoked_at__isnull=True)
        )
        cap = max_proxies_for(assembly, statutes_of(association))
        if held >= cap:
            raise ValidationError(
                {
                    "holder": ngettext(
                        "%(name)s already holds %(count)s proxy, the most allowed. "
                        "Choose another member.",
                        "%(name)s already holds %(count)s proxies, the most allowed. "
                        "Choose another member.",
                        cap,
                    )
                    % {"name": holder_entry.person, "count": cap}
                }
            )
    proxy = Proxy(
        association=association,
        assembly=assembly,
        giver=giver_entry,
        holder=holder_entry,
        is_unnamed=holder_entry is None,
        is_paper=is_paper,
        recorded_by=actor if is_paper else None,
    )
    try:
        with transaction.atomic():
            proxy.save()
    except IntegrityError:
        # one_active_proxy_per_giver: a concurrent request won the race.
        raise ValidationError(_("A proxy has already been given: revoke it first.")) from None
    _audit(
        association,
        actor,
        "proxy_recorded" if is_paper else "proxy_given",
        proxy,
        assembly=assembly.pk,
        giver=giver_entry.pk,
        holder=holder_entry.pk if holder_entry else None,
        unnamed=proxy.is_unnamed,
    )
    return proxy


@transaction.atomic
def proxy_give(
    *,
    association: Association,
    actor: User,
    assembly: Assembly,
    giver_entry: RollEntry,
    holder_entry: RollEntry | None = None,
) -> Proxy:
    """A member gives their own proxy, to a named member or unnamed."""
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    if giver_entry.person.user_id != actor.pk:
        raise PermissionDenied
    return _create_proxy(
        association=association,
        actor=actor,
        assembly=assembly,
        giver_entry=giver_entry,
        holder_entry=holder_entry,
        is_paper=False,
    )


@transaction.atomic
def proxy_record_paper(
    *,
    association: Association,
    actor: User,
    assembly: Assembly,
    giver_entry: RollEntry,
    holder_entry: RollEntry | None = None,
) -> Proxy:
    """The secretary records a signed paper proxy (members without an account)."""
    check_permission(association=association, actor=actor, permission=Perm.RECORD_FOR_MEMBERS)
    return _create_proxy(
        association=association,
        actor=actor,
        assembly=assembly,
        giver_entry=giver_entry,
        holder_entry=holder_entry,
        is_paper=True,
    )


@transaction.atomic
def proxy_revoke(*, association: Association, actor: User, proxy: Proxy) -> Proxy:
    """The giver, or the secretary for them, revokes a proxy until the assembly opens."""
    ensure_same_association(association, proxy)
    proxy = Proxy.objects.select_for_update().select_related("giver__person").get(pk=proxy.pk)
    own = proxy.giver.person.user_id is not None and proxy.giver.person.user_id == actor.pk
    permission = Perm.TAKE_PART if own else Perm.RECORD_FOR_MEMBERS
    check_permission(association=association, actor=actor, permission=permission)
    if proxy.revoked_at is not None:
        raise ValidationError(_("This proxy has already been revoked."))
    assembly = _locked(proxy.assembly)
    _require_status(
        assembly, S.CONVENED, message=_("A proxy can be revoked only until the assembly opens.")
    )
    proxy.revoked_at = timezone.now()
    proxy.save(update_fields=["revoked_at"])
    _audit(association, actor, "proxy_revoked", proxy, assembly=assembly.pk)
    return proxy


# --- attendance -------------------------------------------------------------------------


def _is_assembly_day(assembly: Assembly) -> bool:
    association = assembly.association
    return _local_date(association, assembly.starts_at) == _local_date(association, timezone.now())


def _check_in(
    *, association: Association, actor: User, assembly: Assembly, entry: RollEntry, mode: str
) -> Attendance:
    attendance = Attendance(
        association=association,
        assembly=assembly,
        entry=entry,
        mode=mode,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already checked in.") % {"name": entry.person}
        ) from None
    # Present in person: their own proxy no longer applies.
    revoked = list(
        Proxy.objects.filter(giver=entry, revoked_at__isnull=True).values_list("pk", flat=True)
    )
    Proxy.objects.filter(pk__in=revoked).update(revoked_at=timezone.now())
    _audit(
        association,
        actor,
        "attendance_recorded" if mode == AttendanceMode.ROOM else "attendance_checked_in",
        attendance,
        assembly=assembly.pk,
        entry=entry.pk,
        mode=mode,
        proxies_revoked=revoked,
    )
    return attendance


@transaction.atomic
def attendance_check_in(*, association: Association, actor: User, assembly: Assembly) -> Attendance:
    """A member checks themself in online (online or hybrid assemblies), while the
    assembly is in session or on its day."""
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    ensure_same_association(association, assembly)
    assembly = _locked(assembly)
    if assembly.mode == AssemblyMode.IN_PERSON:
        raise ValidationError(_("This assembly meets in the room: sign the sheet there."))
    if not (
        assembly.status == S.OPEN or (assembly.status == S.CONVENED and _is_assembly_day(assembly))
    ):
        raise ValidationError(_("Check-in opens on the day of the assembly."))
    entry = RollEntry.objects.filter(assembly=assembly, person__user=actor).first()
    if entry is None:
        raise ValidationError(_("You are not on the roll of this assembly."))
    return _check_in(
        association=association,
        actor=actor,
        assembly=assembly,
        entry=entry,
        mode=AttendanceMode.ONLINE,
    )


@transaction.atomic
def attendance_record(
    *, association: Association, actor: User, assembly: Assembly, entry: RollEntry
) -> Attendance:
    """The secretary checks in a person who is in the room."""
    check_permission(association=association, actor=actor, permission=Perm.RECORD_FOR_MEMBERS)
    ensure_same_association(association, assembly, entry)
    if entry.assembly_id != assembly.pk:
        raise ObjectOutsideAssociation
    assembly = _locked(assembly)
    if not (
        assembly.status == S.OPEN or (assembly.status == S.CONVENED and _is_assembly_day(assembly))
    ):
        raise ValidationError(_("Check-in opens on the day of the assembly."))
    return _check_in(
        association=association,
        actor=actor,
        assembly=assembly,
        entry=entry,
        mode=AttendanceMode.ROOM,
    )


# --- CNIL risk assessment ------------------------------------------------------------------


@transaction.atomic
def cnil_assessment_record(
    *, association: Association, actor: User, assembly: Assembly, answers: dict[str, str]
) -> cnil.Assessment:
    """Score the CNIL grid for ``assembly``. Nothing is stored but one audit entry
    holding the answers, the points and the level."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    assessment = cnil.assess(answers)
    audit_log(
        association=association,
        actor=actor,
        action="governance.cnil_assessment",
        obj=assembly,
        data={
            "answers": {code: answers[code] for code in cnil.QUESTION_CODES},
            "points": assessment.points,
            "level": assessment.level,
        },
    )
    return assessment
