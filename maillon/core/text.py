import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _


def fold(value: str) -> str:
    """Lower-case text without accents, for searches that find "Élise" from "elise"
    on every database."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


#: What an email greeting repeats of a name typed by a visitor without an account.
GREETING_NAME_LIMIT = 40


def greeting_name(value: str) -> str:
    """A first name as an email to a visitor's address may repeat it: on one line,
    at most ``GREETING_NAME_LIMIT`` characters. Anyone can type any address and any
    "first name" into a public form; the email must not carry their message."""
    return " ".join((value or "").split())[:GREETING_NAME_LIMIT].strip()


# --- Characters text may not contain ------------------------------------------------------
#
# The one rule for what a person or a client sends (every API field and query parameter,
# every form field and query string): no C0 control character, which no keyboard types
# and PostgreSQL refuses outright for NUL, and no lone surrogate, which is not text at
# all (it cannot be encoded to be stored). Multi-line text keeps its tabs and line
# breaks; a single-line value (a name, a code, a search) takes none of them.
_FORBIDDEN_IN_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_FORBIDDEN_IN_LINE = re.compile("[\x00-\x1f\ud800-\udfff]")
_LINE_BREAKS = "\t\n\r"

#: The same rules as JSON schema patterns (ECMA-262), for the API's documentation.
MULTILINE_TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"
LINE_TEXT_PATTERN = "^[^\\u0000-\\u001f]*$"


def forbidden_character(value: str, *, multiline: bool = True) -> str | None:
    """The first character of ``value`` that text may not contain, or None."""
    pattern = _FORBIDDEN_IN_MULTILINE if multiline else _FORBIDDEN_IN_LINE
    found = pattern.search(value)
    return found.group() if found else None


def forbidden_character_message(character: str) -> str:
    """What to tell the person who sent ``character`` (see ``forbidden_character``)."""
    if character in _LINE_BREAKS:
        return _("This field takes a single line: remove the line break or the tab.")
    return _(
        "This field contains an invisible control character (%(code)s), often left by a "
        "copy and paste: remove it."
    ) % {"code": f"U+{ord(character):04X}"}


def forbidden_character_in(value: Any, *, multiline: bool = True) -> str | None:
    """Like ``forbidden_character`` for a value that may hold text: a string, or a list,
    tuple or dict (keys and values) of them, at any depth."""
    if isinstance(value, str):
        return forbidden_character(value, multiline=multiline)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            found = forbidden_character_in(item, multiline=multiline)
            if found is not None:
                return found
    return None
