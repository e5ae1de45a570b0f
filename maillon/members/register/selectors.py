"""Reads of the member register: the filtered, paginated list and one person."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, TextField
from django.db.models.lookups import Contains
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.db.compiled import CompiledValues, Prepare
from maillon.core.tenancy import open_association_scope
from maillon.core.text import fold

from ..fees.selectors import up_to_date_q
from ..models import MembershipPeriod, Person, RoleAssignment
from . import count_cache


@dataclass(frozen=True)
class _Filters:
    """The register's filters as its query reads them (see :func:`person_list`)."""

    words: tuple[str, ...] = ()
    role: str = ""
    up_to_date: str = ""
    joined_between: tuple[datetime.date, datetime.date] | None = None
    status: str = "active"

    @classmethod
    def of(
        cls,
        *,
        search: str = "",
        role: str = "",
        up_to_date: str = "",
        joined_year: int | None = None,
        status: str = "active",
    ) -> _Filters:
        return cls(
            words=tuple(fold(search).split()[:5]),
            role=role,
            up_to_date=up_to_date,
            # What ``joined_on__year=`` makes of a year on a date column.
            joined_between=(
                (datetime.date(joined_year, 1, 1), datetime.date(joined_year, 12, 31))
                if joined_year
                else None
            ),
            status=status,
        )

    def shape(self) -> tuple[str, int, bool, str, bool]:
        """What the register's SQL depends on; the values are its parameters."""
        return (
            self.status if self.status in ("active", "left") else "all",
            len(self.words),
            bool(self.role),
            self.up_to_date if self.up_to_date in ("yes", "no") else "",
            self.joined_between is not None,
        )

    def parameters(self) -> dict[str, Any]:
        """The values of the register's query of this shape (see :func:`_page_query`)."""
        values: dict[str, Any] = {f"word_{n}": word for n, word in enumerate(self.words)}
        if self.role:
            values["role"] = self.role
        if self.joined_between:
            values["joined_from"], values["joined_to"] = self.joined_between
        return values


def _register(*, association: Association, at: datetime.date, **filters: Any) -> QuerySet[Person]:
    """The register's filters and order, without row data (for ids and counts)."""
    return _register_query(association_id=association.pk, at=at, filters=_Filters.of(**filters))


def _register_query(
    *, association_id: int, at: datetime.date, filters: _Filters
) -> QuerySet[Person]:
    qs = Person.objects.filter(association=association_id)
    if filters.status == "active":
        qs = qs.filter(left_on__isnull=True)
    elif filters.status == "left":
        qs = qs.filter(left_on__isnull=False)
    for word in filters.words:
        qs = qs.filter(search_text__contains=word)
    if filters.role:
        qs = qs.filter(
            Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role=filters.role))
        )
    if filters.up_to_date == "yes":
        qs = qs.filter(up_to_date_q(at))
    elif filters.up_to_date == "no":
        qs = qs.exclude(up_to_date_q(at))
    if filters.joined_between:
        qs = qs.filter(joined_on__range=filters.joined_between)
    return qs.order_by("last_name", "first_name", "id")


def _with_row_data(qs: QuerySet[Person], *, at: datetime.date) -> QuerySet[Person]:
    """What a row of the register shows: fee status at ``at`` and roles."""
    return qs.annotate(
        is_up_to_date=Exists(
            MembershipPeriod.objects.filter(
                person=OuterRef("pk"), fee_paid=True, start__lte=at, end__gte=at
            )
        )
    ).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )


def person_list(
    *, association: Association, at: datetime.date | None = None, **filters: Any
) -> QuerySet[Person]:
    """The member register, filtered, with fee status and roles (exports, API,
    counts). Filters: search, role, up_to_date ("yes", "no" or ""), joined_year,
    status ("active", "left", "all")."""
    at = at or timezone.localdate()
    return _with_row_data(_register(association=association, at=at, **filters), at=at)


