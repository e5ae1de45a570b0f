import unicodedata


def fold(value: str) -> str:
    """Lower-case text without accents, for searches that find "Élise" from "elise"
    on every database."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
