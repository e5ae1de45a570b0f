"""The shared reference lists shipped in ``taxonomy/data`` (regions, departments,
sectors, skills, causes). Loaded by a data migration; ``ensure_loaded`` puts them back where a
database was flushed (transactional tests), and adds rows that a newer data file
brings."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(filename: str) -> list[dict]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_labels(Model, filename: str, using: str = "default") -> None:
    """Create the missing rows of a bilingual list (sectors, skills, causes)."""
    have = set(Model.objects.using(using).values_list("code", flat=True))
    Model.objects.using(using).bulk_create(
        Model(
            code=row["code"],
            label_fr=row["label_fr"],
            label_en=row["label_en"],
            position=int(row["position"]),
        )
        for row in read_csv(filename)
        if row["code"] not in have
    )


def load(Region, Department, Sector, using: str = "default") -> None:
    """Create the missing rows, given the model classes (historical ones in a
    migration)."""
    have = set(Region.objects.using(using).values_list("code", flat=True))
    Region.objects.using(using).bulk_create(
        Region(code=row["code"], name=row["name"])
        for row in read_csv("regions.csv")
        if row["code"] not in have
    )
    regions = {region.code: region for region in Region.objects.using(using).all()}
    have = set(Department.objects.using(using).values_list("code", flat=True))
    Department.objects.using(using).bulk_create(
        Department(code=row["code"], name=row["name"], region=regions[row["region_code"]])
        for row in read_csv("departments.csv")
        if row["code"] not in have
    )
    load_labels(Sector, "sectors.csv", using)


def ensure_loaded() -> None:
    from .models import Cause, Department, Region, Sector, Skill

    if not Department.objects.exists() or not Sector.objects.exists():
        load(Region, Department, Sector)
    if not Skill.objects.exists() or not Cause.objects.exists():
        load_labels(Skill, "skills.csv")
        load_labels(Cause, "causes.csv")
