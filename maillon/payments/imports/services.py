"""Pulling the orders of the association's HelloAsso membership and donation forms,
and reconciling their payers with the register.

Each order is stored once (``ImportedOrder`` unique per association); an order that
cannot be read is kept with its error and the pull goes on. A membership order whose
payer is found (remembered payer email, email, name and postal code) records the fee
under the association's period rule; the others wait on the reconciliation page,
where the treasurer picks the member (the payer email is then remembered) or sends
them to the member import's preview."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association, in_association_scope
from maillon.members.fees.services import membership_period_add
from maillon.members.imports.services import member_import_set_mapping, member_import_upload
from maillon.members.models import MemberImport, PaymentMethod, Person
from maillon.members.payers.selectors import person_for_payer
from maillon.members.payers.services import payer_alias_remember
from maillon.members.permissions import Perm, check_permission

from ..models import FormKind, ImportedOrder, ImportStatus, ProviderAccount
from ..selectors import client_for, provider_account_of

HELLOASSO_FORM_TYPES: dict[str, str] = {
    FormKind.MEMBERSHIP: "Membership",
    FormKind.DONATION: "Donation",
}
MAX_PAGES = 200


@in_association_scope
def helloasso_orders_pull(*, association: Association) -> dict[str, int]:
    """Read every order of the configured forms not pulled yet. Returns counts."""
    account = provider_account_of(association=association)
    counts = {"new": 0, "matched": 0, "errors": 0}
    if account is None:
        return counts
    for kind, slug in (
        (FormKind.MEMBERSHIP, account.membership_form_slug),
        (FormKind.DONATION, account.donation_form_slug),
    ):
        if slug:
            _pull_form(association, account, kind, slug, counts)
    if counts["new"]:
        audit_log(
            association=association,
            actor=None,
            action="payments.helloasso_orders_pulled",
            data=counts,
        )
    return counts


def _pull_form(association, account: ProviderAccount, kind: str, slug: str, counts) -> None:
    client = client_for(account)
    known = set(
        ImportedOrder.objects.filter(association=association).values_list(
            "provider_order_id", flat=True
        )
    )
    continuation = ""
    for _page in range(MAX_PAGES):
        answer = client.form_orders(
            account.organization_slug, HELLOASSO_FORM_TYPES[kind], slug, continuation
        )
        for order in answer.get("data") or []:
            order_id = str(order.get("id", "")) if isinstance(order, dict) else ""
            if not order_id or order_id in known:
                continue
            known.add(order_id)
            imported = _store(association, kind, order_id, order)
            if imported is None:
                continue
            counts["new"] += 1
            counts["errors"] += imported.status == ImportStatus.ERROR
            counts["matched"] += imported.status == ImportStatus.MATCHED
        continuation = str((answer.get("pagination") or {}).get("continuationToken") or "")
        if not continuation or not answer.get("data"):
            return


def _store(association, kind: str, order_id: str, order: dict) -> ImportedOrder | None:
    imported = ImportedOrder(association=association, provider_order_id=order_id, form_kind=kind)
    try:
        _read(imported, order)
        imported.full_clean(exclude=["association", "person"])
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as error:
        imported = ImportedOrder(
            association=association,
            provider_order_id=order_id,
            form_kind=kind,
            status=ImportStatus.ERROR,
            error=_("This order cannot be read: %(reason)s") % {"reason": _reason(error)},
        )
    try:
        with transaction.atomic():
            imported.save()
            if imported.status == ImportStatus.UNMATCHED and kind == FormKind.MEMBERSHIP:
                person, _how = person_for_payer(
                    association=association,
                    email=imported.payer_email,
                    first_name=imported.payer_first_name,
                    last_name=imported.payer_last_name,
                    postal_code=imported.payer_postal_code,
                )
                if person is not None:
                    _record_fee(association, None, imported, person)
    except IntegrityError:
        return None  # pulled meanwhile
    return imported


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)[:200]
    return error.__class__.__name__


def _read(imported: ImportedOrder, order: dict[str, Any]) -> None:
    payer = order.get("payer") or {}
    if not isinstance(payer, dict):
        raise ValueError("payer")
    amount = order.get("amount") or {}
    imported.amount_cents = int(amount.get("total", 0) if isinstance(amount, dict) else amount)
    date = parse_datetime(str(order.get("date") or ""))
    if date is not None and timezone.is_naive(date):
        date = timezone.make_aware(date, datetime.UTC)
    imported.order_date = date
    imported.payer_email = str(payer.get("email") or "").strip()
    imported.payer_first_name = str(payer.get("firstName") or "").strip()[:100]
    imported.payer_last_name = str(payer.get("lastName") or "").strip()[:100]
    imported.payer_postal_code = str(payer.get("zipCode") or "").strip()[:10]
    imported.payer_city = str(payer.get("city") or "").strip()[:100]
    if not (imported.payer_last_name or imported.payer_email):
        raise ValidationError(_("The payer has neither a name nor an email address."))
    imported.status = (
        ImportStatus.UNMATCHED if imported.form_kind == FormKind.MEMBERSHIP else ImportStatus.KEPT
    )


def _record_fee(association, actor, imported: ImportedOrder, person: Person) -> None:
    paid_on = timezone.localdate(imported.order_date) if imported.order_date else None
    period = membership_period_add(
        association=association,
        actor=actor,
        person=person,
        amount=Decimal(imported.amount_cents) / 100,
        method=PaymentMethod.ONLINE,
        paid_on=paid_on or timezone.localdate(),
        note=f"HelloAsso {imported.provider_order_id}",
    )
    imported.person, imported.period_id = person, period.pk
    imported.status = ImportStatus.MATCHED
    imported.save(update_fields=["person", "period_id", "status"])


@transaction.atomic
def imported_order_match(
    *, association: Association, actor: User, imported: ImportedOrder, person: Person
) -> ImportedOrder:
    """The treasurer says who paid: the fee is recorded, the payer email remembered."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, imported, person)
    imported = ImportedOrder.objects.select_for_update().get(pk=imported.pk)
    if imported.status != ImportStatus.UNMATCHED:
        raise ValidationError(_("This order has already been reconciled."))
    _record_fee(association, actor, imported, person)
    payer_alias_remember(
        association=association, actor=actor, person=person, email=imported.payer_email
    )
    return imported


IMPORT_HEADERS = ["Nom", "Prénom", "Email", "Code postal", "Ville", "Montant de la cotisation"]


@transaction.atomic
def unmatched_orders_to_member_import(
    *, association: Association, actor: User
) -> MemberImport | None:
    """The payers nobody matched, as a member import: its preview checks every row and
    lists the errors before anything is written."""
    check_permission(association=association, actor=actor, permission=Perm.IMPORT_MEMBERS)
    orders = list(
        ImportedOrder.objects.select_for_update().filter(
            association=association,
            status=ImportStatus.UNMATCHED,
            form_kind=FormKind.MEMBERSHIP,
        )
    )
    if not orders:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(IMPORT_HEADERS)
    for order in orders:
        writer.writerow(
            [
                order.payer_last_name,
                order.payer_first_name,
                order.payer_email,
                order.payer_postal_code,
                order.payer_city,
                f"{order.amount:.2f}".replace(".", ","),
            ]
        )
    upload = ContentFile(buffer.getvalue().encode(), name="helloasso-adhesions.csv")
    member_import = member_import_upload(association=association, actor=actor, uploaded_file=upload)
    member_import = member_import_set_mapping(
        association=association,
        actor=actor,
        member_import=member_import,
        mapping=member_import.mapping,
    )
    ImportedOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        status=ImportStatus.TO_IMPORT
    )
    return member_import
