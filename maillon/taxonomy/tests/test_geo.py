"""Tests for the postal code helpers and the consistency of the shipped reference CSVs.

No database needed: run with ``pytest maillon/taxonomy/tests/test_geo.py -p no:django``.
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from maillon.taxonomy.geo import (
    department_code_for_postal_code,
    is_valid_postal_code,
    normalise_postal_code,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OVERSEAS_CODES = {"971", "972", "973", "974", "976"}


def read_csv(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def regions() -> list[dict[str, str]]:
    return read_csv("regions.csv")


@pytest.fixture(scope="module")
def departments() -> list[dict[str, str]]:
    return read_csv("departments.csv")


@pytest.fixture(scope="module")
def sectors() -> list[dict[str, str]]:
    return read_csv("sectors.csv")


# --- geo.py ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postal_code", "expected"),
    [
        ("75001", "75"),
        ("01000", "01"),
        ("13001", "13"),
        ("95000", "95"),
        ("20000", "2A"),
        ("20199", "2A"),
        ("20200", "2B"),
        ("20290", "2B"),
        ("20600", "2B"),
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97600", "976"),
        ("75 001", "75"),
        (" 75001 ", "75"),
        ("75\u00a0001", "75"),
    ],
)
def test_department_code_for_postal_code(postal_code, expected):
    assert department_code_for_postal_code(postal_code) == expected


@pytest.mark.parametrize(
    "postal_code",
    [
        "7500",  # too short
        "750011",  # too long
        "abcde",
        "7500a",
        "75-001",
        "",
        None,
        "00100",  # no department 00
        "96000",  # no department 96
        "97500",  # Saint-Pierre-et-Miquelon
        "97133",  # Saint-Barthélemy
        "97150",  # Saint-Martin
        "97700",
        "97800",
        "98000",  # Monaco
        "98800",  # New Caledonia
        "\u0667\u0665\u0660\u0660\u0661",  # non-ASCII digits
    ],
)
def test_department_code_for_postal_code_returns_none(postal_code):
    assert department_code_for_postal_code(postal_code) is None


def test_normalise_postal_code():
    assert normalise_postal_code(" 75 001 ") == "75001"
    assert normalise_postal_code("75\t001\n") == "75001"
    assert normalise_postal_code("") == ""
    assert normalise_postal_code(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("75001", True),
        ("75 001", True),
        ("98000", True),  # well-formed, even if it is not a French department
        ("7500", False),
        ("750011", False),
        ("abcde", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_postal_code(value, expected):
    assert is_valid_postal_code(value) is expected


# --- reference CSVs -------------------------------------------------------------------------


def test_region_and_department_counts(regions, departments):
    assert len(regions) == 18
    assert len(departments) == 101
    assert len({row["code"] for row in regions}) == 18
    assert len({row["code"] for row in departments}) == 101


def test_every_department_references_an_existing_region(regions, departments):
    region_codes = {row["code"] for row in regions}
    assert {row["region_code"] for row in departments} == region_codes


def test_departments_per_region(departments):
    counts = Counter(row["region_code"] for row in departments)
    assert counts == {
        "01": 1, "02": 1, "03": 1, "04": 1, "06": 1,
        "11": 8, "24": 6, "27": 8, "28": 5, "32": 5, "44": 10, "52": 5,
        "53": 4, "75": 12, "76": 13, "84": 12, "93": 6, "94": 2,
    }  # fmt: skip


def test_every_department_maps_back_from_a_postal_code(departments):
    for row in departments:
        code = row["code"]
        if code in {"2A", "2B"}:
            continue
        postal_code = f"{code}00" if code in OVERSEAS_CODES else f"{code}100"
        assert department_code_for_postal_code(postal_code) == code, postal_code


def test_names_are_filled_and_trimmed(regions, departments):
    for row in [*regions, *departments]:
        assert row["name"]
        assert row["name"] == row["name"].strip()


def test_sectors(sectors):
    codes = [row["code"] for row in sectors]
    assert len(codes) == len(set(codes))
    assert "other" in codes
    for row in sectors:
        assert row["code"].replace("-", "").isalpha() and row["code"].islower()
        assert len(row["code"]) <= 50
        assert row["label_fr"] and row["label_en"]
        assert int(row["position"]) >= 0
    positions = [int(row["position"]) for row in sectors]
    assert positions == sorted(positions)
    assert codes[-1] == "other"
