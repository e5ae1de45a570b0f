"""An amount in euros written out in French words, as the receipt asks ("somme en
toutes lettres"). Pure Python, traditional spelling: « quatre-vingts », « deux
cents », « mille » invariable, « et » in 21, 31... 71."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, final: bool) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base = "soixante" if tens == 7 else "quatre-vingt"
        if tens == 7 and unit == 1:
            return "soixante et onze"
        return f"{base}-{_UNITS[10 + unit]}"
    if tens == 8:
        if unit == 0:
            return "quatre-vingts" if final else "quatre-vingt"
        return f"quatre-vingt-{_UNITS[unit]}"
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_UNITS[unit]}"


def _below_1000(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            plural = final and rest == 0
            parts.append(f"{_UNITS[hundreds]} cent{'s' if plural else ''}")
    if rest or not hundreds:
        parts.append(_below_100(rest, final))
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    if n == 0:
        return "zéro"
    parts = []
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    if millions:
        word = "million" if millions == 1 else "millions"
        parts.append(f"{integer_in_words(millions)} {word}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, False)} mille")
    if units:
        parts.append(_below_1000(units, True))
    return " ".join(parts)


def euros_in_words(amount: Decimal) -> str:
    """``Decimal("1280.50")`` → « mille deux cent quatre-vingts euros et cinquante centimes »."""
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    euros = int(amount)
    cents = int((amount - euros) * 100)
    parts = []
    if euros or not cents:
        words = integer_in_words(euros)
        # « un million d’euros », « deux millions d’euros ».
        if euros and euros % 1_000_000 == 0:
            parts.append(f"{words} d’euros")
        else:
            parts.append(f"{words} euro{'s' if euros > 1 else ''}")
    if cents:
        parts.append(f"{integer_in_words(cents)} centime{'s' if cents > 1 else ''}")
    return " et ".join(parts)
