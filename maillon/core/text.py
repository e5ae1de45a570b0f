import unicodedata


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
