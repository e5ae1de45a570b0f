"""Shapes of the caller's own data: who they are, their associations."""

from __future__ import annotations

from ninja import Field, Schema


class MeOut(Schema):
    email: str
    name: str = Field(description="Full name, empty when the person did not give it.")
    language: str = Field(description="Preferred language (`fr` or `en`).")


class MyAssociationOut(Schema):
    slug: str = Field(description="Identifier of the association in API paths.")
    name: str
    roles: list[str] = Field(description="The caller's roles in the association.")
    permissions: list[str] = Field(
        description="What those roles allow, e.g. `members.view`, `members.manage`."
    )
