import pytest

from maillon.accounts.services import api_token_create
from maillon.associations.tests.factories import AssociationFactory
from maillon.network.models import HelpRequest

from .factories import BookingFactory, SharedResourceFactory

pytestmark = pytest.mark.django_db


def test_the_api_lists_catalogue_bookings_and_help_requests(client, association, admin_user):
    from django_scopes import scopes_disabled

    lender = AssociationFactory(name="Prêteur", slug="preteur")
    van = SharedResourceFactory(association=lender, name="Minibus", audience="associations")
    BookingFactory(resource=van, borrower=association)
    BookingFactory(resource=SharedResourceFactory(association=association), borrower=lender)
    with scopes_disabled():
        HelpRequest.objects.create(
            association=association,
            title="Site",
            need="N",
            deliverable="D",
            audiences=["companies"],
        )
    _token, raw = api_token_create(user=admin_user, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    base = f"/api/v1/associations/{association.slug}"
    catalogue = client.get(f"{base}/resources", headers=headers).json()
    assert [r["name"] for r in catalogue] == ["Minibus"] and catalogue[0]["owner"] == "preteur"
    bookings = client.get(f"{base}/bookings", headers=headers).json()
    assert sorted((b["owner"], b["borrower"]) for b in bookings) == [
        ("amis-du-quartier", "preteur"),
        ("preteur", "amis-du-quartier"),
    ]
    assert client.get(f"{base}/help-requests", headers=headers).json()[0]["title"] == "Site"
    assert client.get("/api/v1/associations/preteur/bookings", headers=headers).status_code == 404
