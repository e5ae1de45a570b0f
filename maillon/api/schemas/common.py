"""Shapes shared by every part of the API: errors and pages."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="Why the request failed.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(
        description='Where the problem is, e.g. `["body", "payload", "email"]` or '
        '`["query", "page"]`; `__all__` as the field for the whole object.'
    )
    msg: str = Field(description="Human-readable message, in the caller's language.")
    type: str = Field(description="Kind of problem.")


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def page_fields(*, count: int, page: int, page_size: int) -> dict:
    """count, page, page_size, next, previous of a page (like the members list)."""
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": page + 1 if start + page_size < count else None,
        "previous": page - 1 if page > 1 else None,
    }


class Page(Schema):
    count: int = Field(description="Number of items matching the filters.")
    page: int
    page_size: int
    next: int | None = Field(description="Number of the next page, null on the last page.")
    previous: int | None = Field(description="Number of the previous page, null on the first.")
