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


@pytest.fixture
def fake_helloasso(settings):
    """The payments app's fake HelloAsso on 127.0.0.1."""
    from maillon.payments.tests.fake_helloasso import FakeHelloAsso

    fake = FakeHelloAsso().start()
    settings.HELLOASSO_API_URL = fake.url
    settings.HELLOASSO_CHECKOUT_ORIGIN = fake.url
    yield fake
    fake.stop()
