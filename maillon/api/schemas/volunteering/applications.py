"""Shapes of the applications API (``routers/volunteering/applications.py``): an
application, its thread of messages, the answers of the association."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from maillon.volunteering.models import ApplicationStatus

from ..common import BodySchema, MultilineText, Page, PageQuery


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


class ReplyIn(BodySchema):
    body: MultilineText = Field(min_length=1, max_length=5000)


class AcceptIn(BodySchema):
    mark_full_when_complete: bool = Field(
        True,
        description="Mark the mission full once it has all the volunteers it wanted.",
    )
