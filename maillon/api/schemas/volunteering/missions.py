"""Shapes of the missions API (``routers/volunteering/missions.py``): the public
search and a mission's public page, the association's missions.

Codes, not labels, identify taxonomy entries (skills, causes, departments): labels
follow the caller's language, codes do not change."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from maillon.volunteering.models import Audience, MissionStatus, ScheduleKind, TimeSlot

from ..common import BodySchema, InputSchema, MultilineText, Page, PageQuery

# --- Taxonomy ---------------------------------------------------------------------------


class CodeLabelOut(Schema):
    code: str
    label: str = Field(description="In the caller's language.")


class MissionDepartmentOut(Schema):
    code: str
    name: str


class MissionAssociationOut(Schema):
    slug: str
    name: str


# --- Missions ---------------------------------------------------------------------------


class _MissionBase(Schema):
    id: int
    title: str
    description: str
    skills: list[CodeLabelOut]
    cause: CodeLabelOut | None
    is_remote: bool
    postal_code: str
    city: str
    department: MissionDepartmentOut | None = Field(description="Derived from the postal code.")
    schedule_kind: str = Field(description="`one_off`, `recurring` or `flexible`.")
    start_date: datetime.date | None = Field(description="The date of a one-off mission.")
    end_date: datetime.date | None
    schedule_note: str
    time_slots: list[str] = Field(description="`weekday_daytime`, `weekday_evening`, `weekend`.")
    time_commitment: str
    hours_per_week: Decimal | None
    volunteers_wanted: int
    minimum_age: int | None
    status: str = Field(description="`draft`, `published`, `full` or `closed`.")
    published_at: datetime.datetime | None

    @staticmethod
    def base_fields(mission) -> dict:
        """``mission.skills`` should be prefetched, cause and department selected."""
        cause, department = mission.cause, mission.department
        return {
            "id": mission.pk,
            "title": mission.title,
            "description": mission.description,
            "skills": [CodeLabelOut(code=s.code, label=s.label) for s in mission.skills.all()],
            "cause": CodeLabelOut(code=cause.code, label=cause.label) if cause else None,
            "is_remote": mission.is_remote,
            "postal_code": mission.postal_code,
            "city": mission.city,
            "department": (
                MissionDepartmentOut(code=department.code, name=department.name)
                if department
                else None
            ),
            "schedule_kind": mission.schedule_kind,
            "start_date": mission.start_date,
            "end_date": mission.end_date,
            "schedule_note": mission.schedule_note,
            "time_slots": list(mission.time_slots or []),
            "time_commitment": mission.time_commitment,
            "hours_per_week": mission.hours_per_week,
            "volunteers_wanted": mission.volunteers_wanted,
            "minimum_age": mission.minimum_age,
            "status": mission.status,
            "published_at": mission.published_at,
        }


class PublicMissionOut(_MissionBase):
    association: MissionAssociationOut
    takes_applications: bool = Field(
        description="False for a mission that is full or closed (its page stays online)."
    )

    @classmethod
    def from_mission(cls, mission) -> PublicMissionOut:
        association = mission.association
        return cls(
            **cls.base_fields(mission),
            association=MissionAssociationOut(slug=association.slug, name=association.name),
            takes_applications=mission.is_open,
        )


class PublicMissionPageOut(Schema):
    """A page of the public search. No total count: counting every match of a broad
    search costs as much as the search itself (like the /missions/ page)."""

    page: int
    page_size: int
    next: int | None = Field(description="Number of the next page, null on the last page.")
    previous: int | None = Field(description="Number of the previous page, null on the first.")
    items: list[PublicMissionOut]


class MissionSearchQuery(InputSchema):
    q: str = Field("", max_length=200, description="Keywords.")
    skill: list[str] = Field(
        default_factory=list,
        description="Skill codes (repeat the parameter: `skill=a&skill=b`); any of them.",
    )
    cause: str = Field("", description="Cause code.")
    department: str = Field("", description="Department code, e.g. `69` or `2A`.")
    remote: bool = Field(
        False, description="Remote missions; with a department, those there and remote ones."
    )
    date: datetime.date | None = Field(None, description="Missions available on this day.")
    association: str = Field("", description="Slug of one association.")
    sort: Literal["date", "relevance"] = Field(
        "date", description="`relevance` only changes the order with `q`."
    )
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")


class MissionOut(_MissionBase):
    audience: str = Field(description="`public` (everyone) or `members` (members only).")
    applications: int = Field(description="Submitted applications.")
    applications_waiting: int = Field(description="Applications new or in discussion.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @classmethod
    def from_mission(cls, mission, *, applications: int, waiting: int) -> MissionOut:
        return cls(
            **cls.base_fields(mission),
            audience=mission.audience,
            applications=applications,
            applications_waiting=waiting,
            created_at=mission.created_at,
            updated_at=mission.updated_at,
        )


class MissionPageOut(Page):
    items: list[MissionOut]


class MissionListQuery(PageQuery):
    status: MissionStatus | None = Field(None, description="Only missions in this status.")


class MissionCreateIn(BodySchema):
    """A new mission: a draft unless ``publish`` is true. The department is derived
    from the postal code; a mission needs a postal code unless it can be done
    remotely, and a one-off mission needs its date."""

    title: str = Field(min_length=1, max_length=200)
    description: MultilineText = Field(min_length=1)
    skills: list[str] = Field(default_factory=list, description="Skill codes.")
    cause: str | None = Field(None, description="Cause code.")
    is_remote: bool = False
    postal_code: str = ""
    city: str = ""
    schedule_kind: ScheduleKind = ScheduleKind.FLEXIBLE
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    schedule_note: str = ""
    time_slots: list[TimeSlot] = Field(default_factory=list)
    time_commitment: str = ""
    hours_per_week: Decimal | None = Field(None, ge=0, le=80)
    volunteers_wanted: int = Field(1, ge=1, le=10_000)
    minimum_age: int | None = Field(None, ge=0, le=99)
    audience: Audience = Audience.PUBLIC
    publish: bool = Field(False, description="Publish at once instead of saving a draft.")


class MissionUpdateIn(BodySchema):
    """Partial update: only the fields present in the body change. The status
    changes through `publish` and `close`."""

    title: str = Field(None, min_length=1, max_length=200)
    description: MultilineText = Field(None, min_length=1)
    skills: list[str] = Field(None, description="Skill codes; replaces the list.")
    cause: str | None = Field(None, description="Cause code; null removes it.")
    is_remote: bool = Field(None)
    postal_code: str = Field(None)
    city: str = Field(None)
    schedule_kind: ScheduleKind = Field(None)
    start_date: datetime.date | None = Field(None)
    end_date: datetime.date | None = Field(None)
    schedule_note: str = Field(None)
    time_slots: list[TimeSlot] = Field(None)
    time_commitment: str = Field(None)
    hours_per_week: Decimal | None = Field(None, ge=0, le=80)
    volunteers_wanted: int = Field(None, ge=1, le=10_000)
    minimum_age: int | None = Field(None, ge=0, le=99)
    audience: Audience = Field(None)