# Beyond this many matching people, the register says "more than 10,000" instead of
# counting them all on every page (a full count of 100,000 people costs 10-30 ms of
# PostgreSQL per page view; a capped one reads at most this many index entries).
EXACT_COUNT_UP_TO = 10_000
# A page number beyond this is read as this one (then as the last page): an OFFSET
# past 64 bits is an error in SQLite and PostgreSQL alike.
MAX_PAGE_NUMBER = 100_000


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the exact count up to ``cap`` (default
    :data:`EXACT_COUNT_UP_TO`), else (``cap``, False), meaning "more than ``cap``"."""
    cap = EXACT_COUNT_UP_TO if cap is None else cap
    count = qs.order_by().values("pk")[: cap + 1].count()
    return (count, True) if count <= cap else (cap, False)


def _register_count(
    association: Association,
    register: Callable[[], QuerySet[Person]],
    token: Any,
    filters: Hashable,
) -> tuple[int, bool]:
    """:func:`capped_count` of the register (built by ``register`` when it must be
    counted), kept per process for the register's state (``token``, read with the
    page: see :mod:`.count_cache`)."""
    cap = EXACT_COUNT_UP_TO
    db = Person.objects.db
    if token is not None:
        found = count_cache.get(count_cache.cache_key(db, association.pk, token, filters))
        if found is not None:
            return found
    count, counted_token = count_cache.count_and_token(register(), association.pk, cap)
    result = (count, True) if count <= cap else (cap, False)
    if counted_token is not None:
        count_cache.put(count_cache.cache_key(db, association.pk, counted_token, filters), result)
    return result


def _filters_key(at: datetime.date, filters: dict[str, Any]) -> Hashable:
    return (at, tuple(sorted(filters.items())))


class RoleCodes(Subquery):
    """A person's role codes in one column of the row's own query (instead of a
    prefetch building a model instance per role): ``ARRAY(SELECT role ... ORDER BY
    role)`` on PostgreSQL, a comma-separated ``group_concat`` elsewhere.
    :func:`role_list` reads either."""

    def __init__(self) -> None:
        super().__init__(
            RoleAssignment.objects.filter(person_id=OuterRef("pk")).order_by("role").values("role"),
            output_field=TextField(),
        )

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"ARRAY{sql}", params

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        # ``sql`` is Django's compiled subquery; its values travel in ``params``.
        return f"(SELECT group_concat(role, ',') FROM {sql})", params  # noqa: S608


def role_list(value: list[str] | str | None) -> list[str]:
    """The role codes of :class:`RoleCodes`, sorted."""
    if not value:
        return []
    return sorted(value.split(",") if isinstance(value, str) else value)


# What a row of the register (the page and the API) shows. The API adds ROW_DETAILS.
ROW_FIELDS = ("id", "first_name", "last_name", "email", "city", "joined_on", "left_on")
ROW_DETAILS = (
    "phone",
    "address",
    "postal_code",
    "birth_date",
    "notes",
    "consent_newsletter",
    "consent_directory",
)


class RegisterRow:
    """One person of a register page, read as plain values (no model instance, no
    prefetch): the fields of ``ROW_FIELDS`` (and ``ROW_DETAILS`` when asked for),
    ``pk``, ``is_up_to_date`` and ``roles`` (sorted codes)."""

    id: int
    first_name: str
    last_name: str
    email: str
    city: str
    joined_on: datetime.date
    left_on: datetime.date | None
    phone: str
    address: str
    postal_code: str
    birth_date: datetime.date | None
    notes: str
    consent_newsletter: bool
    consent_directory: bool
    is_up_to_date: bool

    def __init__(self, values: dict[str, Any]):
        roles = values.pop("role_codes", None)
        self.__dict__.update(values)
        self.pk = values["id"]
        self.roles = role_list(roles)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


def _rows_query(
    register: QuerySet[Person],
    *,
    association_id: int,
    at: datetime.date,
    offset: int,
    size: int,
    details: bool,
) -> QuerySet[Person, dict[str, Any]]:
    """Rows offset..offset+size of the register with what a row shows, in one query:
    the window's ids are a subquery of the rows' query, so the fee status is computed
    for those rows only; the register's token comes along (see :mod:`.count_cache`)."""
    fields = ROW_FIELDS + ROW_DETAILS if details else ROW_FIELDS
    return (
        Person.objects.filter(
            association=association_id, pk__in=register.values("pk")[offset : offset + size]
        )
        .annotate(
            is_up_to_date=Exists(
                MembershipPeriod.objects.filter(
                    person=OuterRef("pk"), fee_paid=True, start__lte=at, end__gte=at
                )
            ),
            role_codes=RoleCodes(),
            register_token=count_cache.token_expression(association_id),
        )
        .order_by("last_name", "first_name", "id")
        .values(*fields, "is_up_to_date", "role_codes", "register_token")
    )


