"""The engagement dashboard, on a hand-built data set."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.members.models import Role
from maillon.volunteering.engagement import selectors as engagement_selectors
from maillon.volunteering.models import ApplicationStatus, MissionView, Source
from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory
from maillon.volunteering.tests.hours.helpers import (
    add_hours,
    days_ago,
    engagement_world,
    english_messages,  # noqa: F401 (autouse fixture)
    foreign_engagement,
    user_with_roles,
    volunteer_without_account,
)

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=300), today


def _url(association):
    return reverse("volunteering:dashboard", args=[association.slug])


@pytest.fixture
def world(association, other_association):
    foreign_engagement(other_association)
    return engagement_world(association)


def test_the_funnel_counts_views_applications_accepted_and_retained(association, world):
    start, end = _period()
    with scope(association=association):
        data = engagement_selectors.engagement_dashboard(
            association=association, start=start, end=end
        )
    funnel = data.funnel
    assert (funnel.views, funnel.applications, funnel.accepted) == (50, 5, 3)
    assert (funnel.eligible, funnel.retained, funnel.retention_rate) == (2, 1, 50.0)
    assert (funnel.responded, funnel.response_rate) == (4, 80.0)
    assert data.median_response == datetime.timedelta(hours=36)
    assert data.active_volunteers == 3
    assert data.hours == Decimal("9")
    sources = {row.source: (row.views, row.applications, row.accepted) for row in data.sources}
    assert sources[Source.SEARCH] == (30, 3, 2)
    assert sources[Source.WORD_OF_MOUTH] == (5, 1, 1)
    assert sources[Source.ALERT] == (15, 1, 0)
    assert sources[Source.EVENT] == (0, 0, 0)
    assert data.sources[0].source == Source.SEARCH  # most accepted first
    months = {row.month: row for row in data.months}
    assert len(data.months) in (10, 11, 12)  # every month of the period is listed
    p3_month = (timezone.localdate() - datetime.timedelta(days=12)).replace(day=1)
    p1_month = (timezone.localdate() - datetime.timedelta(days=145)).replace(day=1)
    assert months[p1_month].volunteers >= 1
    assert sum(row.hours for row in data.months) == Decimal("9")
    assert months[p3_month].hours >= Decimal("2.5")


def test_a_median_of_an_odd_count_is_the_middle_value(association):
    mission = MissionFactory(association=association)
    for hours in (5, 1, 30):
        submitted = days_ago(10)
        ApplicationFactory(
            mission=mission,
            submitted_at=submitted,
            first_response_at=submitted + datetime.timedelta(hours=hours),
        )
    start, end = _period()
    with scope(association=association):
        median = engagement_selectors.median_response(association=association, start=start, end=end)
        assert (
            engagement_selectors.median_response(
                association=association, start=start - datetime.timedelta(days=400), end=start
            )
            is None
        )
    assert median == datetime.timedelta(hours=5)


def test_the_page_shows_the_figures_charts_and_tables(client, association, world):
    client.force_login(user_with_roles(association, [Role.BOARD]))
    start, end = _period()
    response = client.get(_url(association), {"start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 4
    assert '<title id="chart-funnel-title">' in content
    assert (
        "Mission page views: 50; applications: 5; accepted: 3; still active after 90 days: 1."
        in content
    )
    assert "50.0 % of the 2 accepted at least 90 days ago" in content
    assert "80.0 %" in content
    assert "Median time to the first answer: 36 h." in content
    assert "validated hours dated 90 days or more after the acceptance" in content


def test_the_default_period_is_the_last_twelve_months_and_bad_dates_fall_back(client, association):
    client.force_login(user_with_roles(association, [Role.TREASURER]))
    response = client.get(_url(association))
    data = response.context["data"]
    assert data.end == timezone.localdate()
    assert data.start.day == 1 and len(data.months) == 12
    response = client.get(_url(association), {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 200
    assert response.context["data"].end == timezone.localdate()
    assert response.context["form"].errors
    assert client.get(_url(association), {"start": "hier"}).status_code == 200


def test_volunteers_and_members_do_not_see_the_dashboard(client, association):
    for role, status in ((Role.VOLUNTEER, 403), (Role.MEMBER, 403), (Role.BOARD, 200)):
        client.force_login(user_with_roles(association, [role]))
        assert client.get(_url(association)).status_code == status, role


def test_another_associations_admin_gets_404(client, association, other_admin):
    client.force_login(other_admin)
    assert client.get(_url(association)).status_code == 404


def _add_engagement(association, count):
    today = timezone.localdate()
    mission = MissionFactory(association=association)
    for index in range(count):
        person = volunteer_without_account(association)
        with scopes_disabled():
            MissionView.objects.create(
                association=association,
                mission=mission,
                day=today - datetime.timedelta(days=index + 1),
                source=Source.SEARCH,
                count=3,
            )
        submitted = days_ago(index * 20 + 100)
        ApplicationFactory(
            mission=mission,
            submitted_at=submitted,
            first_response_at=submitted + datetime.timedelta(hours=index + 1),
            status=ApplicationStatus.ACCEPTED,
            decided_at=submitted + datetime.timedelta(days=1),
            person=person,
        )
        add_hours(person, day=today - datetime.timedelta(days=index * 15))


def test_the_dashboard_costs_the_same_number_of_queries_with_n_and_2n(client, association):
    client.force_login(user_with_roles(association, [Role.BOARD]))
    url = _url(association)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _add_engagement(association, 5)
    count()
    first = count()
    _add_engagement(association, 5)
    assert count() == first
