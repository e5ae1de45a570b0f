"""The shipped margins: categories of the questionnaire and of the taxonomy, shares
summing to 1, a source for every share, placeholders marked."""

import csv
from pathlib import Path

import pytest

from maillon.observatory.margins.loading import MarginsFileError, parse_margins, shipped_margins
from maillon.observatory.margins.selectors import margins_frozen
from maillon.observatory.tests.factories import national_margins
from maillon.strategy.engine.questionnaire import load_questionnaire

REGIONS = Path(__file__).resolve().parents[3] / "taxonomy" / "data" / "regions.csv"


def test_shipped_margins_use_known_categories_and_cite_their_source():
    margins = shipped_margins()
    questions = {q.id: q for q in load_questionnaire(1).questions}
    allowed = {
        "size_band": {c.value for c in questions["profile.size_band"].choices},
        "sector": {c.value for c in questions["profile.sector"].choices},
        "region": {row["code"] for row in csv.DictReader(REGIONS.open(encoding="utf-8"))},
    }
    for variable, categories in allowed.items():
        rows = [r for r in margins.rows if r.variable == variable]
        assert {r.category for r in rows} == categories, variable
        assert sum(r.share for r in rows) == pytest.approx(1, abs=1e-9)
    assert all(r.source for r in margins.rows)
    assert "Insee Première n° 1587" in margins.source
    assert any(r.placeholder for r in margins.rows)  # said, not hidden


def test_a_bad_file_is_refused():
    with pytest.raises(MarginsFileError):
        parse_margins(
            {
                "name": "x",
                "year": 2020,
                "source": "s",
                "variables": {"size_band": [{"category": "a", "share": 0.5}]},
            }
        )


@pytest.mark.django_db
def test_the_migration_loaded_them_for_the_admin():
    frozen = margins_frozen(national_margins())
    assert frozen["year"] == 2013
    assert set(frozen["shares"]) == {"size_band", "sector", "region"}


@pytest.mark.django_db
def test_an_instance_administrator_edits_the_margins_in_the_admin(client, settings):
    from maillon.accounts.tests.factories import UserFactory

    settings.ADMIN_REQUIRE_TOTP = False  # the TOTP step is the admin's, tested there
    margin_set = national_margins()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/observatory/marginset/{margin_set.pk}/change/")
    assert page.status_code == 200
    assert "Insee Première n° 1587" in page.content.decode()
