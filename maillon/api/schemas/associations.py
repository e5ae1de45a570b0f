"""Shapes of an association's card."""

from __future__ import annotations

from ninja import Field, Schema

from maillon.associations.models import Association


class LabelOut(Schema):
    code: str
    label: str


class DepartmentOut(Schema):
    code: str
    name: str
    region: str


class AssociationOut(Schema):
    slug: str
    name: str
    purpose: str
    sector: LabelOut | None
    size_band: str = Field(description="Band of the number of employees.")
    postal_code: str
    city: str
    department: DepartmentOut | None
    rna: str = Field(description="Number in the national register of associations (RNA).")
    siren: str
    website: str
    contact_email: str
    phone: str
    time_zone: str
    enabled_modules: list[str]
    is_listed: bool = Field(description="Listed in the public directory.")
    accepts_join_requests: bool

    @classmethod
    def from_association(cls, association: Association) -> AssociationOut:
        sector = association.sector
        department = association.department
        return cls(
            slug=association.slug,
            name=association.name,
            purpose=association.purpose,
            sector=LabelOut(code=sector.code, label=sector.label) if sector else None,
            size_band=association.size_band,
            postal_code=association.postal_code,
            city=association.city,
            department=(
                DepartmentOut(
                    code=department.code, name=department.name, region=department.region.name
                )
                if department
                else None
            ),
            rna=association.rna,
            siren=association.siren,
            website=association.website,
            contact_email=association.contact_email,
            phone=association.phone,
            time_zone=association.time_zone,
            enabled_modules=list(association.enabled_modules or []),
            is_listed=association.is_listed,
            accepts_join_requests=association.accepts_join_requests,
        )
