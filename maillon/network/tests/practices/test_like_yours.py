"""Under a peer_exchange or network recommendation of the diagnostic's results:
"N sheets from associations like yours"."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from maillon.network.tests.factories import MembershipFactory, NetworkFactory, practice_sheet

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load network_tags %}{% practice_sheets_like_yours rec %}")


def _render(association, user, rec):
    request = RequestFactory().get("/")
    request.association, request.user = association, user
    return TEMPLATE.render(Context({"request": request, "rec": rec}))


def test_sheets_of_associations_like_yours_show_under_peer_exchange_recommendations(
    association, admin_user, other_association
):
    network = NetworkFactory()
    MembershipFactory(network=network, association=association)
    MembershipFactory(network=network, association=other_association)
    practice_sheet(other_association, visibility="network", networks=[network], title="Fiche A")
    practice_sheet(other_association, title="Brouillon invisible")
    practice_sheet(association, visibility="public", title="Ma propre fiche")
    rec = SimpleNamespace(code="peer_mutual_help", domain="volunteering", help="peer_exchange")
    html = _render(association, admin_user, rec)
    assert "Fiche A" in html
    assert "Brouillon" not in html and "Ma propre fiche" not in html
    assert "1 fiche" in html or "1 sheet" in html
    rec.help = "training"
    assert "Fiche A" not in _render(association, admin_user, rec)


def test_each_sheet_offers_to_adopt_the_recommendation_with_it(
    association, admin_user, other_association
):
    sheet = practice_sheet(other_association, visibility="public", title="Fiche B")
    rec = SimpleNamespace(code="peer_mutual_help", domain="volunteering", help="peer_exchange")
    request = RequestFactory().get("/")
    request.association, request.user = association, admin_user
    diagnostic = SimpleNamespace(pk=42)
    context = {"request": request, "rec": rec, "diagnostic": diagnostic, "can_adopt": True}
    html = TEMPLATE.render(Context({**context, "item": SimpleNamespace(adopted=False)}))
    assert f"/practices/shared/{sheet.pk}/adopt/" in html
    assert 'value="42"' in html and 'value="peer_mutual_help"' in html
    del request._sheets_like_yours
    html = TEMPLATE.render(Context({**context, "item": SimpleNamespace(adopted=True)}))
    assert "/adopt/" not in html and "Fiche B" in html
