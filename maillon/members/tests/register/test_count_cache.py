"""The register list's count kept per state of the register (register/count_cache.py,
migration members/0011_register_version): the count a page shows is right at once
after any writer changes the people, roles or membership periods it counts."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.members.fees.services import (
    membership_period_add,
    membership_period_cancel,
    membership_period_delete,
)
from maillon.members.imports import services as import_services
from maillon.members.models import MembershipPeriod, Person, Role, RoleAssignment
from maillon.members.register.selectors import person_page
from maillon.members.register.services import person_create, person_leave, person_update
from maillon.members.roles.services import person_set_roles
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.members.tests.imports.files import (
    FRENCH_HEADERS,
    excel_fr_csv,
    person_row,
    prepared_import,
)

pytestmark = pytest.mark.django_db


def shown_count(association, **filters) -> int:
    """The count the list shows (one person per page, so the page never tells it)."""
    page = person_page(association=association, page_number=1, per_page=1, **filters)
    assert not page.paginator.count_is_capped
    return page.paginator.count


def count_queries(association, **filters) -> int:
    with CaptureQueriesContext(connection) as captured:
        shown_count(association, **filters)
    return sum("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


@pytest.fixture
def register(in_scope, admin_user):
    """Three more current members, paid up today, volunteers (the admin is the fourth
    current person)."""
    today = timezone.localdate()
    people = [
        PersonFactory(association=in_scope, last_name=f"Durand{n}", roles=[Role.VOLUNTEER])
        for n in range(3)
    ]
    for person in people:
        MembershipPeriodFactory(person=person, start=today, end=today, fee_paid=True)
    return people


def test_a_count_is_read_once_per_state_of_the_register(in_scope, register):
    assert count_queries(in_scope) == 1
    assert count_queries(in_scope) == 0  # kept
    assert count_queries(in_scope, role=Role.VOLUNTEER) == 1  # other filters, other count
    PersonFactory(association=in_scope)
    assert count_queries(in_scope) == 1  # the register changed


def test_a_person_added_or_leaving_shows_at_once(in_scope, admin_user, register):
    assert shown_count(in_scope) == 4
    person = person_create(association=in_scope, actor=admin_user, first_name="A", last_name="B")
    assert shown_count(in_scope) == 5
    person_leave(association=in_scope, actor=admin_user, person=person)
    assert shown_count(in_scope) == 4
    assert shown_count(in_scope, status="left") == 1


def test_a_renamed_person_changes_the_search_count(in_scope, admin_user, register):
    assert shown_count(in_scope, search="durand") == 3
    person_update(association=in_scope, actor=admin_user, person=register[0], last_name="Martin")
    assert shown_count(in_scope, search="durand") == 2


def test_a_role_given_or_removed_shows_at_once(in_scope, admin_user, register):
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 3
    person_set_roles(
        association=in_scope, actor=admin_user, person=register[0], roles=[Role.MEMBER]
    )
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 2
    person_set_roles(
        association=in_scope,
        actor=admin_user,
        person=register[0],
        roles=[Role.MEMBER, Role.VOLUNTEER],
    )
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 3


def test_a_fee_paid_cancelled_or_deleted_shows_at_once(in_scope, admin_user, register):
    today = timezone.localdate()
    assert shown_count(in_scope, up_to_date="yes") == 3
    assert shown_count(in_scope, up_to_date="no") == 1  # the admin
    admin = Person.objects.get(user=admin_user)
    period = membership_period_add(
        association=in_scope, actor=admin_user, person=admin, start=today, end=today
    )
    assert shown_count(in_scope, up_to_date="yes") == 4
    membership_period_cancel(association=in_scope, actor=admin_user, period=period, reason="x")
    assert shown_count(in_scope, up_to_date="yes") == 3
    other = MembershipPeriod.objects.get(person=register[0])
    membership_period_delete(association=in_scope, actor=admin_user, period=other)
    assert shown_count(in_scope, up_to_date="yes") == 2
    assert shown_count(in_scope, up_to_date="no") == 2


def test_an_import_shows_at_once(in_scope, admin_user, register):
    assert shown_count(in_scope) == 4
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 3
    rows = [FRENCH_HEADERS, person_row(1, **{"Rôle(s)": "Membre, Bénévole"}), person_row(2)]
    member_import = prepared_import(in_scope, admin_user, excel_fr_csv(rows))
    import_services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )
    assert shown_count(in_scope) == 6
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 4


def test_bulk_writes_and_deletes_show_at_once(in_scope, register):
    """Writers that send no signal: bulk_create, QuerySet.update(), delete()."""
    assert shown_count(in_scope) == 4
    assert shown_count(in_scope, joined_year=2001) == 0
    new, _other = Person.objects.bulk_create(
        [Person(association=in_scope, first_name="X", last_name=f"Y{n}") for n in range(2)]
    )
    assert shown_count(in_scope) == 6
    Person.objects.filter(pk=register[0].pk).update(joined_on=datetime.date(2001, 1, 1))
    assert shown_count(in_scope, joined_year=2001) == 1
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 3
    RoleAssignment.objects.bulk_create(  # INSERT OR IGNORE on SQLite, ON CONFLICT elsewhere
        [
            RoleAssignment(association=in_scope, person=register[0], role=Role.VOLUNTEER),
            RoleAssignment(association=in_scope, person=new, role=Role.VOLUNTEER),
        ],
        ignore_conflicts=True,
    )
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 4
    RoleAssignment.objects.filter(person__in=[register[1], new]).delete()
    assert shown_count(in_scope, role=Role.VOLUNTEER) == 2
    assert shown_count(in_scope, up_to_date="yes") == 3
    MembershipPeriod.objects.filter(person=register[2]).update(fee_paid=False)
    assert shown_count(in_scope, up_to_date="yes") == 2
    with scopes_disabled():
        register[0].delete()  # cascades to the person's roles and periods
    assert shown_count(in_scope) == 5


def test_a_change_rolled_back_leaves_the_count_right(in_scope, register):
    assert shown_count(in_scope) == 4
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(association=in_scope)
        assert shown_count(in_scope) == 5  # counted inside the transaction
        raise RuntimeError
    assert shown_count(in_scope) == 4
    PersonFactory(association=in_scope)
    assert shown_count(in_scope) == 5


def test_another_association_keeps_its_own_count(in_scope, register, other_association):
    assert shown_count(in_scope) == 4
    PersonFactory.create_batch(2, association=other_association)
    assert count_queries(in_scope) == 0
    assert shown_count(in_scope) == 4
