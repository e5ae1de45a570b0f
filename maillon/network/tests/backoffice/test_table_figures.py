"""The network's member table shows the same figures as the metrics' own definition,
one association at a time (``metrics.registry.measure``, the slow path the table
replaced), for a seeded network with mixed consents, missing figures, old and
recent diagnostics and scores on the level boundaries: in the page, the level
filters, the CSV export; and its number of queries does not depend on the number of
members (20 then 200)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.governance.models import AssemblyStatus, RollEntry
from maillon.governance.tests.factories import AssemblyFactory, AttendanceFactory
from maillon.members.models import Person
from maillon.members.tests.factories import MembershipPeriodFactory
from maillon.metrics.registry import measure
from maillon.network.backoffice.indicators import COLUMNS, DATE_COLUMNS
from maillon.network.models import DataFamily, MembershipStatus, NetworkMembership, NetworkRoleKind
from maillon.network.tests.factories import NetworkFactory, network_staff
from maillon.strategy.engine.scoring import level_for, level_label
from maillon.strategy.models import Action, Diagnostic
from maillon.volunteering.models import VolunteerHours

pytestmark = pytest.mark.django_db

ALL = list(DataFamily.values)
# (shared families, people, paid fees, diagnostics as (days ago, overall score))
SEEDS = [
    (ALL, 6, 3, [(40, 55)]),
    (ALL, 4, 0, [(400, 39), (500, 90)]),  # latest is old and below "en progrès"
    (ALL, 3, 3, [(10, 40)]),  # exactly on the "en progrès" threshold
    (ALL, 2, 1, [(366, 69.5)]),  # just stale, just below "expérimentée"
    (ALL, 0, 0, []),  # no figure at all: unknown everywhere, stale
    ([DataFamily.DIAGNOSTIC], 5, 2, [(800, 70)]),  # diagnostic only, stale, top level
    ([DataFamily.MEMBERS, DataFamily.PLAN], 7, 7, [(5, 80)]),  # no diagnostic shared
    ([], 3, 1, [(30, 45)]),  # the card only
    ([DataFamily.GOVERNANCE, DataFamily.VOLUNTEERING], 4, 2, [(365, 20)]),
    ([DataFamily.DIAGNOSTIC, DataFamily.MEMBERS], 1, 1, [(364, 0)]),
]


def _seed(network, index: int, shared, people: int, paid: int, diagnostics) -> Association:
    now = timezone.now()
    association = Association.objects.create(
        name=f"Membre {index:03d}", slug=f"membre-fig-{index}", city="Lyon"
    )
    with scopes_disabled():
        NetworkMembership.objects.create(
            association=association,
            network=network,
            status=MembershipStatus.ACTIVE,
            shared_families=list(shared),
            joined_at=now,
        )
        persons = [
            Person.objects.create(
                association=association,
                first_name="A",
                last_name=str(n),
                joined_on=datetime.date(2020, 1, 1),
            )
            for n in range(people)
        ]
        for person in persons[:paid]:
            MembershipPeriodFactory(person=person)
        if persons:
            assembly = AssemblyFactory(
                association=association,
                status=AssemblyStatus.CLOSED,
                starts_at=now - datetime.timedelta(days=60 + index),
            )
            entries = RollEntry.objects.bulk_create(
                RollEntry(association=association, assembly=assembly, person=p) for p in persons
            )
            for entry in entries[: index % 3 + 1]:
                AttendanceFactory(entry=entry)
            VolunteerHours.objects.create(
                association=association,
                person=persons[0],
                date=timezone.localdate() - datetime.timedelta(days=20),
                hours=Decimal("1.5") * (index % 8 + 1),
                activity="field",
                status="validated",
            )
        for days_ago, score in diagnostics:
            Diagnostic.objects.create(
                association=association,
                questionnaire_version=1,
                status="completed",
                completed_at=now - datetime.timedelta(days=days_ago),
                scores={"overall": score},
            )
        for k in range(index % 4):
            Action.objects.create(association=association, title=f"A{k}", status="done")
        Action.objects.create(association=association, title="B", status="planned")
    return association


@pytest.fixture
def seeded():
    network = NetworkFactory()
    associations = [_seed(network, i, *seed) for i, seed in enumerate(SEEDS)]
    client = Client()
    head = network_staff(network, NetworkRoleKind.HEAD)
    client.force_login(head)
    return network, associations, client, head


def _reference(association, shared) -> dict[str, object]:
    """Each column's value as the metric defines it for this association alone, or
    None when not shared; "level" and "stale" as the table derives them."""
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    values: dict[str, object] = {}
    for column in COLUMNS:
        if column.family not in shared:
            values[column.code] = None
            continue
        start = year_ago if column.period == "year" else today
        values[column.code] = measure(column.code, association=association, start=start, end=today)
    score = values["strategy.diagnostic_score"]
    age = values["strategy.days_since_diagnostic"]
    values["level"] = None if score is None else level_for(float(score))
    values["stale"] = DataFamily.DIAGNOSTIC in shared and (age is None or age > 365)
    return values


def _text(code: str, value) -> str:
    """The cell's text as the table wrote it before (template filters)."""
    if value is None:
        return ""
    if code in DATE_COLUMNS:
        day = timezone.localdate() - datetime.timedelta(days=int(value))
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else 1
    return formats.number_format(round(number, places), decimal_pos=places)


