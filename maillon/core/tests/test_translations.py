"""French is the default language: every string of the interface must be translated.
Source strings are English, so English is complete by construction."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def _catalogs():
    """The project catalogue and the apps' own (volunteering, events, ...)."""
    paths = [Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"]
    assert paths[0].exists(), "the French catalogue is missing"
    paths += sorted(Path(settings.BASE_DIR, "maillon").glob("*/locale/fr/LC_MESSAGES/django.po"))
    for path in paths:
        with path.open("rb") as po_file:
            yield read_po(po_file, locale="fr")


def _messages():
    return [m for catalog in _catalogs() for m in catalog if m.id]


def test_every_french_string_is_translated():
    missing = []
    for message in _messages():
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert not missing, f"{len(missing)} untranslated or fuzzy French strings, e.g. {missing[:5]}"


def test_french_strings_keep_their_placeholders():
    broken = []
    for message in _messages():
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        expected = {m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(ids[0])}
        for translated in strings:
            found = {m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(translated)}
            # Plural forms may drop the count ("une personne"), never invent a name.
            if not found <= expected | {"counter"} or (expected - {"counter"}) - found:
                broken.append(message.id)
    assert not broken, f"placeholders differ in: {broken[:5]}"


@pytest.mark.django_db
def test_pages_are_french_by_default_whatever_the_browser_says(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_gives_english(client):
    response = client.post("/me/language/", {"language": "en", "next": "/"}, follow=True)
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()
