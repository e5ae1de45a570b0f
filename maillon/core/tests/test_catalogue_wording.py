"""Wording rules checked over every French catalogue (the project's and the apps' own).

- French uses the typographic apostrophe ’ only: a straight ' in a msgstr is a slip
  (HTML attribute quotes written as ='…' are the one exception, and none exist today).
- A number followed by a word ("%(count)s people", "%(count)s personnes") must come
  from a plural entry (ngettext / {% blocktranslate count %}), otherwise French or
  English reads "1 personnes" / "1 people". A count shown on its own ("Présents : 3",
  "Page 2 sur 5", "(4)") needs no plural and is allowed.
- Every plural entry has all its French forms filled.
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

# Placeholder names that hold a number of things, found by grepping the catalogues.
COUNT_NAMES = {
    "count",
    "counter",
    "n",
    "total",
    "done",
    "sent",
    "taken",
    "capacity",
    "confirmed",
    "waiting",
    "pending",
    "present",
    "represented",
    "voters",
    "voted",
    "ballots",
    "blank",
    "marks",
    "filled",
    "accepted",
    "applications",
    "views",
    "retained",
    "eligible",
    "answered",
    "minutes",
    "days",
    "hours",
    "seats",
    "age",
    "max",
    "min",
    "limit",
    "validated",
    "this_year",
}
# Words after a number that do not agree with it: connectors and unit symbols.
NEUTRAL_WORDS = {
    "of",
    "out",
    "on",
    "and",
    "sur",
    "et",
    "h",
    "mb",
    "mo",
    "ko",
    "kb",
}
PLACEHOLDER = re.compile(
    r"(?:%\((?P<name>\w+)\)[sdif]|\{(?P<brace>\w+)\})(?P<after>\s+(?P<word>[^\W\d]+))?"
)
STRAIGHT_APOSTROPHE = re.compile(r"(?<!=)'")


def _catalogue_paths():
    project = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
    assert project.exists(), "the French catalogue is missing"
    apps = sorted(Path(settings.BASE_DIR, "maillon").glob("*/locale/fr/LC_MESSAGES/django.po"))
    assert apps, "the apps' own catalogues were not found"
    return [project, *apps]


def _messages():
    for path in _catalogue_paths():
        with path.open("rb") as po_file:
            catalogue = read_po(po_file, locale="fr")
        for message in catalogue:
            if message.id:
                yield path.relative_to(settings.BASE_DIR), message


def _strings(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def counted_words(text):
    """The count placeholders of `text` that a (non-neutral) word follows."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group("name") or match.group("brace")
        word = (match.group("word") or "").lower()
        if name in COUNT_NAMES and word and word not in NEUTRAL_WORDS:
            found.append(f"{name} {word}")
    return found


def test_the_scan_recognises_a_count_that_needs_a_plural():
    assert counted_words("%(count)s people were invited.") == ["count people"]
    assert counted_words("{count} messages") == ["count messages"]
    assert counted_words("Présents : %(count)s.") == []
    assert counted_words("Page %(number)s of %(total)s") == []
    assert counted_words("%(validated)s h validated") == []
    assert counted_words("%(name)s already holds") == []


def test_french_catalogues_use_the_typographic_apostrophe():
    straight = [
        f"{path}: {text!r}"
        for path, message in _messages()
        for text in _strings(message.string)
        if STRAIGHT_APOSTROPHE.search(text)
    ]
    assert not straight, (
        f"{len(straight)} French strings with a straight apostrophe:\n" + "\n".join(straight[:20])
    )


def test_counts_followed_by_a_word_are_plural_entries():
    singular_only = []
    for path, message in _messages():
        if message.pluralizable:
            continue
        texts = [message.id, *_strings(message.string)]
        hits = [hit for text in texts for hit in counted_words(text)]
        if hits:
            singular_only.append(f"{path}: {message.id!r} ({', '.join(hits)})")
    assert not singular_only, (
        f"{len(singular_only)} strings show a count without ngettext:\n"
        + "\n".join(singular_only[:40])
    )


def test_every_plural_entry_has_all_its_french_forms():
    incomplete = [
        f"{path}: {message.id[0]!r}"
        for path, message in _messages()
        if message.pluralizable
        and (len(_strings(message.string)) < 2 or not all(_strings(message.string)))
    ]
    assert not incomplete, "plural entries with missing French forms:\n" + "\n".join(incomplete)


def test_no_app_translation_is_hidden_by_a_different_project_one():
    """Django looks in LOCALE_PATHS (the project catalogue) before the apps' own: an
    app's translation of the same msgid is never shown, so two different French texts
    for it mean the app's wording (e.g. a feminine "Publiée") silently loses."""
    project_path, *app_paths = _catalogue_paths()
    with project_path.open("rb") as po_file:
        project = {
            (m.context, _strings(m.id)[0]): m.string for m in read_po(po_file, locale="fr") if m.id
        }
    hidden = []
    for path in app_paths:
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale="fr"):
                key = (message.context, _strings(message.id)[0])
                if message.id and key in project and project[key] != message.string:
                    hidden.append(f"{path.relative_to(settings.BASE_DIR)}: {key[1]!r}")
    assert not hidden, "app translations hidden by the project catalogue:\n" + "\n".join(hidden)


def test_a_capitalised_english_text_is_capitalised_in_french():
    """Labels start with a capital: when the English text does, so does the French."""
    lowered = []
    for path, message in _messages():
        source = _strings(message.id)[0]
        if not source[:1].isupper():
            continue
        lowered += [
            f"{path}: {source!r} → {text!r}"
            for text in _strings(message.string)
            if text[:1].islower()
        ]
    assert not lowered, "French texts that lost their capital:\n" + "\n".join(lowered)


ORDINARY_SPACE_BEFORE_MARK = re.compile(r"\S [:;!?»]|« |(?:\d|\)s) %(?!\()")


def test_french_punctuation_takes_a_non_breaking_space():
    """« Oui : 8 ; Non : 1 », "88,9 %": the space before : ; ! ? » % (and after «) is
    a non-breaking one, so the mark never starts a line."""
    ordinary = [
        f"{path}: {text!r}"
        for path, message in _messages()
        for text in _strings(message.string)
        if ORDINARY_SPACE_BEFORE_MARK.search(text)
    ]
    assert not ordinary, f"{len(ordinary)} French strings with an ordinary space:\n" + "\n".join(
        ordinary[:20]
    )
