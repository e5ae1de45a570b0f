"""Open data of a published wave: its tables as CSV and XLSX, with a data dictionary.
Only published, suppressed tables: never a snapshot."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from ..models import Wave

COLUMNS = (
    "wave",
    "indicator",
    "label_fr",
    "label_en",
    "breakdown",
    "category",
    "suppressed",
    "n",
    "weighted_share",
    "ci95_low",
    "ci95_high",
    "unweighted_share",
    "national_value",
    "national_edition",
    "mapping_version",
)

DICTIONARY = (
    ("wave", "Année de la vague", "Year of the wave"),
    (
        "indicator",
        "Code de l’indicateur (correspondance versionnée)",
        "Indicator code (versioned mapping)",
    ),
    ("label_fr", "Libellé en français", "Label in French"),
    ("label_en", "Libellé en anglais", "Label in English"),
    ("breakdown", "all, size_band, sector ou region", "all, size_band, sector or region"),
    (
        "category",
        "Catégorie de la ventilation (vide pour all)",
        "Category of the breakdown (empty for all)",
    ),
    (
        "suppressed",
        "1 si la case est masquée (moins de k associations, ou masquage complémentaire)",
        "1 when the cell is hidden (fewer than k associations, or complementary suppression)",
    ),
    (
        "n",
        "Nombre d’associations ayant répondu (vide si masqué)",
        "Number of associations that answered (empty when hidden)",
    ),
    ("weighted_share", "Part pondérée, entre 0 et 1", "Weighted share, between 0 and 1"),
    (
        "ci95_low",
        "Borne basse de l’intervalle de Wilson à 95 %, sur l’effectif efficace",
        "Lower bound of the 95% Wilson interval, on the effective sample size",
    ),
    ("ci95_high", "Borne haute de l’intervalle", "Upper bound of the interval"),
    ("unweighted_share", "Part brute, non pondérée", "Raw, unweighted share"),
    (
        "national_value",
        "Chiffre national de l’édition la plus proche (R&S / Solidatech)",
        "National figure of the nearest edition (R&S / Solidatech)",
    ),
    ("national_edition", "Année de cette édition", "Year of that edition"),
    (
        "mapping_version",
        "Version de la correspondance questions → indicateurs",
        "Version of the questions → indicators mapping",
    ),
)


def _cell(entry: dict[str, Any], key: str) -> Any:
    return "" if entry.get("suppressed") else entry.get(key, "")


def wave_rows(wave: Wave) -> Iterator[list[Any]]:
    for entry in wave.results.get("indicators", []):
        national = entry.get("national") or {}
        common = [wave.year, entry["code"], entry["label"]["fr"], entry["label"]["en"]]
        tail = [national.get("value", ""), national.get("edition", ""), wave.mapping_version]
        yield [
            *common,
            "all",
            "",
            int(bool(entry.get("suppressed"))),
            "" if entry.get("suppressed") else entry.get("n"),
            _cell(entry, "share"),
            _cell(entry, "low"),
            _cell(entry, "high"),
            _cell(entry, "unweighted_share"),
            *tail,
        ]
        for variable, cells in entry.get("breakdowns", {}).items():
            for cell in cells:
                yield [
                    *common,
                    variable,
                    cell["category"],
                    int(bool(cell["suppressed"])),
                    _cell(cell, "n"),
                    _cell(cell, "share"),
                    _cell(cell, "low"),
                    _cell(cell, "high"),
                    _cell(cell, "unweighted_share"),
                    *tail,
                ]


def wave_csv(wave: Wave) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(wave_rows(wave))
    return out.getvalue()


def dictionary_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("column", "description_fr", "description_en"))
    writer.writerows(DICTIONARY)
    return out.getvalue()


def wave_xlsx(wave: Wave) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"observatoire-{wave.year}"
    sheet.append(list(COLUMNS))
    for row in wave_rows(wave):
        sheet.append(row)
    dictionary = book.create_sheet("dictionnaire")
    dictionary.append(["column", "description_fr", "description_en"])
    for row in DICTIONARY:
        dictionary.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
