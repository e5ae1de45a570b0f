import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read messages in the source language (English); the French
    catalogue is checked by the catalogue tests."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
