"""Public mission search across the network (no account needed).

Only missions that are published, open to everyone, of associations that have the
volunteering module switched on are ever returned: these selectors run with no tenant
scope (public pages) and filter explicitly.

Full text:

* PostgreSQL: ``Mission.search_vector`` (text search configuration ``maillon_fr`` =
  French stemming + accents folded, created by migration 0002; weights: title A,
  skills and cause B, description C, city D; GIN index), matched with
  ``websearch_to_tsquery`` (quotes, ``-word`` and ``or`` work; malformed input never
  raises) and ranked with ``ts_rank`` when sorted by relevance.
* SQLite (embedded default): every accent- and case-folded word of the query must
  appear in ``Mission.search_text`` (AND, substring match, so "bénév" finds
  "bénévolat" but "benevoles" does not find "bénévole"), results sorted by date:
  no stemming and no ranking there.

Relevance ranks the RANK_WINDOW newest matches (``ts_rank`` reads every vector it
ranks: over all the matches of a common word on a large network it would cost tens of
milliseconds a page); a broad query therefore shows the most relevant of its recent
matches, a narrow one all of them.

Filters by department, cause and skill compare the foreign keys with the ids of the
codes (held in memory by ``taxonomy.choices``), so that PostgreSQL walks the partial
index ``mission_public_dept_idx`` in date order instead of joining and sorting.

Pagination does not count: a COUNT(*) over every match of a broad query on a large
network costs as much as the search itself. A page reads PAGE_SIZE + 1 rows; the
extra row only says whether there is a next page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.associations.models import Module
from maillon.core.text import fold
from maillon.taxonomy.choices import ids_by_code, skill_labels_by_id
from maillon.taxonomy.models import Cause, Skill

from ..models import Audience, Mission, MissionStatus, ScheduleKind

PAGE_SIZE = 20
RANK_WINDOW = 500
# A keyword search sorted by date with at most this many matches sorts them directly.
FEW_MATCHES = 1000
FEED_SIZE = 50
SEARCH_CONFIG = "maillon_fr"
# Words of a query read on SQLite (a longer query is cut, not refused).
MAX_QUERY_WORDS = 8
VECTOR_BATCH = 5000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _volunteering_on(prefix: str = "association__") -> Q:
    """The association has switched the volunteering module on (a JSON list)."""
    if is_postgresql():
        return Q(**{f"{prefix}enabled_modules__contains": [Module.VOLUNTEERING.value]})
    # SQLite has no JSON containment: the list's JSON text holds the quoted code.
    return Q(**{f"{prefix}enabled_modules__icontains": f'"{Module.VOLUNTEERING.value}"'})


def public_missions() -> QuerySet[Mission]:
    """Every mission a visitor may see, with what a result row shows (association,
    department, cause in the same query; skills in one prefetch). Call it inside
    ``scopes_disabled()``."""
    return (
        Mission.objects.filter(status=MissionStatus.PUBLISHED, audience=Audience.PUBLIC)
        .filter(_volunteering_on())
        .select_related("association", "department", "cause")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("position", "code")))
    )


@dataclass
class MissionFilters:
    """The query-string contract of /missions/ and /missions/feed.atom."""

    q: str = ""
    skills: list[str] = field(default_factory=list)
    cause: str = ""
    department: str = ""
    remote: bool = False
    date: datetime.date | None = None
    association: str = ""
    sort: str = "date"  # "relevance" (only with q) or "date"

    @property
    def by_relevance(self) -> bool:
        return bool(self.q.strip()) and self.sort == "relevance"


def _available_on(day: datetime.date) -> Q:
    """Flexible and recurring missions whose period covers ``day``; one-off missions
    on that day (or over several days including it)."""
    within = (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    return (Q(schedule_kind__in=[ScheduleKind.FLEXIBLE, ScheduleKind.RECURRING]) & within) | (
        Q(schedule_kind=ScheduleKind.ONE_OFF)
        & (Q(start_date=day) | Q(start_date__lte=day, end_date__gte=day))
    )


def _search_query(text: str) -> SearchQuery:
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


def _full_text(qs: QuerySet[Mission], text: str, *, rank: bool) -> QuerySet[Mission]:
    if is_postgresql():
        return qs.filter(search_vector=_search_query(text))
    for word in fold(text).split()[:MAX_QUERY_WORDS]:
        # Quotes and operators mean nothing here: only the letters are searched.
        word = word.strip("\"'+-()*")
        if word:
            qs = qs.filter(search_text__contains=word)
    return qs


def mission_search(filters: MissionFilters) -> QuerySet[Mission]:
    """Published public missions matching ``filters``, in the requested order.
    Call it inside ``scopes_disabled()``."""
    qs = public_missions()
    if filters.q.strip():
        qs = _full_text(qs, filters.q, rank=filters.by_relevance and is_postgresql())
    if filters.skills:
        # Any of the chosen skills (a volunteer ticks what they can do); EXISTS keeps
        # one row per mission.
        skill_ids = [ids_by_code("skill").get(code, 0) for code in filters.skills]
        qs = qs.filter(
            Exists(
                Mission.skills.through.objects.filter(
                    mission_id=OuterRef("pk"), skill_id__in=skill_ids
                )
            )
        )
    if filters.cause:
        qs = qs.filter(cause_id=ids_by_code("cause").get(filters.cause, 0))
    department_id = ids_by_code("department").get(filters.department, 0)
    if filters.department and filters.remote:
        qs = qs.filter(Q(department_id=department_id) | Q(is_remote=True))
    elif filters.department:
        qs = qs.filter(department_id=department_id)
    elif filters.remote:
        qs = qs.filter(is_remote=True)
    if filters.date:
        qs = qs.filter(_available_on(filters.date))
    if filters.association:
        qs = qs.filter(association__slug=filters.association)
    if filters.by_relevance and is_postgresql():
        newest = qs.order_by("-published_at", "-id").values("pk")[:RANK_WINDOW]
        return (
            public_missions()
            .filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), _search_query(filters.q)))
            .order_by("-rank", "-published_at", "-id")
        )
    if filters.q.strip() and is_postgresql():
        # Walking the date index until 21 rows match is quick for a common word, but
        # for a rare one (or one PostgreSQL overestimates) it rechecks every mission.
        # Ask the full-text index first: a few matches are then simply sorted.
        few = list(qs.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(few) <= FEW_MATCHES:
            qs = qs.filter(pk__in=few)
    # The order of the partial index mission_public_recent_idx (published missions
    # always have published_at).
    return qs.order_by("-published_at", "-id")


@dataclass
class ResultPage:
    """One page of results, without a total count (see the module docstring)."""

    missions: list[Mission] | list[ResultRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def public_mission_search_page(
    filters: MissionFilters, page_number: int = 1, *, with_description: bool = False
) -> ResultPage:
    """Two queries whatever the number of results: the page (+1 row) and its skills."""
    page_number = max(1, page_number)
    offset = (page_number - 1) * PAGE_SIZE
    with scopes_disabled():
        # The long columns stay in the database; a result on the page shows no
        # description (the API gives it).
        long_columns = ["search_text", "search_vector"]
        if not with_description:
            long_columns.append("description")
        found = mission_search(filters).defer(*long_columns)
        rows = list(found[offset : offset + PAGE_SIZE + 1])
    return ResultPage(missions=rows[:PAGE_SIZE], number=page_number, has_next=len(rows) > PAGE_SIZE)


@dataclass
class ResultRow:
    """What a result card of the search page shows, read as plain values (no model
    instances: building them and their related rows was a third of the page's CPU)."""

    pk: int
    title: str
    association_name: str
    city: str
    is_remote: bool
    department_code: str | None
    schedule_kind: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    schedule_note: str
    cause_labels: tuple[str, str] | None  # (French, English)
    skill_labels: list[tuple[str, str]]

    def get_schedule_kind_display(self) -> str:
        return str(ScheduleKind(self.schedule_kind).label)

    @property
    def department(self):
        return _Code(self.department_code) if self.department_code else None


@dataclass(frozen=True)
class _Code:
    code: str


ROW_FIELDS = (
    "pk",
    "title",
    "association__name",
    "city",
    "is_remote",
    "department__code",
    "schedule_kind",
    "start_date",
    "end_date",
    "schedule_note",
    "cause__label_fr",
    "cause__label_en",
)


def public_mission_search_rows(filters: MissionFilters, page_number: int = 1) -> ResultPage:
    """The search page's results as ``ResultRow``: two queries (the page + 1 row,
    then the skills of its missions, whose labels come from memory)."""
    page_number = max(1, page_number)
    offset = (page_number - 1) * PAGE_SIZE
    with scopes_disabled():
        found = mission_search(filters).prefetch_related(None).values_list(*ROW_FIELDS)
        values = list(found[offset : offset + PAGE_SIZE + 1])
        ids = [v[0] for v in values[:PAGE_SIZE]]
        pairs = (
            list(
                Mission.skills.through.objects.filter(mission_id__in=ids).values_list(
                    "mission_id", "skill_id"
                )
            )
            if ids
            else []
        )
    labels = skill_labels_by_id()
    skills: dict[int, list[tuple[str, str, int]]] = {}
    for mission_id, skill_id in pairs:
        if skill_id in labels:
            skills.setdefault(mission_id, []).append(labels[skill_id])
    rows = []
    for v in values[:PAGE_SIZE]:
        (pk, title, name, city, remote, dept, kind, start, end, note, cause_fr, cause_en) = v
        rows.append(
            ResultRow(
                pk=pk,
                title=title,
                association_name=name,
                city=city,
                is_remote=remote,
                department_code=dept,
                schedule_kind=kind,
                start_date=start,
                end_date=end,
                schedule_note=note,
                cause_labels=(cause_fr, cause_en) if cause_fr else None,
                skill_labels=[
                    label[:2] for label in sorted(skills.get(pk, []), key=lambda x: x[2])
                ],
            )
        )
    return ResultPage(missions=rows, number=page_number, has_next=len(values) > PAGE_SIZE)


def public_mission_feed_items(filters: MissionFilters) -> list[Mission]:
    """The newest missions of a search, for its Atom feed."""
    filters.sort = "date"
    with scopes_disabled():
        return list(mission_search(filters)[:FEED_SIZE])


def public_mission_get(mission_id: int) -> Mission:
    """A mission's public page, or 404 (draft, members only, module switched off).
    A mission that was published and is now full or closed keeps its page (links to it
    were shared), which says it no longer takes applications."""
    with scopes_disabled():
        mission = (
            Mission.objects.filter(
                pk=mission_id,
                audience=Audience.PUBLIC,
                published_at__isnull=False,
                status__in=[MissionStatus.PUBLISHED, MissionStatus.FULL, MissionStatus.CLOSED],
            )
            .filter(_volunteering_on())
            .select_related("association", "department", "cause")
            .prefetch_related(
                Prefetch("skills", queryset=Skill.objects.order_by("position", "code"))
            )
            .first()
        )
    if mission is None:
        raise Http404
    return mission


def public_missions_of_association(association, *, limit: int | None = None) -> list[Mission]:
    """The open public missions of one association (its page and its embedded list)."""
    if not association.has_module(Module.VOLUNTEERING):
        return []
    with scopes_disabled():
        qs = public_missions().filter(association=association).order_by("-published_at", "-id")
        if limit is not None:
            qs = qs[:limit]
        return list(qs)


# --- the PostgreSQL vector ------------------------------------------------------------------


def _vector_sql() -> str:
    mission = Mission._meta.db_table
    through = Mission.skills.through._meta.db_table
    skill = Skill._meta.db_table
    cause = Cause._meta.db_table
    return f"""
        UPDATE {mission} AS m SET search_vector =
            setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(m.title, '')), 'A')
            || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce((
                SELECT string_agg(s.label_fr || ' ' || s.label_en, ' ')
                FROM {through} AS ms JOIN {skill} AS s ON s.id = ms.skill_id
                WHERE ms.mission_id = m.id), '') || ' ' || coalesce((
                SELECT c.label_fr || ' ' || c.label_en FROM {cause} AS c
                WHERE c.id = m.cause_id), '')), 'B')
            || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(m.description, '')), 'C')
            || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(m.city, '')), 'D')
    """  # noqa: S608 - table names come from the models, values are parameters


def update_search_vectors(mission_ids=None) -> int:
    """Recompute ``Mission.search_vector`` in SQL (PostgreSQL; nothing to do on SQLite).
    ``mission_ids=None`` recomputes every mission in batches of VECTOR_BATCH ids (for
    data loaded in bulk, e.g. the benchmark seeder after COPY). Returns the rows updated."""
    if not is_postgresql():
        return 0
    sql = _vector_sql()
    updated = 0
    with connection.cursor() as cursor:
        if mission_ids is not None:
            ids = sorted({int(i) for i in mission_ids})
            for start in range(0, len(ids), VECTOR_BATCH):
                cursor.execute(sql + " WHERE m.id = ANY(%s)", [ids[start : start + VECTOR_BATCH]])
                updated += cursor.rowcount
            return updated
        cursor.execute(f"SELECT min(id), max(id) FROM {Mission._meta.db_table}")  # noqa: S608
        low, high = cursor.fetchone()
        if low is None:
            return 0
        for start in range(low, high + 1, VECTOR_BATCH):
            cursor.execute(sql + " WHERE m.id >= %s AND m.id < %s", [start, start + VECTOR_BATCH])
            updated += cursor.rowcount
    return updated
