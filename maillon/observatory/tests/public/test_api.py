"""The public, read-only API of the observatory."""

import pytest

from maillon.accounts.tests.factories import UserFactory
from maillon.observatory.tests.public.test_pages import published

pytestmark = pytest.mark.django_db


def test_waves_and_indicators_without_token(client):
    wave = published(UserFactory(is_staff=True))
    listing = client.get("/api/v1/observatory/waves").json()
    assert [w["year"] for w in listing] == [wave.year]
    assert listing[0]["weighting"]["n"] == 12
    detail = client.get(f"/api/v1/observatory/waves/{wave.year}").json()
    website = next(i for i in detail["indicators"] if i["code"] == "tool_website")
    assert website["national"]["edition"] == 2019
    assert set(website["breakdowns"]) == {"size_band", "sector", "region"}
    for cells in website["breakdowns"].values():
        assert all(c["n"] is None for c in cells if c["suppressed"])
    assert client.get("/api/v1/observatory/waves/1999").status_code == 404
    assert client.post("/api/v1/observatory/waves").status_code == 405
