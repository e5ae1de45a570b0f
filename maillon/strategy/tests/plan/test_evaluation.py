"""The evaluation page: each indicator's values against its target, as a chart and
as a table, and where the actions stand."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.strategy.models import ActionStatus
from maillon.strategy.plan.charts import line_chart
from maillon.strategy.plan.selectors import progress_toward_target
from maillon.strategy.tests.factories import ActionFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_admin(admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    return admin_user


def evaluation_url(association) -> str:
    return reverse("strategy:evaluation", kwargs={"association_slug": association.slug})


def test_progress_is_the_share_of_the_way_from_baseline_to_target():
    assert progress_toward_target(value=Decimal(15), baseline=Decimal(10), target=Decimal(20)) == 50
    assert (
        progress_toward_target(value=Decimal(25), baseline=Decimal(10), target=Decimal(20)) == 150
    )
    assert progress_toward_target(value=Decimal(5), baseline=Decimal(10), target=Decimal(20)) == -50
    # Lower is better: going down is progress.
    assert (
        progress_toward_target(
            value=Decimal(12), baseline=Decimal(20), target=Decimal(10), lower_is_better=True
        )
        == 80
    )
    # A target equal to the baseline: reached or not, in the better direction.
    same = {"baseline": Decimal(10), "target": Decimal(10)}
    assert progress_toward_target(value=Decimal(9), lower_is_better=True, **same) == 100
    assert progress_toward_target(value=Decimal(9), lower_is_better=False, **same) == 0


def test_the_chart_puts_higher_values_higher_and_the_target_line_at_its_value():
    chart = line_chart(
        measurements=[
            (datetime.date(2025, 6, 30), Decimal(30)),
            (datetime.date(2025, 3, 31), Decimal(10)),
        ],
        target=Decimal(40),
        baseline=Decimal(5),
    )
    first, second = chart.points
    assert first.date < second.date and first.x < second.x
    assert second.y < first.y  # SVG y grows downwards
    assert chart.target_y < second.y < chart.baseline_y
    assert chart.value_ticks[0].value == 0


def test_the_evaluation_shows_a_chart_with_a_title_and_the_same_numbers_in_a_table(
    client, english_admin, association
):
    action = ActionFactory(association=association, title="Recruter des bénévoles")
    indicator = IndicatorFactory(
        action=action,
        name="Nouveaux bénévoles",
        unit="personnes",
        baseline=Decimal(4),
        target=Decimal(12),
    )
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 3, 31), value=Decimal(6))
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 6, 30), value=Decimal(10))
    client.force_login(english_admin)
    html = client.get(evaluation_url(association)).content.decode()

    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title id=" in svg and "Nouveaux bénévoles" in svg
    assert 'stroke-dasharray="8 6"' in svg  # the target, dashed
    assert 'stroke-dasharray="2 4"' in svg  # the baseline, dotted
    assert svg.count("<circle") == 2
    # The table alternative: dates, values, target and progress.
    table = re.search(r"<table>\s*<caption>Values of.*?</table>", html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)).strip() for row in rows]
    assert cells[0].startswith("31/03/2025 6 personnes 12 personnes 25 %")
    assert cells[1].startswith("30/06/2025 10 personnes 12 personnes 75 %")
    assert "Target not reached yet" in html
    assert reverse("strategy:compare", kwargs={"association_slug": association.slug}) in html


def test_lower_is_better_counts_going_down_as_progress(client, english_admin, association):
    indicator = IndicatorFactory(
        action=ActionFactory(association=association),
        name="Days to answer a volunteer",
        baseline=Decimal(20),
        target=Decimal(5),
        lower_is_better=True,
    )
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 3, 31), value=Decimal(14))
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 6, 30), value=Decimal(4))
    client.force_login(english_admin)
    html = client.get(evaluation_url(association)).content.decode()
    assert "40 %" in html  # 20 -> 14 of the way to 5
    assert "107 %" in html  # 20 -> 4: beyond the target
    assert "Target reached" in html
    assert "a lower value is better" in html


def test_action_status_counts(client, english_admin, association):
    for status in ["planned", "planned", "in_progress", "done", "done", "done"]:
        ActionFactory(association=association, status=status)
    client.force_login(english_admin)
    html = client.get(evaluation_url(association)).content.decode()
    table = re.search(r"<caption>Number of actions by status</caption>.*?</table>", html, re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.group(0)))
    for label, count in [("Planned", 2), ("In progress", 1), ("Done", 3), ("Dropped", 0)]:
        assert f"{label} {count}" in text


def test_an_empty_evaluation_says_so(client, english_admin, association):
    client.force_login(english_admin)
    html = client.get(evaluation_url(association)).content.decode()
    assert "No indicator yet" in html


def test_another_associations_indicators_never_show(
    client, english_admin, association, other_association
):
    IndicatorFactory(action=ActionFactory(association=other_association), name="Secret voisin")
    client.force_login(english_admin)
    assert "Secret voisin" not in client.get(evaluation_url(association)).content.decode()


def _add(association, count: int) -> None:
    """``count`` indicators with ``count`` measurements each, on as many actions."""
    for n in range(count):
        action = ActionFactory(association=association, status=ActionStatus.values[n % 4])
        indicator = IndicatorFactory(action=action, lower_is_better=n % 2 == 0)
        for q in range(count):
            MeasurementFactory(
                indicator=indicator,
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=91 * q),
                value=Decimal(q),
            )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_evaluation_query_count_does_not_grow_with_indicators_or_measurements(
    admin_client, association
):
    _add(association, 3)  # 3 indicators x 3 measurements
    first = _queries(admin_client, evaluation_url(association))
    _add(association, 3)  # 6 indicators, 3 more with 3 measurements: 2N of both
    path = evaluation_url(association)
    second = _queries(admin_client, path)
    assert second == first


def test_evaluation_query_count_at_n_and_2n_measurements_per_indicator(
    admin_client, association, other_association
):
    indicator = IndicatorFactory(action=ActionFactory(association=association))
    for q in range(4):
        MeasurementFactory(indicator=indicator, date=datetime.date(2024, 1, 1 + q))
    first = _queries(admin_client, evaluation_url(association))
    for q in range(4):
        MeasurementFactory(indicator=indicator, date=datetime.date(2024, 2, 1 + q))
    assert _queries(admin_client, evaluation_url(association)) == first