def _date_parameter(value: datetime.date, connection) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _contains_parameter(word: str, connection) -> str:
    return Contains.param_pattern % connection.ops.prep_for_like_query(word)


# Values no association id, day, window, search word, role or year takes (see
# maillon.core.db.compiled).
_SAMPLES: dict[str, Any] = {
    "association_id": -7_654_321,
    "at": datetime.date(1902, 3, 4),
    "offset": 987_654_321,
    "size": 123_456_789,
}
_SAMPLE_SCOPE = -7_654_322
_SAMPLE_WORDS = tuple(f"zqxsampleword{n}" for n in range(5))
_SAMPLE_ROLE = "zqx-sample-role"
_SAMPLE_JOINED = (datetime.date(1903, 5, 6), datetime.date(1904, 7, 8))
_page_queries: dict[Hashable, CompiledValues] = {}


def _sample_filters(shape: tuple[str, int, bool, str, bool]) -> _Filters:
    status, word_count, has_role, up_to_date, has_joined = shape
    return _Filters(
        words=_SAMPLE_WORDS[:word_count],
        role=_SAMPLE_ROLE if has_role else "",
        up_to_date=up_to_date,
        joined_between=_SAMPLE_JOINED if has_joined else None,
        status=status,
    )


def _page_query(
    shape: tuple[str, int, bool, str, bool], details: bool, scoped: bool
) -> CompiledValues:
    """:func:`_rows_query` for filters of ``shape``, its SQL built once per process
    (building and compiling it cost more CPU than the rest of the page's queries).
    ``scoped``: built in a (sample) association scope, whose filters the scoped
    managers add, the scope's id then being the ``scope_id`` parameter."""
    query = _page_queries.get((shape, details, scoped))
    if query is None:
        sample = _sample_filters(shape)

        def build(
            *, association_id, at, offset, size, scope_id=None, **_
        ) -> QuerySet[Person, dict[str, Any]]:
            # A None scope adds no filter, as disabled scopes (django-scopes).
            with scope(association=scope_id):
                register = _register_query(association_id=association_id, at=at, filters=sample)
                return _rows_query(
                    register,
                    association_id=association_id,
                    at=at,
                    offset=offset,
                    size=size,
                    details=details,
                )

        parameters = sample.parameters()
        if scoped:
            parameters["scope_id"] = _SAMPLE_SCOPE
        prepare: dict[str, Prepare] = {
            name: _contains_parameter for name in parameters if name.startswith("word_")
        }
        prepare.update(dict.fromkeys(("at", "joined_from", "joined_to"), _date_parameter))
        query = CompiledValues(
            build, prepare=prepare, literals=("offset", "size"), **_SAMPLES, **parameters
        )
        _page_queries[(shape, details, scoped)] = query
    return query


def _page_values(
    association: Association,
    filters: _Filters,
    *,
    at: datetime.date,
    offset: int,
    size: int,
    details: bool,
) -> list[dict[str, Any]]:
    """What :func:`_rows_query` gives for these filters, in the open scope."""
    scope_id = open_association_scope()
    values = filters.parameters()
    if scope_id is not None:
        values["scope_id"] = scope_id
    query = _page_query(filters.shape(), details, scoped=scope_id is not None)
    return query(association_id=association.pk, at=at, offset=offset, size=size, **values)


