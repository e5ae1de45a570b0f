"""The fee schedule: fee types, the period rule, and recording or importing a fee
under the rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.fees.selectors import is_up_to_date
from maillon.members.fees.services import (
    fee_schedule_update,
    fee_type_save,
    membership_period_add,
    membership_period_cancel,
)
from maillon.members.imports import services as imports
from maillon.members.models import FeeSchedule, MembershipPeriod, Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.members.tests.imports.files import (
    FRENCH_HEADERS,
    excel_fr_csv,
    person_row,
    prepared_import,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def season_club(in_scope, admin_user):
    fee_schedule_update(
        association=in_scope,
        actor=admin_user,
        period_rule="season",
        season_start_month=9,
        season_start_day=1,
    )
    return in_scope


def test_a_fee_recorded_without_dates_covers_the_clubs_season(season_club, admin_user):
    person = PersonFactory(association=season_club)
    period = membership_period_add(
        association=season_club,
        actor=admin_user,
        person=person,
        paid_on=D(2026, 10, 3),
        amount=Decimal("30"),
        method="cheque",
    )
    assert (period.start, period.end) == (D(2026, 9, 1), D(2027, 8, 31))
    assert is_up_to_date(person=person, at=D(2027, 8, 31))
    assert not is_up_to_date(person=person, at=D(2027, 9, 1))
    # Paid again in August: the next season, not the same one twice.
    renewal = membership_period_add(
        association=season_club, actor=admin_user, person=person, paid_on=D(2027, 8, 20)
    )
    assert (renewal.start, renewal.end) == (D(2027, 9, 1), D(2028, 8, 31))


def test_fee_types_fixed_and_free_with_a_minimum(in_scope, admin_user):
    full = fee_type_save(
        association=in_scope, actor=admin_user, name="Plein tarif", kind="full", amount=Decimal(25)
    )
    free = fee_type_save(
        association=in_scope,
        actor=admin_user,
        name="Soutien",
        kind="full",
        pricing="free",
        minimum_amount=Decimal(10),
    )
    person = PersonFactory(association=in_scope)
    period = membership_period_add(
        association=in_scope, actor=admin_user, person=person, fee_type=full, amount=None
    )
    assert period.amount == Decimal(25)
    with pytest.raises(ValidationError) as refused:
        membership_period_add(
            association=in_scope, actor=admin_user, person=person, fee_type=free, amount=Decimal(5)
        )
    assert "amount" in refused.value.error_dict
    assert AuditEntry.objects.filter(action="members.fee_type_created").count() == 2


def test_a_member_may_not_change_the_schedule(in_scope, association):
    member = member_with_account(association, [Role.MEMBER])
    with pytest.raises(PermissionDenied):
        fee_schedule_update(association=in_scope, actor=member, period_rule="rolling")


def test_a_season_starting_on_29_february_is_refused(in_scope, admin_user):
    with pytest.raises(ValidationError):
        fee_schedule_update(
            association=in_scope,
            actor=admin_user,
            period_rule="season",
            season_start_month=2,
            season_start_day=29,
        )


def test_a_cancelled_fee_no_longer_counts(season_club, admin_user):
    person = PersonFactory(association=season_club)
    period = membership_period_add(
        association=season_club, actor=admin_user, person=person, paid_on=D(2026, 10, 3)
    )
    membership_period_cancel(
        association=season_club, actor=admin_user, period=period, reason="Remboursé"
    )
    membership_period_cancel(
        association=season_club, actor=admin_user, period=period, reason="Remboursé"
    )
    assert not is_up_to_date(person=person, at=D(2026, 12, 1))
    assert AuditEntry.objects.filter(action="members.fee_cancelled").count() == 1


def test_an_imported_paid_fee_covers_the_season(season_club, admin_user, monkeypatch):
    monkeypatch.setattr(imports.timezone, "localdate", lambda: D(2026, 12, 6))
    rows = [FRENCH_HEADERS, person_row(1)]
    member_import = prepared_import(season_club, admin_user, excel_fr_csv(rows))
    imports.member_import_confirm(
        association=season_club, actor=admin_user, member_import=member_import
    )
    period = MembershipPeriod.objects.get(person__email="helene.1@example.org")
    assert (period.start, period.end, period.paid_on) == (
        D(2026, 9, 1),
        D(2027, 8, 31),
        D(2026, 12, 6),
    )


def test_the_schedule_page(admin_client, association):
    url = reverse("members:fee_schedule", kwargs={"association_slug": association.slug})
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "period_rule": "season",
            "season_start_day": 1,
            "season_start_month": 9,
            "reminders_enabled": "on",
            "remind_days_before": 30,
            "remind_again_after_days": 30,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert FeeSchedule.objects.get(association=association).period_rule == "season"
    create = reverse("members:fee_type_create", kwargs={"association_slug": association.slug})
    response = admin_client.post(
        create, {"name": "Tarif réduit", "kind": "reduced", "pricing": "fixed", "amount": "10"}
    )
    assert response.status_code == 302
    assert "Tarif réduit" in admin_client.get(url).content.decode()
