"""The public pages, the open data, the staff page and the results-page blocks."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.observatory.models import Snapshot, Wave, WaveStatus
from maillon.observatory.tests.factories import (
    answers_for,
    completed_anonymous,
    completed_diagnostic,
    national_margins,
)
from maillon.observatory.waves.services import wave_consent_set, wave_open, wave_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def published(staff, n=12, year=2026):
    national_margins()
    wave = wave_open(actor=staff, year=year)
    for i in range(n):
        association = AssociationFactory()
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i, ("none", "3-9", "50+")[i % 3]))
        with scope(association=association):
            wave_consent_set(association=association, actor=admin, wave=wave, consented=True)
    return wave_publish(actor=staff, wave=wave)


def test_no_wave_yet(client):
    response = client.get(reverse("observatory:index"))
    assert response.status_code == 200
    assert "No wave" in response.content.decode() or "Aucune vague" in response.content.decode()


def test_latest_wave_shows_weighted_and_national_figures(client, staff):
    wave = published(staff)
    page = client.get(reverse("observatory:index")).content.decode()
    assert "<svg" in page and "<table" in page
    assert "2019" in page  # edition of the national figures
    assert client.get(reverse("observatory:wave", args=[wave.year])).status_code == 200
    method = client.get(reverse("observatory:methodology", args=[wave.year])).content.decode()
    assert "Insee Première n° 1587" in method
    assert client.get(reverse("observatory:trends")).status_code == 200
    assert client.get(reverse("observatory:wave", args=[1999])).status_code == 404


def test_open_data_downloads(client, staff):
    wave = published(staff)
    response = client.get(reverse("observatory:csv", args=[wave.year]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    website = [r for r in rows if r["indicator"] == "tool_website" and r["breakdown"] == "all"]
    assert website and 0 <= float(website[0]["weighted_share"]) <= 1
    assert all(r["n"] == "" for r in rows if r["suppressed"] == "1")
    book = load_workbook(
        io.BytesIO(client.get(reverse("observatory:xlsx", args=[wave.year])).content)
    )
    assert book.sheetnames == [f"observatoire-{wave.year}", "dictionnaire"]
    dictionary = client.get(reverse("observatory:dictionary")).content.decode()
    assert "weighted_share" in dictionary


def test_staff_opens_and_publishes_from_the_page(client, staff, settings):
    settings.ADMIN_REQUIRE_TOTP = False  # the TOTP step is the admin's, tested there
    national_margins()
    client.force_login(staff)
    client.post(reverse("observatory:manage"), {"year": 2026})
    wave = Wave.objects.get(year=2026)
    assert wave.status == WaveStatus.OPEN
    response = client.post(reverse("observatory:publish", args=[2026]))
    assert response.status_code == 302  # too few: refused with a message
    assert Wave.objects.get(year=2026).status == WaveStatus.OPEN


def test_the_staff_page_is_for_staff_only(client, admin_user, staff):
    assert client.get(reverse("observatory:manage")).status_code == 302  # to log in
    client.force_login(admin_user)
    assert client.get(reverse("observatory:manage")).status_code == 403
    assert client.post(reverse("observatory:publish", args=[2026])).status_code == 403
    client.force_login(staff)  # staff without two-factor authentication: the admin asks
    response = client.get(reverse("observatory:manage"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_consent_from_the_results_page(client, staff, association, admin_user):
    national_margins()
    wave = wave_open(actor=staff, year=2026)
    diagnostic = completed_diagnostic(association, answers_for(1))
    client.force_login(admin_user)
    results = reverse("strategy:results", args=[association.slug, diagnostic.pk])
    page = client.get(results).content.decode()
    assert reverse("observatory_backoffice:consent", args=[association.slug]) in page
    response = client.post(
        reverse("observatory_backoffice:consent", args=[association.slug]),
        {"consented": "on", "next": results},
    )
    assert response.status_code == 302 and response["Location"] == results
    assert Snapshot.objects.filter(wave=wave).count() == 1


def test_anonymous_opt_in_and_comparison(client, staff):
    published(staff)
    national_margins()
    wave_open(actor=staff, year=2027)
    anonymous = completed_anonymous(answers_for(5, "3-9"))
    results = reverse("diagnostic:results", args=[anonymous.token])
    page = client.get(results).content.decode()
    assert reverse("observatory:opt_in", args=[anonymous.token]) in page
    assert "observatory-compare-title" in page  # you / like you / national
    client.post(reverse("observatory:opt_in", args=[anonymous.token]), {"region": "11"})
    snapshot = Snapshot.objects.get(wave__year=2027)
    assert snapshot.region == "11" and snapshot.size_band == "3-9"
    client.post(reverse("observatory:opt_in", args=[anonymous.token]), {"withdraw": "1"})
    assert not Snapshot.objects.filter(wave__year=2027).exists()


def test_trends_chart_joins_the_waves_and_keeps_the_table(client, staff):
    published(staff, year=2025)
    published(staff, year=2026)
    page = client.get(reverse("observatory:trends")).content.decode()
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in chart and 'aria-labelledby="observatory-trends-title' in chart
    assert chart.count("<polyline") >= 1  # an indicator published in both waves
    assert "2025" in chart and "2026" in chart  # the legend names the first and latest
    assert "<table" in page[page.index("</svg>") :]  # the table stays, as the alternative


def test_trends_without_wave_has_no_chart(client):
    page = client.get(reverse("observatory:trends")).content.decode()
    assert "<svg" not in page.split("<main", 1)[1]
