"""Shapes of the volunteering API: missions (public search and back-office),
applications and their thread, volunteer hours and their valuation.

Codes, not labels, identify taxonomy entries (skills, causes, departments): labels
follow the caller's language, codes do not change."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from maillon.volunteering.models import (
    Activity,
    ApplicationStatus,
    Audience,
    HoursStatus,
    MissionStatus,
    ScheduleKind,
    TimeSlot,
)

from .common import Page, PageQuery

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


class MissionSearchQuery(Schema):
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


class MissionCreateIn(Schema):
    """A new mission: a draft unless ``publish`` is true. The department is derived
    from the postal code; a mission needs a postal code unless it can be done
    remotely, and a one-off mission needs its date."""

    title: str
    description: str
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


class MissionUpdateIn(Schema):
    """Partial update: only the fields present in the body change. The status
    changes through `publish` and `close`."""

    title: str = Field(None)
    description: str = Field(None)
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


# --- Applications -----------------------------------------------------------------------


class ApplicationMissionOut(Schema):
    id: int
    title: str


class ApplicationOut(Schema):
    id: int
    mission: ApplicationMissionOut
    first_name: str
    last_name: str
    email: str
    phone: str
    message: str
    status: str = Field(description="`new`, `discussion`, `accepted`, `declined` or `withdrawn`.")
    source: str = Field(description="Where the candidate came from.")
    submitted_at: datetime.datetime
    first_response_at: datetime.datetime | None = Field(
        description="The association's first answer (a message or a decision)."
    )
    decided_at: datetime.datetime | None
    unanswered: bool = Field(description="New and not answered yet.")
    person_id: int | None = Field(description="The volunteer's record, once accepted.")

    @classmethod
    def from_application(cls, application, **extra) -> ApplicationOut:
        return cls(
            id=application.pk,
            mission=ApplicationMissionOut(
                id=application.mission_id, title=application.mission.title
            ),
            first_name=application.first_name,
            last_name=application.last_name,
            email=application.email,
            phone=application.phone,
            message=application.message,
            status=application.status,
            source=application.source,
            submitted_at=application.submitted_at,
            first_response_at=application.first_response_at,
            decided_at=application.decided_at,
            unanswered=(
                application.status == ApplicationStatus.NEW
                and application.first_response_at is None
            ),
            person_id=application.person_id,
            **extra,
        )


class ApplicationPageOut(Page):
    items: list[ApplicationOut]


class ApplicationListQuery(PageQuery):
    status: ApplicationStatus | None = Field(None, description="Only this status.")
    mission: int | None = Field(None, ge=1, description="Only the applications to this mission.")


class MessageOut(Schema):
    id: int
    from_association: bool = Field(description="False for the candidate's messages.")
    author: str = Field(description="Who wrote it for the association; empty otherwise.")
    body: str
    created_at: datetime.datetime

    @classmethod
    def from_message(cls, message) -> MessageOut:
        author = message.author if message.from_association else None
        return cls(
            id=message.pk,
            from_association=message.from_association,
            author=(author.full_name or author.email) if author else "",
            body=message.body,
            created_at=message.created_at,
        )


class ApplicationDetailOut(ApplicationOut):
    thread: list[MessageOut] = Field(description="Messages, oldest first.")


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=5000)


class AcceptIn(Schema):
    mark_full_when_complete: bool = Field(
        True,
        description="Mark the mission full once it has all the volunteers it wanted.",
    )


# --- Hours ------------------------------------------------------------------------------


class HoursPersonOut(Schema):
    id: int
    first_name: str
    last_name: str


class HoursOut(Schema):
    id: int
    person: HoursPersonOut
    mission: ApplicationMissionOut | None
    date: datetime.date
    hours: Decimal
    activity: str
    description: str
    status: str = Field(description="`pending`, `validated` or `rejected`.")
    validated_at: datetime.datetime | None
    created_at: datetime.datetime

    @classmethod
    def from_entry(cls, entry) -> HoursOut:
        person, mission = entry.person, entry.mission
        return cls(
            id=entry.pk,
            person=HoursPersonOut(
                id=person.pk, first_name=person.first_name, last_name=person.last_name
            ),
            mission=ApplicationMissionOut(id=mission.pk, title=mission.title) if mission else None,
            date=entry.date,
            hours=entry.hours,
            activity=entry.activity,
            description=entry.description,
            status=entry.status,
            validated_at=entry.validated_at,
            created_at=entry.created_at,
        )


class HoursTotalsOut(Schema):
    validated: Decimal = Field(description="Validated hours of the filtered list.")
    pending: Decimal = Field(description="Hours waiting for validation.")
    pending_count: int


class HoursPageOut(Page):
    totals: HoursTotalsOut
    items: list[HoursOut]


class HoursListQuery(PageQuery):
    status: HoursStatus | None = None
    person: int | None = Field(
        None, ge=1, description="Only this person's hours (for who manages hours)."
    )
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="Year and month: `2026-03`.")
    activity: Activity | None = None


class HoursIn(Schema):
    date: datetime.date
    hours: Decimal = Field(ge=Decimal("0.25"), le=24, max_digits=5, decimal_places=2)
    activity: Activity
    mission: int | None = Field(None, description="A mission of the association.")
    description: str = Field("", max_length=255)
    person: int | None = Field(
        None,
        description="Whose hours (a member id). Omit to log your own; logging for "
        "someone else needs `volunteering.hours`.",
    )


class ValuationActivityOut(Schema):
    activity: str
    label: str
    hours: Decimal
    volunteers: int
    amount: Decimal


class ValuationMonthOut(Schema):
    month: datetime.date
    hours: Decimal
    volunteers: int
    amount: Decimal


class ValuationOut(Schema):
    year: int
    hourly_rate: Decimal = Field(description="€ per hour used for this year.")
    rate_is_locked: bool = Field(description="The year has a rate of its own.")
    hours: Decimal = Field(description="Validated hours of the year.")
    amount: Decimal = Field(description="Their value in €.")
    entries: int
    volunteers: int
    by_activity: list[ValuationActivityOut]
    by_month: list[ValuationMonthOut]


class ValuationQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Defaults to this year.")
