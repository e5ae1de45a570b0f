"""GET /api/v1/associations/{slug}/me/membership: the caller's own fees only."""

import pytest

from maillon.accounts.services import api_token_create
from maillon.members.models import Role
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


def get(client, user, slug):
    _token, raw = api_token_create(user=user, name="test")
    return client.get(
        f"/api/v1/associations/{slug}/me/membership", headers={"Authorization": f"Bearer {raw}"}
    )


def test_my_membership_through_the_api(client, association, other_association):
    user = member_with_account(association, [Role.MEMBER])
    from django_scopes import scopes_disabled

    with scopes_disabled():
        person = user.people.get()
    MembershipPeriodFactory(person=person, amount=42)
    MembershipPeriodFactory(person=PersonFactory(association=association), amount=77)
    response = get(client, user, association.slug)
    assert response.status_code == 200
    data = response.json()
    assert data["up_to_date"] is True
    assert [fee["amount"] for fee in data["fees"]] == ["42.00"]
    assert get(client, user, other_association.slug).status_code == 404
