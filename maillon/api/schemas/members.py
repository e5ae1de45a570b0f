"""Shapes of the member register. One schema per operation direction: what a client
may send to create a member is not what it may send to change one."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from maillon.members.models import Person, Role
from maillon.members.register.selectors import RegisterRow

from .common import MAX_PAGE, BodySchema, InputSchema, MultilineText


class MemberOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    postal_code: str
    city: str
    birth_date: datetime.date | None
    joined_on: datetime.date
    left_on: datetime.date | None = Field(description="Set when the person left.")
    notes: str
    roles: list[str] = Field(description="Role codes, e.g. `member`, `board`, `admin`.")
    is_up_to_date: bool = Field(description="Holds a paid membership period covering today.")
    consent_newsletter: bool
    consent_directory: bool

    @classmethod
    def from_person(cls, person: Person, *, is_up_to_date: bool) -> MemberOut:
        """``person.role_assignments`` should be prefetched."""
        return cls(
            id=person.pk,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            phone=person.phone,
            address=person.address,
            postal_code=person.postal_code,
            city=person.city,
            birth_date=person.birth_date,
            joined_on=person.joined_on,
            left_on=person.left_on,
            notes=person.notes,
            roles=sorted(ra.role for ra in person.role_assignments.all()),
            is_up_to_date=is_up_to_date,
            consent_newsletter=person.consent_newsletter,
            consent_directory=person.consent_directory,
        )

    @classmethod
    def from_row(cls, row: RegisterRow) -> MemberOut:
        """A row of ``person_slice`` (read with its details): plain values, roles
        already sorted."""
        return cls(
            id=row.pk,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
            phone=row.phone,
            address=row.address,
            postal_code=row.postal_code,
            city=row.city,
            birth_date=row.birth_date,
            joined_on=row.joined_on,
            left_on=row.left_on,
            notes=row.notes,
            roles=row.roles,
            is_up_to_date=row.is_up_to_date,
            consent_newsletter=row.consent_newsletter,
            consent_directory=row.consent_directory,
        )


MAX_PAGE_SIZE = 200


class MemberListQuery(InputSchema):
    search: str = Field("", description="Words to find in names, email or city.")
    role: Role | None = Field(None, description="Only people holding this role.")
    up_to_date: Literal["yes", "no"] | None = Field(
        None, description="Only people whose fee is (`yes`) or is not (`no`) paid for today."
    )
    status: Literal["active", "left", "all"] = Field(
        "active", description="Current members, former members, or both."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Members per page.")


class MemberPageOut(Schema):
    count: int = Field(
        description="Number of members matching the filters: exact up to 10,000; "
        "beyond, 10,000 with `count_is_capped` true (more than 10,000: the register is "
        "not counted in full on every page)."
    )
    count_is_capped: bool = Field(
        False, description="True when there are more than `count` matching members."
    )
    page: int
    page_size: int
    next: int | None = Field(description="Number of the next page, null on the last page.")
    previous: int | None = Field(description="Number of the previous page, null on the first.")
    items: list[MemberOut]


class MemberCreateIn(BodySchema):
    """A new person in the register. Only first and last names are required: a member
    without an email address is a full member."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = ""
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    birth_date: datetime.date | None = None
    # Omitted means today (the model's default), hence no None in the type.
    joined_on: datetime.date = Field(None, description="Defaults to today.")
    notes: MultilineText = ""
    consent_newsletter: bool = False
    consent_directory: bool = False
    roles: list[Role] = Field(
        default_factory=lambda: [Role.MEMBER],
        description="Roles to give. Anything beyond `member` and `volunteer` needs the "
        "permission to manage roles.",
    )


class MemberUpdateIn(BodySchema):
    """Partial update: only the fields present in the body change. Roles are changed
    elsewhere (they need their own permission)."""

    # Defaults are not validated, so "absent" is allowed while an explicit null is
    # refused for fields that cannot be empty.
    first_name: str = Field(None, min_length=1, max_length=100)
    last_name: str = Field(None, min_length=1, max_length=100)
    email: str = Field(None)
    phone: str = Field(None)
    address: str = Field(None)
    postal_code: str = Field(None)
    city: str = Field(None)
    birth_date: datetime.date | None = Field(None, description="null clears it.")
    joined_on: datetime.date = Field(None)
    notes: MultilineText = Field(None)
    consent_newsletter: bool = Field(None)
    consent_directory: bool = Field(None)
