"""The accounting journal of a year: fees, donations and contributions in kind, as
double-entry lines (date, account, label, debit, credit, piece) with the
association's chart-of-accounts mapping. Columns are documented in docs/funding.md.

Every entry is two lines of the same piece: the debit, then the credit.
  - a gift of money: debit the payment account (bank, cash...), credit 754;
  - a gift in kind: debit 860 (use), credit 870 (contribution in kind);
  - waived expenses: debit the expense given up (625), credit 754;
  - a paid membership fee: debit the payment account, credit 756.
Cancelled gifts are left out."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.members.models import MembershipPeriod
from maillon.members.register.exports import CSV_DELIMITER, safe_cell

from ..models import Donation, DonationStatus, FundingSettings, Method, Nature

PAYMENT_ACCOUNT = {
    Method.CASH: "cash",
    Method.CHEQUE: "cheque",
    Method.TRANSFER: "bank",
    Method.CARD: "bank",
    Method.HELLOASSO: "helloasso",
    "online": "helloasso",  # a membership fee paid online
    "other": "bank",
}


@dataclass(frozen=True)
class Line:
    date: datetime.date
    account: str
    label: str
    debit: Decimal
    credit: Decimal
    piece: str


def headers() -> list[str]:
    return [_("Date"), _("Account"), _("Label"), _("Debit"), _("Credit"), _("Piece")]


def _entry(date, debit_account, credit_account, label, amount, piece) -> tuple[Line, Line]:
    zero = Decimal("0")
    return (
        Line(date, debit_account, label, amount, zero, piece),
        Line(date, credit_account, label, zero, amount, piece),
    )


def donation_lines(settings: FundingSettings, donation: Donation) -> tuple[Line, Line]:
    donor = donation.donor.display_name
    piece = donation.receipt.number if donation.receipt_id else f"DON-{donation.pk}"
    if donation.nature == Nature.IN_KIND:
        label = _("Gift in kind — %(donor)s") % {"donor": donor}
        return _entry(
            donation.date,
            settings.account("in_kind_use"),
            settings.account("in_kind_resource"),
            label,
            donation.amount,
            piece,
        )
    if donation.nature == Nature.WAIVED_EXPENSES:
        label = _("Waived expenses — %(donor)s") % {"donor": donor}
        return _entry(
            donation.date,
            settings.account("waived_expenses"),
            settings.account("donations"),
            label,
            donation.amount,
            piece,
        )
    label = _("Gift — %(donor)s") % {"donor": donor}
    payment = settings.account(PAYMENT_ACCOUNT.get(donation.method, "bank"))
    return _entry(
        donation.date, payment, settings.account("donations"), label, donation.amount, piece
    )


def journal_lines(
    *, association: Association, settings: FundingSettings, year: int
) -> Iterator[Line]:
    """Every line of ``year``, in date order (fees and gifts merged)."""
    entries: list[tuple[datetime.date, int, tuple[Line, Line]]] = []
    donations = (
        Donation.objects.filter(
            association=association, date__year=year, status=DonationStatus.RECORDED
        )
        .select_related("donor", "receipt")
        .order_by("date", "pk")
    )
    for donation in donations.iterator(chunk_size=2000):
        entries.append((donation.date, 1, donation_lines(settings, donation)))
    fees = (
        MembershipPeriod.objects.filter(association=association, fee_paid=True, amount__gt=0)
        .filter(paid_on__year=year)
        .select_related("person")
        .order_by("paid_on", "pk")
    )
    for fee in fees.iterator(chunk_size=2000):
        label = _("Membership fee — %(name)s") % {
            "name": f"{fee.person.first_name} {fee.person.last_name}"
        }
        payment = settings.account(PAYMENT_ACCOUNT.get(fee.method, "bank"))
        entries.append(
            (
                fee.paid_on,
                0,
                _entry(
                    fee.paid_on,
                    payment,
                    settings.account("fees"),
                    label,
                    fee.amount,
                    f"COT-{fee.pk}",
                ),
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    for _date, _kind, pair in entries:
        yield from pair


def _amount(value: Decimal) -> str:
    # French accounting tools read a decimal comma, whatever the reader's language.
    return f"{value:.2f}".replace(".", ",") if value else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def journal_csv(lines: Iterator[Line]) -> Iterator[str]:
    """The journal as CSV (UTF-8 with BOM, ";"), cells that a spreadsheet would run as
    formulas defused."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff"
    yield writer.writerow(headers())
    for line in lines:
        yield writer.writerow(
            [
                safe_cell(v)
                for v in (
                    line.date.strftime("%d/%m/%Y"),
                    line.account,
                    line.label,
                    _amount(line.debit),
                    _amount(line.credit),
                    line.piece,
                )
            ]
        )
