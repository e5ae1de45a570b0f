"""Shapes of the help requests API (``routers/network/help.py``): writing a request,
and the helpers suggested for it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from maillon.network.models import HelpAudience, HelpFormat

from ..common import BodySchema, MultilineText


class HelpRequestCreateIn(BodySchema):
    """A request for skilled help, published at once to the helpers asked."""

    title: str = Field(min_length=1, max_length=200)
    need: MultilineText = Field(min_length=1, description="The need, in your words.")
    deliverable: MultilineText = Field(min_length=1, description="What you expect at the end.")
    skills: list[str] = Field(default_factory=list, description="Skill codes.")
    format: HelpFormat = Field(HelpFormat.EITHER, description="`remote`, `on_site` or `either`.")
    hours_estimate: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=1)
    deadline: datetime.date | None = Field(None, description="Not in the past.")
    audiences: list[HelpAudience] = Field(
        min_length=1, description="Who is asked: `volunteers`, `companies`, `networks`."
    )


class HelpRequestUpdateIn(BodySchema):
    """Partial update of an open request: only the fields given change."""

    title: str = Field(None, min_length=1, max_length=200)
    need: MultilineText = Field(None, min_length=1)
    deliverable: MultilineText = Field(None, min_length=1)
    skills: list[str] = Field(None, description="Skill codes (the whole list).")
    format: HelpFormat = Field(None)
    hours_estimate: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=1)
    deadline: datetime.date | None = Field(None)
    audiences: list[HelpAudience] = Field(None, min_length=1)


class SuggestedHelperOut(Schema):
    kind: str = Field(
        description="`volunteer` (a skills volunteer), `company` (an employee a company "
        "lends) or `network` (the team of one of your networks)."
    )
    helper_id: int = Field(
        description="The volunteer profile, the lent employee or the network role."
    )
    name: str = Field(description="A first name and the initial of the last name.")
    detail: str = Field(description="Department; job and company; role in the network.")
    score: int = Field(description="How well the helper suits the request, 0 to 100.")
    reasons: list[str] = Field(description="Why, in the caller's language.")
    skills: list[str] = Field(description="Codes of the skills wanted that the helper has.")
    company: str | None = Field(description="Slug of the lending company.")
    network: str | None = Field(description="Slug of the network.")

    @classmethod
    def from_helper(cls, helper) -> SuggestedHelperOut:
        return cls(
            kind=helper.kind,
            helper_id=helper.helper_id,
            name=helper.name,
            detail=helper.detail,
            score=helper.score,
            reasons=list(helper.reasons),
            skills=[s.code for s in helper.skills],
            company=helper.company.slug if helper.company else None,
            network=helper.network_slug or None,
        )
