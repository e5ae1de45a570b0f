"""A page of the member register is read with SQL compiled once per shape of filters
(``selectors._page_query``): every filter, search and page answers what the plain
queryset of the register (``person_list``) answers, in this association only."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scope, scopes_disabled

from maillon.members.models import Role
from maillon.members.register.selectors import person_list, person_page, person_slice
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db

AT = datetime.date(2025, 6, 1)
PER_PAGE = 3

FILTERS = {
    "search": ["", "lyon", "50%", "a_b", "back\\slash", "ana lyon", "zzz", "a b c d e f"],
    "role": ["", Role.VOLUNTEER, Role.SECRETARY],
    "up_to_date": ["", "yes", "no", "maybe"],
    "joined_year": [None, 2023, 2024],
    "status": ["active", "left", "all", "other"],
}


@pytest.fixture
def register(in_scope, other_association):
    """People whose data every filter tells apart (search words with LIKE's special
    characters among them), and their namesakes in another association."""
    cities = ["Lyon", "50% Lyon", "a_b", "back\\slash", "ab", "Paris"]
    roles = [[Role.MEMBER], [Role.VOLUNTEER], [Role.SECRETARY, Role.MEMBER], []]
    for association in (in_scope, other_association):
        for n in range(14):
            person = PersonFactory(
                association=association,
                first_name=["Ana", "Bob", "Cléo", "Dan"][n % 4],
                last_name=f"Nom{n % 5}",
                city=cities[n % len(cities)],
                joined_on=datetime.date(2022 + n % 3, 1 + n % 12, 1),
                left_on=datetime.date(2025, 1, 1) if n % 5 == 0 else None,
                roles=roles[n % len(roles)],
            )
            if n % 3:
                MembershipPeriodFactory(
                    person=person,
                    fee_paid=n % 3 == 1,
                    start=datetime.date(2025, 1, 1),
                    end=datetime.date(2025, 12, 31),
                )
    return in_scope


def expected_rows(association, filters) -> list[tuple]:
    return [
        (
            p.pk,
            p.first_name,
            p.last_name,
            p.email,
            p.city,
            p.joined_on,
            p.left_on,
            p.is_up_to_date,
            sorted(ra.role for ra in p.role_assignments.all()),
        )
        for p in person_list(association=association, at=AT, **filters)
    ]


def page_rows(page) -> list[tuple]:
    fields = ("pk", "first_name", "last_name", "email", "city", "joined_on", "left_on")
    return [
        (*(getattr(row, f) for f in fields), bool(row.is_up_to_date), row.roles) for row in page
    ]


def test_every_filter_and_page_answers_as_the_register_queryset(register):
    names = list(FILTERS)
    for values in itertools.product(*FILTERS.values()):
        filters = dict(zip(names, values, strict=True))
        expected = expected_rows(register, filters)
        last = max(1, -(-len(expected) // PER_PAGE))
        for number in range(1, last + 2):
            page = person_page(
                association=register, page_number=number, per_page=PER_PAGE, at=AT, **filters
            )
            start = (min(number, last) - 1) * PER_PAGE
            assert page.number == min(number, last), filters
            assert page_rows(page) == expected[start : start + PER_PAGE], (filters, number)
            assert page.paginator.count == len(expected)
            assert page.has_next() == (start + PER_PAGE < len(expected))


def test_the_api_slice_answers_as_the_register_queryset(register):
    for filters in ({}, {"search": "lyon", "role": Role.MEMBER}, {"status": "all"}):
        expected = expected_rows(register, filters)
        for offset in range(len(expected) + 1):
            count, exact, more, rows = person_slice(
                association=register, offset=offset, limit=2, at=AT, **filters
            )
            assert page_rows(rows) == expected[offset : offset + 2]
            assert (count, exact, more) == (len(expected), True, offset + 2 < len(expected))
            assert all(row.notes == "" for row in rows)


def test_a_page_costs_one_query_when_its_count_is_known(register):
    """The compiled page query reads the rows and the register's token in one query;
    the count is taken once and kept for that state of the register."""
    person_page(association=register, page_number=2, per_page=PER_PAGE, at=AT)
    with CaptureQueriesContext(connection) as ctx:
        page = person_page(association=register, page_number=2, per_page=PER_PAGE, at=AT)
    assert len(ctx.captured_queries) == 1
    assert page.paginator.count == len(expected_rows(register, {}))


def test_the_page_keeps_to_the_open_scope(register, other_association):
    """As the scoped managers do: another association's scope shows nothing of this
    one, no scope at all is refused, scopes disabled read the association asked for."""
    expected = expected_rows(register, {})[:PER_PAGE]
    with scope(association=other_association):
        page = person_page(association=register, page_number=1, per_page=PER_PAGE, at=AT)
        assert list(page) == []
        theirs = person_page(association=other_association, page_number=1, per_page=PER_PAGE, at=AT)
        assert {row.pk for row in theirs}.isdisjoint(row[0] for row in expected)
        assert len(theirs) == PER_PAGE
    with scopes_disabled():
        page = person_page(association=register, page_number=1, per_page=PER_PAGE, at=AT)
        assert page_rows(page) == expected
    with scope(association=None):
        page = person_page(association=register, page_number=1, per_page=PER_PAGE, at=AT)
        assert page_rows(page) == expected


def test_without_a_scope_the_page_is_refused(association):
    with pytest.raises(ScopeError):
        person_page(association=association, page_number=1, per_page=PER_PAGE)


def test_an_unknown_filter_is_refused_as_before(register):
    with pytest.raises(TypeError):
        person_page(association=register, page_number=1, per_page=PER_PAGE, colour="red")