def _rows(html: str) -> dict[str, dict[str, str]]:
    rows = {}
    for body in re.findall(r"<tr>\s*<th scope=\"row\"(.*?)</tr>", html, re.S):
        name = re.search(r">(Membre \d+)", body).group(1)
        cells = dict(re.findall(r'data-code="([^"]+)">(.*?)</td>', body, re.S))
        rows[name] = {code: re.sub(r"<[^>]+>", "", raw).strip() for code, raw in cells.items()}
    return rows


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_shows_each_metric_as_defined_and_only_when_shared(seeded, language):
    network, associations, client, head = seeded
    head.language = language  # the page speaks its reader's language
    head.save(update_fields=["language"])
    html = client.get(f"/n/{network.slug}/").content.decode()
    rows = _rows(html)
    assert len(rows) == len(SEEDS)
    with translation.override(language):
        not_shared = "— " + str(translation.gettext("Not shared"))
        unknown = str(translation.gettext("unknown"))
        for association, (shared, *_rest) in zip(associations, SEEDS, strict=True):
            expected = _reference(association, shared)
            cells = rows[association.name]
            for column in COLUMNS:
                if column.family not in shared:
                    want = not_shared
                else:
                    want = _text(column.code, expected[column.code]) or unknown
                assert cells[column.code] == want, (association.name, column.code)
            if expected["level"]:
                assert cells["level"] == level_label(expected["level"], language)
            elif DataFamily.DIAGNOSTIC in shared:
                assert cells["level"] == unknown
            else:
                assert cells["level"] == not_shared


@pytest.mark.parametrize(
    "query",
    [
        {"level": "en_progres"},
        {"level": "experimentee"},
        {"level": "peu_initiee"},
        {"stale_diagnostic": "on"},
        {"level": "peu_initiee", "stale_diagnostic": "on"},
        {"level": "experimentee", "stale_diagnostic": "on"},
    ],
)
def test_the_level_filters_keep_the_members_the_columns_describe(seeded, query):
    network, associations, client, _head = seeded
    expected = set()
    for association, (shared, *_rest) in zip(associations, SEEDS, strict=True):
        reference = _reference(association, shared)
        if "level" in query and reference["level"] != query["level"]:
            continue
        if "stale_diagnostic" in query and not reference["stale"]:
            continue
        expected.add(association.name)
    html = client.get(f"/n/{network.slug}/", query).content.decode()
    assert set(_rows(html)) == expected
    exported = b"".join(
        client.get(f"/n/{network.slug}/members/export.csv", query).streaming_content
    ).decode()
    lines = list(csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";"))[1:]
    assert {line[0] for line in lines} == expected


def test_the_csv_holds_each_metric_as_defined_and_only_when_shared(seeded):
    network, associations, client, _head = seeded
    response = client.get(f"/n/{network.slug}/members/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    exported = b"".join(response.streaming_content).decode()
    assert exported.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";"))
    by_name = {line[0]: line for line in lines[1:]}
    today = timezone.localdate()
    for association, (shared, *_rest) in zip(associations, SEEDS, strict=True):
        expected = _reference(association, shared)
        line = by_name[association.name]
        for position, column in enumerate(COLUMNS, start=5):
            value = expected[column.code]
            if value is None:
                want = ""
            elif column.code in DATE_COLUMNS:
                want = (today - datetime.timedelta(days=int(value))).isoformat()
            else:
                want = str(value)
            assert line[position] == want, (association.name, column.code)


def _add_members(network, count: int, start: int) -> None:
    """``count`` members sharing everything, each with people, fees, a closed general
    assembly and its roll, volunteer hours, a diagnostic and plan actions."""
    now = timezone.now()
    associations = Association.objects.bulk_create(
        Association(name=f"Lot {start + n:04d}", slug=f"lot-{start + n}") for n in range(count)
    )
    with scopes_disabled():
        NetworkMembership.objects.bulk_create(
            NetworkMembership(
                association=a,
                network=network,
                status=MembershipStatus.ACTIVE,
                shared_families=ALL if n % 5 else [DataFamily.DIAGNOSTIC],
                joined_at=now,
            )
            for n, a in enumerate(associations)
        )
        joined = datetime.date(2020, 1, 1)
        people = Person.objects.bulk_create(
            Person(association=a, first_name="A", last_name="B", joined_on=joined)
            for a in associations
        )
        for person in people[::3]:
            MembershipPeriodFactory(person=person)
        Diagnostic.objects.bulk_create(
            Diagnostic(
                association=a,
                questionnaire_version=1,
                status="completed",
                completed_at=now - datetime.timedelta(days=400 if n % 2 else 10),
                scores={"overall": 10 + 7 * (n % 9)},
            )
            for n, a in enumerate(associations)
        )
        Action.objects.bulk_create(
            Action(association=a, title="Action", status="done") for a in associations
        )


URLS = {
    "table": "/n/{slug}/",
    "level filter + stale diagnostics": "/n/{slug}/?level=en_progres&stale_diagnostic=on",
    "stale diagnostics, last page": "/n/{slug}/?stale_diagnostic=on&page=last",
    "csv": "/n/{slug}/members/export.csv",
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("name", URLS)
def test_queries_per_page_are_the_same_for_20_and_200_members(name):
    network = NetworkFactory()
    client = Client()
    client.force_login(network_staff(network, NetworkRoleKind.HEAD))
    url = URLS[name].format(slug=network.slug)
    _add_members(network, 20, 0)
    at_20 = _queries(client, url)
    _add_members(network, 180, 20)
    at_200 = _queries(client, url)
    assert at_20 == at_200, f"{name}: {at_20} queries with 20 members, {at_200} with 200"
