import pytest

from .fake_helloasso import FakeHelloAsso


@pytest.fixture
def fake_helloasso(settings):
    fake = FakeHelloAsso().start()
    settings.HELLOASSO_API_URL = fake.url
    yield fake
    fake.stop()
