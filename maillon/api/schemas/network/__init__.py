"""Shapes of the network API: a network's member associations with the indicators
each consents to share, its campaigns, and practice sheets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from ..common import BodySchema, MultilineText, Page, PageQuery


class NetworkMemberOut(Schema):
    slug: str
    name: str
    city: str
    department: str | None = Field(description="Department code.")
    size_band: str
    sector: str | None = Field(description="Sector code.")
    shared: list[str] = Field(description="Data families the association shares.")
    values: dict[str, Decimal | None] = Field(
        description="Metric code → value, only for the families the association shares "
        "(`strategy.days_since_diagnostic` and `governance.days_since_general_assembly` "
        "count days back from today)."
    )
    level: str | None = Field(description="Digital level, when the diagnostic is shared.")


class NetworkMemberPageOut(Page):
    items: list[NetworkMemberOut]


class NetworkCampaignOut(Schema):
    id: int
    slug: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    events: int = Field(description="Published events attached to the campaign.")
    associations: int = Field(description="Associations with a published event in it.")


class PracticeQuery(PageQuery):
    q: str = Field("", max_length=200, description="Words to find (French full text).")
    domain: str = Field("", max_length=50, description="Diagnostic domain code.")
    pitfall: str = Field("", max_length=50, description="Pitfall code of the study.")
    size_band: str = Field("", max_length=8)
    sector: str = Field("", max_length=50, description="Sector code.")


class PracticeOut(Schema):
    id: int
    title: str
    association: str = Field(description="Name of the author association.")
    problem: str
    what_was_done: str
    results: str
    tools: list[str]
    tool_kinds: list[str]
    pitfalls: list[str]
    domains: list[str]
    time_spent_hours: Decimal | None
    money_spent: Decimal | None
    licence: str
    visibility: str
    evidence: list[dict]
    published_at: datetime.datetime | None
    endorsements: int

    @classmethod
    def from_sheet(cls, sheet) -> PracticeOut:
        return cls(
            id=sheet.pk,
            title=sheet.title,
            association=sheet.association.name,
            problem=sheet.problem,
            what_was_done=sheet.what_was_done,
            results=sheet.results,
            tools=sheet.tools,
            tool_kinds=sheet.tool_kinds,
            pitfalls=sheet.pitfalls,
            domains=sheet.domains,
            time_spent_hours=sheet.time_spent_hours,
            money_spent=sheet.money_spent,
            licence=sheet.licence,
            visibility=sheet.visibility,
            evidence=sheet.evidence,
            published_at=sheet.published_at,
            endorsements=getattr(sheet, "endorsement_count", 0),
        )


class PracticePageOut(Page):
    items: list[PracticeOut]


class PracticeCreateIn(BodySchema):
    title: str = Field(max_length=200)
    problem: MultilineText
    what_was_done: MultilineText
    results: MultilineText = ""
    tools: list[str] = Field(default_factory=list, max_length=30)
    pitfalls: list[str] = Field(default_factory=list, max_length=10)
    domains: list[str] = Field(default_factory=list, max_length=10)
    time_spent_hours: Decimal | None = None
    money_spent: Decimal | None = None
    licence: str = "CC-BY-SA-4.0"
