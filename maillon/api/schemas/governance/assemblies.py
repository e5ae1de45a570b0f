"""Shapes of the assemblies API: the list (paginated) and one assembly with the
polls the caller may see."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from ..common import MAX_PAGE, InputSchema

MAX_ASSEMBLY_PAGE_SIZE = 100


class AssemblyListQuery(InputSchema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=MAX_ASSEMBLY_PAGE_SIZE, description="Assemblies per page.")


class AssemblyOut(Schema):
    id: int
    kind: str = Field(description="`ordinary`, `extraordinary`, `board`, `bureau` or `other`.")
    mode: str = Field(description="`in_person`, `online` or `hybrid`.")
    title: str
    description: str
    place: str
    online_link: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    status: str = Field(
        description="`draft` (only for who prepares assemblies), `convened`, `open` "
        "(in session), `closed` or `minutes_approved`."
    )

    @classmethod
    def from_assembly(cls, assembly, **extra) -> AssemblyOut:
        return cls(
            id=assembly.pk,
            kind=assembly.kind,
            mode=assembly.mode,
            title=assembly.title,
            description=assembly.description,
            place=assembly.place,
            online_link=assembly.online_link,
            starts_at=assembly.starts_at,
            ends_at=assembly.ends_at,
            status=assembly.status,
            **extra,
        )


class AssemblyPageOut(Schema):
    count: int = Field(description="Number of assemblies the caller may see.")
    page: int
    page_size: int
    next: int | None = Field(description="Number of the next page, null on the last page.")
    previous: int | None = Field(description="Number of the previous page, null on the first.")
    items: list[AssemblyOut]


class PollSummaryOut(Schema):
    id: int
    title: str
    kind: str
    status: str = Field(description="`created`, `open`, `closed` or `published`.")
    is_secret: bool


class AssemblyDetailOut(AssemblyOut):
    polls: list[PollSummaryOut] = Field(
        description="The assembly's polls the caller may see (those with status `open` "
        "take ballots); polls not opened yet only for who prepares assemblies."
    )
    my_roll_entry: int | None = Field(
        description="The caller's entry on the electoral roll, null when not on it."
    )