def _window_and_count(
    association: Association,
    filters: _Filters,
    *,
    at: datetime.date,
    offset: int,
    limit: int,
    filters_key: Hashable,
    details: bool = False,
) -> tuple[list[RegisterRow], bool, int, bool]:
    """Rows offset..offset+limit of the register (:func:`_rows_query`), whether more
    rows follow (one more row is read), and the (capped) count. The count query is
    skipped when the rows already tell: a short page ends the register (exact), a
    page reaching past the cap means "more than the cap". Otherwise the count is the
    one kept for the register's state (its token, read by the rows' query), if any."""
    values_list = _page_values(
        association, filters, at=at, offset=offset, size=limit + 1, details=details
    )
    token = values_list[0]["register_token"] if values_list else None
    rows = []
    for values in values_list:
        del values["register_token"]
        rows.append(RegisterRow(values))
    more = len(rows) > limit
    rows = rows[:limit]
    if not more and (rows or offset == 0):
        return rows, more, offset + len(rows), True
    if offset + len(rows) > EXACT_COUNT_UP_TO:
        return rows, more, EXACT_COUNT_UP_TO, False
    count, exact = _register_count(
        association,
        lambda: _register_query(association_id=association.pk, at=at, filters=filters),
        token,
        filters_key,
    )
    return rows, more, count, exact


def person_slice(
    *,
    association: Association,
    offset: int,
    limit: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> tuple[int, bool, bool, list[RegisterRow]]:
    """(count, count is exact, more rows follow, rows) for rows offset..offset+limit
    of the filtered register, with every field of the API's member (for its
    page/page_size paging), read like :func:`person_page`. The count is exact up to
    :data:`EXACT_COUNT_UP_TO`, else that number with ``exact`` False ("more than")."""
    at = at or timezone.localdate()
    rows, more, count, exact = _window_and_count(
        association,
        _Filters.of(**filters),
        at=at,
        offset=offset,
        limit=limit,
        filters_key=_filters_key(at, filters),
        details=True,
    )
    return count, exact, more, rows


class RegisterPaginator:
    """What the page templates read from a paginator, with a capped count:
    ``count`` (exact, or the cap with ``count_is_capped``), ``num_pages`` (``None``
    when capped) and ``per_page``."""

    def __init__(self, count: int, exact: bool, per_page: int):
        self.count = count
        self.count_is_capped = not exact
        self.per_page = per_page
        self.num_pages = max(1, -(-count // per_page)) if exact else None


class RegisterPage(Sequence):
    """One page of the register (the part of Django's ``Page`` the templates use)."""

    def __init__(
        self, people: list[RegisterRow], number: int, has_next: bool, paginator: RegisterPaginator
    ):
        self.object_list = people
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def person_page(
    *,
    association: Association,
    page_number: Any,
    per_page: int,
    at: datetime.date | None = None,
    **filters: Any,
) -> RegisterPage:
    """One page of the register in one query: the page's ids from the filtered,
    ordered register (an index walk, even deep in a large register) as a subquery of
    the query reading only those people with their fee status and roles (plain
    values, see :class:`RegisterRow`). No full count: exact up to
    :data:`EXACT_COUNT_UP_TO` matching people, "more than" beyond. A page number
    past the end gives the last page, as Django's ``get_page`` does. See
    docs/benchmarks.md."""
    at = at or timezone.localdate()
    register_filters = _Filters.of(**filters)
    try:
        number = min(max(1, int(page_number)), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    key = _filters_key(at, filters)
    rows, more, count, exact = _window_and_count(
        association, register_filters, at=at, offset=offset, limit=per_page, filters_key=key
    )
    if not rows and number > 1:  # past the end: the last page (this needs the real count)
        register = _register_query(association_id=association.pk, at=at, filters=register_filters)
        total = register.order_by().count()
        number = max(1, -(-total // per_page))
        offset = (number - 1) * per_page
        rows, more, count, exact = _window_and_count(
            association, register_filters, at=at, offset=offset, limit=per_page, filters_key=key
        )
    return RegisterPage(rows, number, more, RegisterPaginator(count, exact, per_page))


def person_get(*, association: Association, person_id: Any) -> Person:
    """Access helper: a person of ``association`` or 404, whatever exists elsewhere."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = (
        Person.objects.filter(association=association, pk=person_id)
        .select_related("user")
        .prefetch_related("role_assignments", "membership_periods")
        .first()
    )
    if person is None:
        raise Http404
    return person
