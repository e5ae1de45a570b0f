import pytest

from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account


@pytest.fixture
def treasurer(association):
    return member_with_account(
        association, [Role.TREASURER, Role.MEMBER], email="tresoriere@amis.example"
    )


@pytest.fixture
def treasurer_client(client, treasurer):
    client.force_login(treasurer)
    return client
