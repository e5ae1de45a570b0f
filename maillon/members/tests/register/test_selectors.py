"""Reads of the member register: filters, search and the access helper that answers
404 outside the association."""

import datetime

import pytest
from django.http import Http404
from django_scopes import scope

from maillon.members.models import Role
from maillon.members.register.selectors import person_get, person_list, person_page, person_slice
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db


YEAR_2025 = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}


def names(qs) -> list[str]:
    return [p.last_name for p in qs]


@pytest.fixture
def people(in_scope, other_association):
    """A small register, plus a namesake in another association."""
    ana = PersonFactory(
        association=in_scope,
        first_name="Ana",
        last_name="Blanc",
        email="ana@example.org",
        city="Lyon",
        joined_on=datetime.date(2023, 5, 1),
        roles=[Role.MEMBER, Role.SECRETARY],
    )
    MembershipPeriodFactory(person=ana, **YEAR_2025)
    bob = PersonFactory(
        association=in_scope,
        first_name="Bob",
        last_name="Noir",
        city="Villeurbanne",
        joined_on=datetime.date(2024, 2, 1),
        roles=[Role.VOLUNTEER],
    )
    MembershipPeriodFactory(person=bob, fee_paid=False, **YEAR_2025)
    PersonFactory(
        association=in_scope,
        last_name="Vert",
        joined_on=datetime.date(2020, 1, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    PersonFactory(association=other_association, first_name="Ana", last_name="Blanc")
    return ana, bob


def test_the_default_list_is_current_members_sorted_by_name(in_scope, people):
    assert names(person_list(association=in_scope)) == ["Blanc", "Noir"]
    assert names(person_list(association=in_scope, status="left")) == ["Vert"]
    assert names(person_list(association=in_scope, status="all")) == ["Blanc", "Noir", "Vert"]


def test_search_matches_every_word_on_name_email_or_city(in_scope, people):
    assert names(person_list(association=in_scope, search="ana lyon")) == ["Blanc"]
    assert names(person_list(association=in_scope, search="ANA@EXAMPLE")) == ["Blanc"]
    assert names(person_list(association=in_scope, search="villeur")) == ["Noir"]
    assert names(person_list(association=in_scope, search="ana villeurbanne")) == []


def test_role_and_joined_year_filters(in_scope, people):
    assert names(person_list(association=in_scope, role=Role.SECRETARY)) == ["Blanc"]
    assert names(person_list(association=in_scope, role=Role.VOLUNTEER)) == ["Noir"]
    assert names(person_list(association=in_scope, role=Role.ADMIN)) == []
    assert names(person_list(association=in_scope, joined_year=2024)) == ["Noir"]


def test_person_get_answers_404_outside_the_association(association, other_association):
    mine = PersonFactory(association=association)
    theirs = PersonFactory(association=other_association)
    with scope(association=association):
        assert person_get(association=association, person_id=str(mine.pk)) == mine
        for wrong in (theirs.pk, "abc", None, 10**9):
            with pytest.raises(Http404):
                person_get(association=association, person_id=wrong)


def test_register_search_ignores_accents_and_case(association):
    PersonFactory(association=association, first_name="Élise", last_name="Lefèvre", city="Orléans")
    PersonFactory(association=association, first_name="Bruno", last_name="Martin")
    with scope(association=association):
        for query in ("elise", "ÉLISE", "lefevre orleans", "Lefèvre"):
            found = [p.first_name for p in person_list(association=association, search=query)]
            assert found == ["Élise"], query


def test_a_page_reads_each_row_with_its_sorted_roles_and_fee_status(in_scope, people):
    """One query gives the rows: roles aggregated in SQL (ARRAY on PostgreSQL,
    group_concat on SQLite), fee status per row; nothing from another association."""
    at = datetime.date(2025, 6, 1)
    page = person_page(association=in_scope, page_number=1, per_page=50, at=at)
    rows = {row.last_name: row for row in page}
    assert list(rows) == ["Blanc", "Noir"]
    assert rows["Blanc"].roles == [Role.MEMBER, Role.SECRETARY]
    assert rows["Noir"].roles == [Role.VOLUNTEER]
    assert rows["Blanc"].is_up_to_date and not rows["Noir"].is_up_to_date
    assert rows["Blanc"].pk == people[0].pk and rows["Blanc"].city == "Lyon"
    assert page.paginator.count == 2 and not page.has_next()

    count, exact, more, api_rows = person_slice(
        association=in_scope, offset=1, limit=1, at=at, status="all"
    )
    assert (count, exact, more) == (3, True, True)
    assert [row.last_name for row in api_rows] == ["Noir"]
    assert api_rows[0].consent_directory is False and api_rows[0].notes == ""
